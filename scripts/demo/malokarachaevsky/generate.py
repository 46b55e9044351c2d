#!/usr/bin/env python3
"""Demo data for rules/malokarachaevsky.lua (seed 004: order №28 of 09.02.2021).

Writes schools.csv and values.csv next to this file. Deterministic (fixed
seed, standard library only): run it again and the output is the same bytes.

What is real and what is not:
  * 15 schools, as the document says; it names three of them — МКОУ «СОШ №4
    с.Кызыл-Покун», МКОУ «СОШ №8 с.Римгорское», МКОУ «ООШ №13 с.Элькуш» — the
    three listed in 2019. The other twelve are placeholders (МКОУ «СОШ №N»):
    the document does not name them.
  * The document's table of ЕГЭ/ОГЭ indicators for those three schools is
    imported as their 2019 values, in the document's own figures (REAL below).
    The ООШ has no 11th grade: its zeros in the ЕГЭ columns mean "no such
    grade" and are not imported. For СОШ №4 the table gives one average ЕГЭ
    score, 46,0, in the column «русский язык / математика»: read as Russian.
  * Everything else is synthetic and plausible: results of ВПР, ОГЭ and ЕГЭ
    2017-2024 (ОГЭ was not held in 2020), the social well-being index and the
    social passport, and the programme's indicators 2019-2024 (2021-2024 for
    involvement, the programme starting in 2021). The three schools are low at
    every level they teach in 2017-2021 and recover from 2022 (СОШ №4, №8) and
    2023 (ООШ №13). СОШ №6 has persistently low results in a favourable social
    context (not listed: the method reads results with the context); СОШ №10
    is resilient (adverse context, good results: not listed either).
"""
import csv
import os
import random

TERRITORY = "Малокарачаевский муниципальный район"
REGION = "Карачаево-Черкесская Республика"
YEARS = range(2017, 2025)
PROGRAMME_YEARS = range(2019, 2025)  # 2019 is the baseline of the targets
OGE_NOT_HELD = {2020}

LOW = ("MK04", "MK08", "MK13")
GATED = "MK06"  # persistently low results, favourable context
RESILIENT = "MK10"  # adverse context, good results
OOSH = {"MK13", "MK14", "MK15"}  # basic schools: no 11th grade, no ЕГЭ

NAMES = {
    "MK04": ("МКОУ «СОШ №4 с.Кызыл-Покун»", "с. Кызыл-Покун"),
    "MK08": ("МКОУ «СОШ №8 с.Римгорское»", "с. Римгорское"),
    "MK13": ("МКОУ «ООШ №13 с.Элькуш»", "с. Элькуш"),
}

# The document's table «Комплекс индикаторов результатов ЕГЭ …», as printed:
# the 2019 values of the three schools it covers.
REAL_2019 = {
    "MK04": {
        "cert11_share": "100%", "cert11_honours_share": "66%", "ege_rus_mean": "46.0",
        "ege_3plus_share": "100%", "ege_rus_math_share": "100%", "ege_below30_share": "0%",
        "cert9_share": "100%", "cert9_honours_share": "36%", "olymp_share": "52%",
        "olymp_winners_share": "41%",
    },
    "MK08": {
        "cert11_share": "100%", "cert11_honours_share": "22%", "ege_rus_mean": "69.7",
        "ege_math_mean": "72.3", "ege_3plus_share": "67%", "ege_rus_math_share": "100%",
        "ege_below30_share": "11.1%", "cert9_share": "100%", "cert9_honours_share": "22%",
        "olymp_share": "47%", "olymp_winners_share": "21%",
    },
    "MK13": {
        "cert9_share": "100%", "cert9_honours_share": "0%", "olymp_share": "100%",
        "olymp_winners_share": "17%",
    },
}

# Teachers and ГИА participants of the three schools (synthetic, fixed).
TEACHERS = {"MK04": 28, "MK08": 22, "MK13": 14}
GIA_PARTICIPANTS = {"MK04": 21, "MK08": 15, "MK13": 9}


def codes():
    return ["MK%02d" % i for i in range(1, 16)]


def school_rows():
    rows = []
    for c in codes():
        kind = "ООШ" if c in OOSH else "СОШ"
        name, settlement = NAMES.get(c, ("МКОУ «%s №%d»" % (kind, int(c[2:])), ""))
        rows.append([c, name, TERRITORY, REGION, kind, settlement])
    return rows


def share(x):
    return "%.3f" % max(0.0, min(1.0, x))


def score(x):
    return "%.1f" % x


class Values:
    def __init__(self):
        self.rows = {}

    def put(self, school, indicator, year, text):
        self.rows[(school, indicator, year)] = text

    def out(self):
        return [[s, i, str(y), v] for (s, i, y), v in sorted(self.rows.items())]


def recovered(c, y):
    """Whether a low school's results have recovered in year y."""
    if c == "MK13":
        return y >= 2023
    if c in LOW or c == GATED:
        return y >= 2022
    return True


def results(rng, v):
    for c in codes():
        for y in YEARS:
            low = not recovered(c, y)
            # ВПР: share of «2»
            if c in LOW and low:
                vpr = rng.uniform(0.18, 0.25)
            elif c == GATED and low:
                vpr = rng.uniform(0.155, 0.165)
            elif c in LOW or c == GATED:
                vpr = rng.uniform(0.08, 0.12)
            else:
                vpr = rng.uniform(0.04, 0.12)
            v.put(c, "vpr_fail_share", y, share(vpr))
            # ОГЭ: share of 9th-graders who did not pass (first attempt)
            if y not in OGE_NOT_HELD:
                if c in LOW and low:
                    oge = rng.uniform(0.12, 0.22)
                elif c == GATED and low:
                    oge = rng.uniform(0.100, 0.110)
                elif c in LOW or c == GATED:
                    oge = rng.uniform(0.03, 0.07)
                else:
                    oge = rng.uniform(0.0, 0.08)
                v.put(c, "oge_fail_share", y, share(oge))
            if c in OOSH:
                continue
            # ЕГЭ: average Russian score and the share below 30 points
            rus = rng.uniform(55.0, 71.0)
            b30 = 0.0 if rng.random() < 0.4 else rng.uniform(0.01, 0.06)
            if c == "MK04" and low:
                rus = {2017: 48.3, 2018: 47.1, 2020: 47.6, 2021: 48.8}.get(y, rus)
                b30 = rng.uniform(0.0, 0.05)
            elif c == "MK08" and low:
                rus = rng.uniform(63.0, 67.0)
                b30 = {2017: 0.100, 2018: 0.125, 2020: 0.095, 2021: 0.090}.get(y, b30)
            elif c == GATED and low:
                rus = rng.uniform(49.0, 51.0)
            elif c in LOW or c == GATED:
                rus = rng.uniform(55.0, 60.0)
                b30 = rng.uniform(0.0, 0.03)
            v.put(c, "ege_rus_mean", y, score(rus))
            v.put(c, "ege_below30_share", y, share(b30))


def context(rng, v):
    """ИСБ and the social passport; each school has a base and a yearly wobble."""
    for c in codes():
        isb = {"MK04": 0.36, "MK08": 0.70, "MK13": 0.31, GATED: 0.76, RESILIENT: 0.38}.get(
            c, rng.uniform(0.52, 0.80))
        km = {"MK08": 38, "MK13": 42}.get(c, rng.randint(2, 25))
        dev = {"MK13": 0.07}.get(c, rng.uniform(0.01, 0.04))
        mot = {"MK13": 0.14}.get(c, rng.uniform(0.03, 0.09))
        weak = {"MK08": 0.14, "MK13": 0.09}.get(c, rng.uniform(0.01, 0.05))
        if c in ("MK04", GATED):
            dev, mot, weak, km = 0.02, 0.05, 0.02, min(km, 10)
        for y in YEARS:
            v.put(c, "isb", y, "%.2f" % (isb + rng.uniform(-0.02, 0.02)))
            v.put(c, "low_income_share", y, share(0.85 - isb + rng.uniform(-0.03, 0.03)))
            v.put(c, "higher_ed_parents_share", y, share(isb * 0.45 + rng.uniform(-0.03, 0.03)))
            v.put(c, "deviant_share", y, share(dev + rng.uniform(-0.005, 0.005)))
            v.put(c, "no_motivation_share", y, share(mot + rng.uniform(-0.01, 0.01)))
            v.put(c, "weak_russian_share", y, share(weak + rng.uniform(-0.005, 0.005)))
            v.put(c, "remoteness_km", y, str(km))


def programme(rng, v):
    """The programme's indicators (targets), 2019-2024."""
    trained = {"MK04": (0.30, 0.86), "MK08": (0.25, 0.82), "MK13": (0.20, 0.71)}
    gia = {"MK04": ((18, 21), (20, 21)), "MK08": ((13, 15), (14, 15)), "MK13": ((7, 9), (8, 9))}
    staffing = {"MK04": (0.92, 0.90), "MK08": (0.85, 0.82), "MK13": (0.80, 0.78)}
    access = {"MK04": (1, 1, 1, 1, 1, 1), "MK08": (0, 0, 1, 1, 1, 1), "MK13": (0, 0, 0, 1, 1, 1)}
    improved = {"MK04": (0, 0, 1, 1, 1, 1), "MK08": (1, 0, 0, 1, 1, 1), "MK13": (0, 0, 0, 1, 1, 0)}
    involvement = {2021: 0.80, 2022: 0.90, 2023: 1.00, 2024: 1.00}
    others_involvement = {2021: (0.40, 0.60), 2022: (0.60, 0.75), 2023: (0.70, 0.82),
                          2024: (0.85, 0.95)}
    for c in codes():
        teachers = TEACHERS.get(c, rng.randint(16, 45))
        sat = GIA_PARTICIPANTS.get(c, rng.randint(8, 40))
        for k, y in enumerate(PROGRAMME_YEARS):
            t = k / (len(PROGRAMME_YEARS) - 1)
            v.put(c, "teachers", y, str(teachers))
            v.put(c, "gia_participants", y, str(sat))
            if c in LOW:
                lo, hi = trained[c]
                v.put(c, "teachers_trained_share", y, share(lo + (hi - lo) * t))
                (p0, n0), (p1, n1) = gia[c]
                passed = p0 if y < 2022 else p1
                v.put(c, "gia_success_share", y, share(passed / n0))
                lo, hi = staffing[c]
                v.put(c, "staffing_share", y, share(lo + (hi - lo) * t))
                v.put(c, "equal_access", y, str(access[c][k]))
                v.put(c, "results_improved", y, str(improved[c][k]))
            else:
                v.put(c, "teachers_trained_share", y, share(rng.uniform(0.30, 0.50) + 0.08 * k))
                v.put(c, "gia_success_share", y, share(rng.uniform(0.93, 1.0)))
                v.put(c, "staffing_share", y, share(rng.uniform(0.90, 1.0)))
                v.put(c, "equal_access", y, "1")
                v.put(c, "results_improved", y, str(int(rng.random() < 0.5)))
            if y in involvement:
                if c in LOW:
                    inv = involvement[y]
                else:
                    inv = rng.uniform(*others_involvement[y])
                v.put(c, "programme_involvement_share", y, share(inv))


def real(v):
    for c, figures in REAL_2019.items():
        for ind, text in figures.items():
            v.put(c, ind, 2019, text)


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(20210209)  # the order's date
    v = Values()
    results(rng, v)
    context(rng, v)
    programme(rng, v)
    real(v)  # last: the document's figures win over synthetic ones
    write(os.path.join(here, "schools.csv"),
          ["code", "name", "territory", "region", "kind", "settlement"], school_rows())
    write(os.path.join(here, "values.csv"), ["school", "indicator", "period", "value"], v.out())


if __name__ == "__main__":
    main()
