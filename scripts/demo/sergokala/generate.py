#!/usr/bin/env python3
"""Demo data for rules/sergokala.lua: the school register of Сергокалинский
район and the two list flags the pack reads, 2019-2024.

The document (приказ №1/1 от 09.01.2023) gives the lists of 2021 (12 schools,
7 of them also «500+») and 2022 (6 schools). Those are its real figures. Every
other value is synthetic: no school is flagged in 2019, 2020, 2023 or 2024
(the «500+» list is given for 2021 only). Schools the document does not name
get plausible «СОШ/ООШ с. …» names. Deterministic: no randomness.

Run from the repository root:  python3 scripts/demo/sergokala/generate.py
"""
import csv
import os

TERRITORY = "Сергокалинский район"
REGION = "Республика Дагестан"
YEARS = range(2019, 2025)

# code, name, kind, settlement
SCHOOLS = [
    ("SRG-SOSH1", "МКОУ «Сергокалинская СОШ №1»", "СОШ", "с. Сергокала"),
    ("SRG-SOSH2", "МКОУ «Сергокалинская СОШ №2»", "СОШ", "с. Сергокала"),
    ("SRG-AIM", "МКОУ «Аймаумахинская СОШ»", "СОШ", "с. Аймаумахи"),
    ("SRG-VAN", "МКОУ «Ванашимахинская СОШ»", "СОШ", "с. Ванашимахи"),
    ("SRG-NMUL", "МКОУ «Нижнемулебкинская СОШ»", "СОШ", "с. Нижнее Мулебки"),
    ("SRG-DEG", "МКОУ «Дегвинская СОШ»", "СОШ", "с. Дегва"),
    ("SRG-KICH", "МКОУ «Кичигамринская СОШ»", "СОШ", "с. Кичигамри"),
    ("SRG-KAD", "МКОУ «Кадиркентская СОШ»", "СОШ", "с. Кадиркент"),
    ("SRG-BUR", "МКОУ «Бурхимахинская СОШ»", "СОШ", "с. Бурхимахи"),
    ("SRG-NMUG", "МКОУ «Новомугринская СОШ»", "СОШ", "с. Новые Мугри"),
    ("SRG-MYUR", "МКОУ «Мюрегинская СОШ»", "СОШ", "с. Мюрего"),
    ("SRG-KPART", "МКОУ «Краснопартизанская СОШ»", "СОШ", "с. Краснопартизанск"),
    ("SRG-MURG", "МКОУ «Мургукская СОШ»", "СОШ", "с. Мургук"),
    ("SRG-MIGL", "МКОУ «Миглакасимахинская СОШ»", "СОШ", "с. Миглакасимахи"),
    ("SRG-URAH", "МКОУ «Урахинская СОШ»", "СОШ", "с. Урахи"),
    ("SRG-BALT", "МКОУ «Балтамахинская СОШ»", "СОШ", "с. Балтамахи"),
    ("SRG-KANA", "МКОУ «Канасирагинская СОШ»", "СОШ", "с. Канасираги"),
    ("SRG-AYAL", "МКОУ «Аялизимахинская СОШ»", "СОШ", "с. Аялизимахи"),
    ("SRG-NMAH", "МКОУ «Нижнемахаргинская СОШ»", "СОШ", "с. Нижнее Махарги"),
    # not named in the document: synthetic
    ("SRG-AYLK", "МКОУ «СОШ с. Аялакаб»", "СОШ", "с. Аялакаб"),
    ("SRG-BURD", "МКОУ «СОШ с. Бурдеки»", "СОШ", "с. Бурдеки"),
    ("SRG-KARM", "МКОУ «СОШ с. Кармахи»", "СОШ", "с. Кармахи"),
    ("SRG-CURM", "МКОУ «ООШ с. Цурмахи»", "ООШ", "с. Цурмахи"),
    ("SRG-MAMM", "МКОУ «ООШ с. Маммаул»", "ООШ", "с. Маммаул"),
]

# The document's lists: «Список школ с низкими образовательными результатами
# по итогам проведения Рособрнадзором процедур оценки качества».
LIST_2021 = ["SRG-AIM", "SRG-VAN", "SRG-NMUL", "SRG-DEG", "SRG-KICH", "SRG-KAD",
             "SRG-BUR", "SRG-NMUG", "SRG-MYUR", "SRG-KPART", "SRG-MURG", "SRG-MIGL"]
PLUS500_2021 = LIST_2021[:7]  # the second column, «500+»
LIST_2022 = ["SRG-VAN", "SRG-KAD", "SRG-BUR", "SRG-URAH", "SRG-BALT", "SRG-KANA"]

FED_LIST = {2021: set(LIST_2021), 2022: set(LIST_2022)}
PLUS500 = {2021: set(PLUS500_2021)}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "schools.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "territory", "region", "kind", "settlement"])
        for code, name, kind, settlement in sorted(SCHOOLS):
            w.writerow([code, name, TERRITORY, REGION, kind, settlement])
    with open(os.path.join(here, "values.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["school", "indicator", "period", "value"])
        for code, _, _, _ in sorted(SCHOOLS):
            for year in YEARS:
                w.writerow([code, "fed_low_list", year, int(code in FED_LIST.get(year, ()))])
                w.writerow([code, "flag_500plus", year, int(code in PLUS500.get(year, ()))])


if __name__ == "__main__":
    main()
