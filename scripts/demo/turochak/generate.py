#!/usr/bin/env python3
"""Demo data for rules/turochak.lua (МО «Турочакский район», roadmap 2023/24).

Writes schools.csv, values.csv and listings.csv beside this file.
Deterministic (fixed seed), standard library only:
    python3 scripts/demo/turochak/generate.py

The document names no school and gives no figures: every school and value here
is synthetic (school names follow the "МБОУ «СОШ с. …»" pattern with the
district's villages). What the data is built to show:
  - ШНОР-1 (already in the programme): TUR-DMI and TUR-BIY, listed in 2022/23
    (listings.csv, imported with `shnor import listings`, and the regional flag
    for 2022/23). TUR-BIY is found again by the 2023 monitoring; TUR-DMI is not
    and stays listed because it is in the programme.
  - ШНОР-2 (new): TUR-ART and TUR-TON, found by the regional monitoring
    (письмо МОН РА от 20.02.2023), flag reg_low_list = 1 for 2023/24, with the
    high shares of «2» in ВПР 2021-2022 that their analysis (rows 6-7) is about.
  - The other six schools: reg_low_list = 0 in both years, not listed.
  - Target parents_up (row 24): TUR-DMI and TUR-ART raise the parents' share
    (met), TUR-BIY lowers it (not met), TUR-TON has no 2022/23 measurement (a
    new school: insufficient data).
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
TERRITORY = "МО «Турочакский район»"
REGION = "Республика Алтай"

# code, name, kind, settlement, students, teachers, ВПР share of «2» (base)
SCHOOLS = [
    ("TUR-ART", "МБОУ «СОШ с. Артыбаш»", "СОШ", "с. Артыбаш", 118, 14, 0.24),
    ("TUR-BIY", "МБОУ «СОШ с. Бийка»", "СОШ", "с. Бийка", 96, 13, 0.22),
    ("TUR-DMI", "МБОУ «СОШ с. Дмитриевка»", "СОШ", "с. Дмитриевка", 74, 11, 0.21),
    ("TUR-IOG", "МБОУ «СОШ с. Иогач»", "СОШ", "с. Иогач", 205, 19, 0.11),
    ("TUR-KBG", "МБОУ «ООШ с. Курмач-Байгол»", "ООШ", "с. Курмач-Байгол", 31, 8, 0.13),
    ("TUR-KEB", "МБОУ «СОШ с. Кебезень»", "СОШ", "с. Кебезень", 88, 12, 0.12),
    ("TUR-OZK", "МБОУ «СОШ с. Озеро-Куреево»", "СОШ", "с. Озеро-Куреево", 67, 10, 0.10),
    ("TUR-TON", "МБОУ «ООШ с. Тондошка»", "ООШ", "с. Тондошка", 42, 9, 0.26),
    ("TUR-TRC", "МБОУ «СОШ с. Турочак»", "СОШ", "с. Турочак", 612, 46, 0.08),
    ("TUR-VBI", "МБОУ «ООШ с. Верх-Бийск»", "ООШ", "с. Верх-Бийск", 27, 7, 0.14),
]

# The regional list by the programme year it is for.
REG_LIST = {"2022/23": {"TUR-DMI", "TUR-BIY"}, "2023/24": {"TUR-ART", "TUR-BIY", "TUR-TON"}}
SHNOR1 = {"TUR-DMI", "TUR-BIY"}
SHNOR2 = {"TUR-ART", "TUR-TON"}

# Parents taking part in the educational process (row 24): baseline 2022/23, actual 2023/24.
PARENTS = {
    "TUR-DMI": (0.31, 0.38),
    "TUR-BIY": (0.35, 0.33),
    "TUR-ART": (0.28, 0.34),
    "TUR-TON": (None, 0.30),
}

YEARS = range(2019, 2025)
ACADEMIC = ["%d/%02d" % (y, (y + 1) % 100) for y in range(2019, 2024)]


def share(x):
    return "%.3f" % max(0.0, min(1.0, x))


def vpr_level(code, base, year):
    """Share of «2» in ВПР: ШНОР-2 peak in 2021-2022, ШНОР-1 improve after 2022."""
    if code in SHNOR2 and year in (2021, 2022):
        return base + 0.06
    if code in SHNOR1:
        return base + (0.05 if year <= 2021 else -0.02 * (year - 2021))
    return base


def main():
    rng = random.Random(2023)
    with open(os.path.join(HERE, "schools.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "territory", "region", "kind", "settlement"])
        for code, name, kind, settlement, *_ in SCHOOLS:
            w.writerow([code, name, TERRITORY, REGION, kind, settlement])

    rows = []
    for code, _, _, _, students, teachers, base in SCHOOLS:
        for period, listed in sorted(REG_LIST.items()):
            rows.append((code, "reg_low_list", period, "1" if code in listed else "0"))
        for y in YEARS:
            rows.append((code, "vpr_fail_share", str(y),
                         share(vpr_level(code, base, y) + rng.uniform(-0.02, 0.02))))
        for p in ACADEMIC:
            rows.append((code, "students", p, str(students + rng.randint(-5, 5))))
            rows.append((code, "teachers", p, str(teachers + rng.randint(-1, 1))))
        if code in PARENTS:
            before, after = PARENTS[code]
            if before is not None:
                rows.append((code, "parent_participation_share", "2022/23", share(before)))
            rows.append((code, "parent_participation_share", "2023/24", share(after)))
            # Rows 27-34: reported, no target value in the document.
            rows.append((code, "teacher_participation_share", "2023/24",
                         share(0.55 + rng.uniform(0.0, 0.35))))
    rows.sort()
    with open(os.path.join(HERE, "values.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["school", "indicator", "period", "value"])
        w.writerows(rows)

    with open(os.path.join(HERE, "listings.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["school", "period", "category", "pack"])
        for code in sorted(SHNOR1):
            w.writerow([code, "2022/23", "low", "turochak"])


if __name__ == "__main__":
    main()
