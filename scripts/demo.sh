#!/bin/sh
# The demo, run by `make demo`: a fresh database in build/demo.db with the
# bundled demo data of the five regions, the year-end run of all five packs
# kept as records, and for each region its listed schools with the reasons,
# its target results and its roadmap; then Sergokala's 2021 and 2022 lists
# compared, and one kept run replayed.
set -eu
cd "$(dirname "$0")/.."
bin=build/shnor
db=build/demo.db
regions="sergokala kedrovy turochak georgievsk malokarachaevsky"
rm -f "$db" "$db-wal" "$db-shm"
export SHNOR_USER="${SHNOR_USER:-demo}"

echo "== Данные: пять районов =="
"$bin" --db "$db" init
"$bin" --db "$db" import indicators scripts/demo/indicators.csv
for region in $regions; do
    "$bin" --db "$db" import schools "scripts/demo/$region/schools.csv"
    "$bin" --db "$db" import values "scripts/demo/$region/values.csv"
    if [ -f "scripts/demo/$region/listings.csv" ]; then
        "$bin" --db "$db" import listings "scripts/demo/$region/listings.csv"
    fi
done

# Sergokala's 2023 plan serves the list made from the 2022 results; the run
# for 2022 keeps the list of 2021, so the two years can be compared.
"$bin" --db "$db" run --packs rules/sergokala.lua --period 2022 >/dev/null

echo
echo "== Годовой запуск всех пакетов (каждый в своём периоде) =="
"$bin" --db "$db" run --packs rules --apply-roadmaps

# The id of the latest run of a pack (and period, when given).
run_id() {
    "$bin" --db "$db" runs --format csv |
        awk -F, -v pack="$1" -v period="${2:-}" \
            'NR > 1 && $2 == pack && (period == "" || $4 == period) { id = $1 } END { print id }'
}

for region in $regions; do
    echo
    echo "================================================================================"
    "$bin" --db "$db" show-run "$(run_id "$region")"
done

echo
echo "================================================================================"
echo "== Сергокалинский район: список 2021 года (12 школ, 7 из них — «500+») =="
"$bin" --db "$db" show-run "$(run_id sergokala 2022)" --part listing

echo
echo "================================================================================"
echo "== Сергокалинский район: список 2021 года (А) и список 2022 года (Б) =="
"$bin" --db "$db" diff "$(run_id sergokala 2022)" "$(run_id sergokala 2023)"

echo
echo "== Воспроизведение запуска Сергокалинского района по сохранённому тексту пакета =="
"$bin" --db "$db" replay "$(run_id sergokala 2023)"
