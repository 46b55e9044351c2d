#!/usr/bin/env python3
"""Demo data for rules/georgievsk.lua: the school register and the values of
Георгиевский городской округ (Ставропольский край), 2019-2024.

The schools the order №1119 of 07.03.2023 names keep its names (СОШ №12, №15,
№16, №18, №19, №25, №28); the other schools and every value are synthetic.
The values of the four schools of the project (СОШ №18, №19, №25, №28) are
written by hand below so that each target of the pack is evaluable, with a mix
of met and not met and one deliberate insufficient-data case (СОШ №28 has no
share of failing students for 2023-H2). The rest comes from a fixed seed.

    python3 scripts/demo/georgievsk/generate.py   # rewrites the two CSV files

Standard library only; the same bytes every run.
"""
import csv
import io
import os
import random

TERRITORY = "Георгиевский городской округ"
REGION = "Ставропольский край"
HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(3119)

# number -> (name, kind, settlement). Named by the order: 12, 15, 16, 18, 19, 25, 28.
NAMED = {
    12: ("МБОУ СОШ №12", ""),
    15: ("МБОУ СОШ №15", ""),
    16: ("МБОУ СОШ №16", ""),
    18: ("МБОУ СОШ №18 имени А.П. Ляпина ст. Урухской", "ст. Урухская"),
    19: ("МКОУ СОШ №19 пос. Нижнезольского", "пос. Нижнезольский"),
    25: ("МБОУ СОШ №25 пос. Новоульяновского", "пос. Новоульяновский"),
    28: ("МКОУ СОШ №28 пос. Балковского", "пос. Балковский"),
}
# Synthetic schools: the town's schools and rural ones in plausible settlements.
RURAL = {
    11: ("ст. Незлобная", "ст. Незлобной"),
    13: ("ст. Лысогорская", "ст. Лысогорской"),
    14: ("ст. Александрийская", "ст. Александрийской"),
    17: ("ст. Подгорная", "ст. Подгорной"),
    20: ("с. Краснокумское", "с. Краснокумского"),
    21: ("с. Обильное", "с. Обильного"),
    22: ("пос. Шаумянский", "пос. Шаумянского"),
    23: ("с. Новозаведенное", "с. Новозаведенного"),
    24: ("ст. Георгиевская", "ст. Георгиевской"),
    26: ("пос. Крутоярский", "пос. Крутоярского"),
    27: ("пос. Приэтокский", "пос. Приэтокского"),
    29: ("ст. Незлобная", "ст. Незлобной"),
    30: ("ст. Александрийская", "ст. Александрийской"),
}


def code(n):
    return "GEO-%02d" % n


def register():
    rows = []
    for n in range(1, 31):
        if n in NAMED:
            name, settlement = NAMED[n]
        elif n in RURAL:
            settlement, genitive = RURAL[n]
            name = "МКОУ СОШ №%d %s" % (n, genitive)
        else:
            settlement = "г. Георгиевск"
            name = "МБОУ СОШ №%d г. Георгиевска" % n
        rows.append((code(n), name, TERRITORY, REGION, "СОШ", settlement))
    return rows


# The regional lists (flags, 1/0) by year: the project runs 2020-2024 (in 2019
# no school was on a list); in the years of the roadmap (2022 results, 2023,
# 2024) the four project schools.
LOW = {2019: set(), 2020: {19, 25, 28}, 2021: {19, 25}, 2022: {19, 25}, 2023: {19, 25}, 2024: {19, 25}}
RISK = {2019: set(), 2020: {18, 22}, 2021: {18, 22, 28}, 2022: {18, 28}, 2023: {18, 28}, 2024: {18, 28}}

ACADEMIC = ["2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]
HALVES = ["2022-H2", "2023-H1", "2023-H2"]

# Hand-written values of the project schools. None: deliberately missing.
PROJECT = {
    19: {
        "fail_share": dict(zip(ACADEMIC, [0.094, 0.091, 0.097, 0.088, 0.079, 0.074])),
        "fail_half": {"2022-H2": 0.082, "2023-H1": 0.071, "2023-H2": 0.076},
        "quality": dict(zip(ACADEMIC, [0.33, 0.32, 0.30, 0.31, 0.31, 0.36])),
        "deficit": {"2022-09": 0.30, "2023-09": 0.22, "2024-09": 0.08},
        "students": 214, "teachers": 21,
        "trained": dict(zip(YEARS, [5, 6, 4, 6, 7, 8])),
        "services": dict(zip(YEARS, [3, 3, 4, 4, 4, 5])),
    },
    25: {
        "fail_share": dict(zip(ACADEMIC, [0.071, 0.075, 0.079, 0.070, 0.060, 0.052])),
        "fail_half": {"2022-H2": 0.064, "2023-H1": 0.055, "2023-H2": 0.050},
        "quality": dict(zip(ACADEMIC, [0.37, 0.36, 0.35, 0.36, 0.38, 0.56])),
        "deficit": {"2022-09": 0.35, "2023-09": 0.06, "2024-09": 0.04},
        "students": 268, "teachers": 23,
        # 5.1: 23 teachers (100 %) trained in 2023.
        "trained": dict(zip(YEARS, [4, 5, 3, 6, 23, 7])),
        # 5.2, 5.3: «Точка роста» and ЦОС open in 2023: 10 -> 13 services.
        "services": dict(zip(YEARS, [8, 9, 9, 10, 13, 14])),
    },
    18: {
        "fail_share": dict(zip(ACADEMIC, [0.041, 0.044, 0.052, 0.050, 0.045, 0.040])),
        "fail_half": {"2022-H2": 0.048, "2023-H1": 0.041, "2023-H2": 0.043},
        "quality": dict(zip(ACADEMIC, [0.52, 0.50, 0.47, 0.49, 0.55, 0.58])),
        "deficit": {"2022-09": 0.20, "2023-09": 0.09, "2024-09": 0.07},
        "students": 412, "teachers": 30,
        "trained": dict(zip(YEARS, [8, 9, 7, 9, 10, 14])),
        "services": dict(zip(YEARS, [6, 6, 7, 7, 8, 8])),
    },
    28: {
        "fail_share": dict(zip(ACADEMIC, [0.058, 0.061, 0.066, 0.060, 0.055, 0.053])),
        # 2023-H2 missing: the deliberate insufficient-data case of fail_down_risk.
        "fail_half": {"2022-H2": 0.057, "2023-H1": 0.054, "2023-H2": None},
        "quality": dict(zip(ACADEMIC, [0.41, 0.40, 0.38, 0.39, 0.40, 0.43])),
        "deficit": {"2022-09": 0.25, "2023-09": 0.15, "2024-09": 0.12},
        "students": 156, "teachers": 14,
        "trained": dict(zip(YEARS, [3, 3, 2, 4, 4, 7])),
        "services": dict(zip(YEARS, [2, 2, 3, 3, 3, 4])),
    },
}


def share(x):
    """A share as written to the CSV: at most three decimals, no trailing zeros."""
    s = "%.3f" % x
    return s.rstrip("0").rstrip(".") if "." in s else s


def synthetic(n):
    """Plausible values of a school that is on no list in the roadmap years."""
    town = n <= 10
    strong = n in (12, 15, 16)  # the стажировочные площадки of КТ 3
    students = rng.randrange(650, 1150) if town or strong else rng.randrange(180, 620)
    teachers = max(14, round(students / rng.uniform(14.0, 18.0)))
    base_fail = rng.uniform(0.008, 0.035)
    if strong:
        base_quality = rng.uniform(0.60, 0.68)
    elif town:
        base_quality = rng.uniform(0.46, 0.62)
    else:
        base_quality = rng.uniform(0.40, 0.55)
    fail = {a: max(0.0, base_fail + rng.uniform(-0.006, 0.006)) for a in ACADEMIC}
    half = {h: max(0.0, base_fail + rng.uniform(-0.008, 0.008)) for h in HALVES}
    quality = {a: min(0.8, base_quality + rng.uniform(-0.04, 0.04)) for a in ACADEMIC}
    trained = {y: round(teachers * rng.uniform(0.18, 0.55)) for y in YEARS}
    services = {}
    s = rng.randrange(4, 14) if town else rng.randrange(2, 8)
    for y in YEARS:
        s = max(1, s + rng.choice([-1, 0, 0, 1, 1]))
        services[y] = s
    return {"fail_share": fail, "fail_half": half, "quality": quality, "deficit": {},
            "students": students, "teachers": teachers, "trained": trained,
            "services": services}


def values(schools):
    rows = []
    for n, d in schools:
        c = code(n)
        for y in sorted(LOW):
            rows.append((c, "reg_low_list", str(y), "1" if n in LOW[y] else "0"))
            rows.append((c, "reg_risk_list", str(y), "1" if n in RISK[y] else "0"))
        for a in ACADEMIC:
            rows.append((c, "fail_share", a, share(d["fail_share"][a])))
        for h in HALVES:
            if d["fail_half"][h] is not None:
                rows.append((c, "fail_share", h, share(d["fail_half"][h])))
        for a in ACADEMIC:
            rows.append((c, "knowledge_quality_share", a, share(d["quality"][a])))
        for m in sorted(d["deficit"]):
            rows.append((c, "resource_deficit_share", m, share(d["deficit"][m])))
        for y in YEARS:
            t = d["trained"][y]
            rows.append((c, "students", str(y), str(d["students"])))
            rows.append((c, "teachers", str(y), str(d["teachers"])))
            rows.append((c, "teachers_trained", str(y), str(t)))
            rows.append((c, "teachers_trained_share", str(y), share(t / d["teachers"])))
            rows.append((c, "addl_services", str(y), str(d["services"][y])))
    return rows


def check(schools):
    """The outcomes the README and the demo promise; fails loudly otherwise."""
    data = dict(schools)
    for a, want in (("2022/23", {19: False, 25: False, 18: True, 28: False}),
                    ("2023/24", {19: False, 25: True, 18: True, 28: False})):
        qs = [float(share(d["quality"][a])) for _, d in schools]
        mean = sum(qs) / len(qs)
        for n, met in want.items():
            got = float(share(data[n]["quality"][a])) >= mean
            assert got == met, (a, n, mean)
        assert all(abs(float(share(data[n]["quality"][a])) - mean) > 0.01 for n in want), a


def main():
    schools = []
    for n in range(1, 31):
        schools.append((n, PROJECT[n] if n in PROJECT else synthetic(n)))
    check(schools)
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "name", "territory", "region", "kind", "settlement"])
    w.writerows(register())
    with open(os.path.join(HERE, "schools.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["school", "indicator", "period", "value"])
    w.writerows(values(schools))
    with open(os.path.join(HERE, "values.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


if __name__ == "__main__":
    main()
