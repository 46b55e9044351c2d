#!/bin/sh
# The demo: a fresh database in build/demo.db, the bundled demo data imported,
# and what was imported printed back. Run by `make demo`.
set -eu
cd "$(dirname "$0")/.."
bin=build/shnor
db=build/demo.db
rm -f "$db" "$db-wal" "$db-shm"
"$bin" --db "$db" init
"$bin" --db "$db" import indicators scripts/demo/indicators.csv
"$bin" --db "$db" import schools scripts/demo/schools.csv
"$bin" --db "$db" import values scripts/demo/values.csv
echo
echo "Imported values (shares as fractions of 1):"
"$bin" --db "$db" export values
