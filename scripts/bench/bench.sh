#!/bin/sh
# The national benchmark, run by `make bench` (never by `make test`):
#
#   make bench                   40,000 schools (and 10,000 and 20,000 for growth)
#   make bench SCHOOLS=10000     a smaller country: 2,500, 5,000 and 10,000
#   make bench REPEAT=5          best of 5 runs of each measurement (default 3)
#
# For each size it generates the data (scripts/bench/gen.c, deterministic),
# then measures, each next to its floor in the same run on the same machine:
#   - import: `shnor import values` of the generated CSV, against the sqlite3
#     shell's `.import` of the same file into a bare table;
#   - evaluation: `shnor list` plus `shnor targets` of the national pack
#     (scripts/bench/national.lua), against one SQL scan of the values the
#     pack reads;
#   - the peak memory (maximum resident set, GNU time) of each.
# Each time is the best of REPEAT runs (shnor and its floor alternate, so they
# see the same load). The table goes to stdout and into README.md, between
# the markers of its "Benchmark" section; nothing else of README.md changes.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SCHOOLS=${SCHOOLS:-40000}
REPEAT=${REPEAT:-3}
bin=$BUILD/shnor
gen=$BUILD/bench/gen
pack=scripts/bench/national.lua
period=2023
TIME=/usr/bin/time

for tool in "$bin" "$gen" "$TIME" sqlite3; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "bench: $tool is missing (make bench builds shnor and the generator; scripts/install-deps bench installs GNU time)" >&2
        exit 1
    }
done

# The (indicator, period) columns the pack reads for `list` and `targets` of
# 2023: the ten indicators of its criteria over 2021-2023, and over 2020-2022
# for the listing of 2022 that the baseline targets count; the context and
# quality of 2022 and 2023; the targets' students (weights) and involvement.
# Keep in step with national.lua: the floor scans exactly these.
reads="vpr_rus5_fail_share vpr_math5_fail_share vpr_rus8_fail_share vpr_math8_fail_share
oge_rus_fail_share oge_math_fail_share ege_rus_mean ege_math_mean"
pairs=""
for ind in $reads; do
    for y in 2020 2021 2022 2023; do
        pairs="$pairs${pairs:+,}('$ind','$y')"
    done
done
for ind in isb low_income_share knowledge_quality_share students; do
    for y in 2022 2023; do
        pairs="$pairs,('$ind','$y')"
    done
done
pairs="$pairs,('programme_involvement_share','2023')"
floor_sql="SELECT count(*), total(o.value) FROM (VALUES $pairs) AS w
  JOIN indicators i ON i.code = w.column1
  JOIN observations o ON o.indicator_id = i.id AND o.period = w.column2;"

export SHNOR_USER=bench

# Runs a command under GNU time; prints "seconds max_rss_kb". The seconds
# are read from the clock around it (GNU time rounds to hundredths).
timed() {
    t0=$(date +%s%N)
    "$TIME" -f "%M" -o "$work/time.out" "$@" >"$work/out" 2>"$work/err" || {
        echo "bench: failed: $*" >&2
        cat "$work/err" >&2
        exit 1
    }
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" -v kb="$(tail -n 1 "$work/time.out")" \
        'BEGIN { printf "%.3f %d\n", (b - a) / 1e9, kb }'
}

# Of lines "seconds kb" on stdin: the best time, and the largest memory.
best_time() { sort -g | head -n 1 | cut -d' ' -f1; }
peak_kb() { sort -k2,2 -g | tail -n 1 | cut -d' ' -f2; }

rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
group() {
    awk -v n="$1" 'BEGIN { s = sprintf("%d", n); out = ""
        while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
        print s out }'
}

sizes="$((SCHOOLS / 4)) $((SCHOOLS / 2)) $SCHOOLS"
results=$BUILD/bench/results.txt
mkdir -p "$BUILD/bench"
: >"$results"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for n in $sizes; do
    work=$BUILD/bench/$n
    rm -rf "$work"
    mkdir -p "$work"
    echo "== $n schools" >&2
    "$gen" "$work" "$n" 2>"$work/gen.txt"
    cat "$work/gen.txt" >&2
    rows=$(($(wc -l <"$work/values.csv") - 1))

    # The register and the catalogue, then a copy for every import.
    "$bin" --db "$work/base.db" init >/dev/null
    "$bin" --db "$work/base.db" import indicators "$work/indicators.csv" >/dev/null
    "$bin" --db "$work/base.db" import schools "$work/schools.csv" >/dev/null

    imp="" fl=""
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        rm -f "$work/t.db" "$work/t.db-wal" "$work/t.db-shm" "$work/floor.db"
        cp "$work/base.db" "$work/t.db"
        imp="$imp${imp:+
}$(timed "$bin" --db "$work/t.db" import values "$work/values.csv")"
        fl="$fl${fl:+
}$(timed sqlite3 "$work/floor.db" \
            "CREATE TABLE v (school TEXT, indicator TEXT, period TEXT, value TEXT);" \
            ".import --csv --skip 1 $work/values.csv v")"
        i=$((i + 1))
    done
    rm -f "$work/floor.db"
    imp_s=$(printf '%s\n' "$imp" | best_time)
    imp_kb=$(printf '%s\n' "$imp" | peak_kb)
    fl_s=$(printf '%s\n' "$fl" | best_time)

    lst="" tgt="" scan=""
    i=0
    while [ "$i" -lt "$REPEAT" ]; do
        lst="$lst${lst:+
}$(timed "$bin" --db "$work/t.db" list --pack "$pack" --lib rules/lib --period "$period" \
            --format csv)"
        cp "$work/out" "$work/list.csv"
        tgt="$tgt${tgt:+
}$(timed "$bin" --db "$work/t.db" targets --pack "$pack" --lib rules/lib --period "$period" \
            --format csv)"
        cp "$work/out" "$work/targets.csv"
        scan="$scan${scan:+
}$(timed sqlite3 "$work/t.db" "$floor_sql")"
        cp "$work/out" "$work/scan.txt"
        i=$((i + 1))
    done
    lst_s=$(printf '%s\n' "$lst" | best_time)
    tgt_s=$(printf '%s\n' "$tgt" | best_time)
    scan_s=$(printf '%s\n' "$scan" | best_time)
    lst_kb=$(printf '%s\n' "$lst" | peak_kb)
    tgt_kb=$(printf '%s\n' "$tgt" | peak_kb)
    scan_kb=$(printf '%s\n' "$scan" | peak_kb)
    low=$(awk -F, '$3 == "low" && $5 == "listed"' "$work/list.csv" | wc -l)
    risk=$(awk -F, '$3 == "risk" && $5 == "listed"' "$work/list.csv" | wc -l)
    scanned=$(cut -d'|' -f1 "$work/scan.txt")
    echo "$n $rows $imp_s $imp_kb $fl_s $lst_s $lst_kb $tgt_s $tgt_kb $scan_s $scan_kb $low $risk $scanned" >>"$results"
    rm -f "$work/values.csv" "$work/base.db"
    [ -n "${KEEP:-}" ] || rm -f "$work/t.db" "$work/t.db-wal" "$work/t.db-shm"
done

# ------------------------------------------------------------------ report
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
sqlite_v=$(sqlite3 --version | cut -d' ' -f1)
lua_v=$(dpkg-query -W -f='${Version}' liblua5.4-0 2>/dev/null || echo '?')

table=$BUILD/bench/table.md
{
    echo "Measured $started on $(uname -sr) $(uname -m), $(nproc) cores ($cpu), $mem;"
    echo "SQLite $sqlite_v, Lua $lua_v; load average $load_before before, $load_after after"
    echo "(the machine is shared). Best of $REPEAT runs; memory is the peak resident set."
    echo
    echo "| schools | values | import | floor: sqlite3 .import | import / floor | import peak |"
    echo "|---:|---:|---:|---:|---:|---:|"
    while read -r n rows imp imp_kb fl lst lst_kb tgt tgt_kb scan scan_kb low risk scanned; do
        echo "| $(group "$n") | $(group "$rows") | ${imp} s, $(group "$(rate "$rows" "$imp")")/s |" \
             "${fl} s, $(group "$(rate "$rows" "$fl")")/s | $(ratio "$fl" "$imp") |" \
             "$(mib "$imp_kb") MiB |"
    done <"$results"
    echo
    echo "| schools | list | targets | list + targets | floor: one SQL scan | (list + targets) / floor | peak: list, targets | listed: low, risk |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    while read -r n rows imp imp_kb fl lst lst_kb tgt tgt_kb scan scan_kb low risk scanned; do
        both=$(awk -v a="$lst" -v b="$tgt" 'BEGIN { printf "%.3f", a + b }')
        echo "| $(group "$n") | ${lst} s | ${tgt} s | ${both} s |" \
             "${scan} s ($(group "$scanned") values) | $(ratio "$both" "$scan") |" \
             "$(mib "$lst_kb"), $(mib "$tgt_kb") MiB |" \
             "$(group "$low") ($(awk -v a="$low" -v n="$n" 'BEGIN { printf "%.1f", 100 * a / n }') %)," \
             "$(group "$risk") ($(awk -v a="$risk" -v n="$n" 'BEGIN { printf "%.1f", 100 * a / n }') %) |"
    done <"$results"
    echo
    # Growth: each size against the one before (twice the schools).
    awk 'function group(n,  s, out) {
             s = sprintf("%d", n); out = ""
             while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
             return s out
         }
         NR == 1 { n0 = $1; i0 = $3; e0 = $6 + $8; next }
         { printf "%s%s to %s schools: import x%.2f, list + targets x%.2f", sep, group(n0),
                  group($1), $3 / i0, ($6 + $8) / e0
           sep = "; "; n0 = $1; i0 = $3; e0 = $6 + $8 }' "$results" >"$work/growth.txt"
    echo "Growth with twice the schools (x2.00 is linear): $(cat "$work/growth.txt")."
} >"$table"

cat "$table"

# Into README.md, between the markers (added at the end when missing).
readme=README.md
begin='<!-- bench:begin (written by make bench) -->'
end='<!-- bench:end -->'
if ! grep -qF "$begin" "$readme"; then
    printf '\n## Benchmark\n\n%s\n%s\n' "$begin" "$end" >>"$readme"
fi
awk -v begin="$begin" -v end="$end" -v table="$table" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$readme" >"$readme.tmp"
mv "$readme.tmp" "$readme"
echo "bench: the table is in $readme (section Benchmark)" >&2
