#!/usr/bin/env python3
"""Demo data for rules/kedrovy.lua (order №63 of 16.06.2020, МО «Город Кедровый»).

Writes schools.csv and values.csv beside this file. Deterministic (fixed seed),
standard library only:  python3 scripts/demo/kedrovy/generate.py

Facts of the order reproduced: МКОУ СОШ №1 г. Кедрового and МАОУ Пудинская СОШ
are on the list of schools with low educational results for 2020/21 (flag
fed_low_list = 1). The third school is synthetic (the town is tiny; the order
names only these two) and is not on the list (fed_low_list = 0), so the
criterion visibly does not fire. The ВПР shares and head counts are synthetic
context (the order gives no figures); the pack does not read them.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
TERRITORY = "МО «Город Кедровый»"
REGION = "Томская область"

# code, name, kind, settlement, listed in 2020/21, ВПР level (share of «2»), students, teachers
SCHOOLS = [
    ("KDR-SOSH1", "МКОУ СОШ №1 г. Кедрового", "СОШ", "г. Кедровый", 1, 0.22, 290, 27),
    ("KDR-PUD", "МАОУ Пудинская СОШ", "СОШ", "с. Пудино", 1, 0.27, 64, 12),
    ("KDR-KAL", "МКОУ «ООШ п. Калининск»", "ООШ", "п. Калининск", 0, 0.10, 23, 7),
]

YEARS = range(2019, 2025)  # ВПР by calendar year (2020: the autumn ВПР)
ACADEMIC = ["%d/%02d" % (y, (y + 1) % 100) for y in range(2019, 2024)]


def share(x):
    return "%.3f" % max(0.0, min(1.0, x))


def main():
    rng = random.Random(63)
    with open(os.path.join(HERE, "schools.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "territory", "region", "kind", "settlement"])
        for code, name, kind, settlement, *_ in SCHOOLS:
            w.writerow([code, name, TERRITORY, REGION, kind, settlement])
    rows = []
    for code, _, _, _, listed, level, students, teachers in SCHOOLS:
        rows.append((code, "fed_low_list", "2020/21", str(listed)))
        for y in YEARS:
            # The listed schools improve slowly after 2020/21, as the roadmap intends.
            trend = -0.015 * max(0, y - 2020) if listed else 0.0
            rows.append((code, "vpr_rus_fail_share", str(y),
                         share(level + trend + rng.uniform(-0.03, 0.03))))
            rows.append((code, "vpr_math_fail_share", str(y),
                         share(level + 0.03 + trend + rng.uniform(-0.03, 0.03))))
        for p in ACADEMIC:
            rows.append((code, "students", p, str(students + rng.randint(-6, 6))))
            rows.append((code, "teachers", p, str(teachers + rng.randint(-1, 1))))
    rows.sort()
    with open(os.path.join(HERE, "values.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["school", "indicator", "period", "value"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
