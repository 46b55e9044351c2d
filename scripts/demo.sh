#!/bin/sh
# The demo: a fresh database in build/demo.db with the bundled demo data of the
# five regions, and for each region's pack its listing with reasons, its target
# results and its roadmap. Run by `make demo`.
set -eu
cd "$(dirname "$0")/.."
bin=build/shnor
db=build/demo.db
rm -f "$db" "$db-wal" "$db-shm"
"$bin" --db "$db" init
"$bin" --db "$db" import indicators scripts/demo/indicators.csv
for region in sergokala kedrovy turochak georgievsk malokarachaevsky; do
    "$bin" --db "$db" import schools "scripts/demo/$region/schools.csv"
    "$bin" --db "$db" import values "scripts/demo/$region/values.csv"
    if [ -f "scripts/demo/$region/listings.csv" ]; then
        "$bin" --db "$db" import listings "scripts/demo/$region/listings.csv"
    fi
done
for region in sergokala kedrovy turochak georgievsk malokarachaevsky; do
    echo
    echo "=== $region ==="
    "$bin" --db "$db" roadmap --pack "rules/$region.lua" | tail -n 1
    "$bin" --db "$db" targets --pack "rules/$region.lua" | tail -n 1
done
