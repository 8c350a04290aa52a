#!/usr/bin/env bash
# Benchmark: vic.industry against text industry codes (GB/T 4754-2017 classes).
# Run by test/bench/run.sh with PGHOST/PGPORT/PGDATABASE set and vic installed in the database.
# VIC_BENCH_ROWS rows (default 10^7).  Prints one line per figure:
#   industry: <what>: vic <x> <unit>, text <y> <unit>, ratio <text/vic>
# The text baseline gets its best set-up: COLLATE "C" (byte order, so LIKE 'C38%' is an index
# range and comparisons skip the locale) and a plain btree index.
set -euo pipefail
rows=${VIC_BENCH_ROWS:-10000000}
runs=3
psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

cleanup() { psql_q -c 'DROP TABLE IF EXISTS industry_bench_vic, industry_bench_text' >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

# A realistic mix: half of the firms in manufacturing (skewed towards the large divisions),
# a fifth in wholesale and retail (F51, F52), the rest spread over all 97 divisions; group and
# class digits skewed towards the first ones.  Written without the section letter, so the load
# also exercises the parser (the letter is implied by the division).  Seeded: every run is alike.
psql_q -v rows="$rows" <<'SQL'
SELECT setseed(0.2017);
CREATE TABLE industry_bench_vic AS
SELECT (lpad(d::text, 2, '0') || (1 + floor(9 * random() ^ 2))::int || floor(10 * random() ^ 2)::int)::vic.industry AS code
FROM (SELECT CASE WHEN r < 0.5 THEN 13 + floor(31 * random() ^ 1.5)::int
                  WHEN r < 0.7 THEN 51 + (random() < 0.4)::int
                  ELSE 1 + floor(97 * random())::int END AS d
      FROM (SELECT random() AS r FROM generate_series(1, :rows)) g) s;
CREATE TABLE industry_bench_text AS SELECT code::text COLLATE "C" AS code FROM industry_bench_vic;
CREATE INDEX industry_bench_vic_code ON industry_bench_vic (code);
CREATE INDEX industry_bench_text_code ON industry_bench_text (code);
VACUUM ANALYZE industry_bench_vic;
VACUUM ANALYZE industry_bench_text;
SQL

# ratio of two numbers, text / vic
ratio() { awk -v t="$2" -v v="$1" 'BEGIN { printf "%.2f", (v > 0 ? t / v : 0) }'; }

# Best wall time in ms over `runs` executions of a query in one session after a warm-up run
# (which also loads vic's library), and the query's result.
best_ms() {
  local q=$1 out best result
  local args=(-c "$q" -c '\timing on')
  for _ in $(seq "$runs"); do args+=(-c "$q"); done
  out=$(psql_q "${args[@]}")
  best=$(printf '%s\n' "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -g | head -1)
  result=$(printf '%s\n' "$out" | grep -v '^Time:' | tail -1)
  printf '%s %s\n' "$best" "$result"
}

mb() { psql_q -c "SELECT round(pg_relation_size('$1') / 1048576.0, 1)"; }

# Per value: 8 bytes against a 1-byte header + 5 characters; heap and index tuples are padded to
# 8-byte multiples, which is why the relation sizes below come out alike.
v=$(psql_q -c "SELECT round(avg(pg_column_size(code)), 2) FROM (SELECT code FROM industry_bench_vic LIMIT 100000) s")
t=$(psql_q -c "SELECT round(avg(pg_column_size(code)), 2) FROM (SELECT code FROM industry_bench_text LIMIT 100000) s")
echo "industry: value size (first 100000 rows): vic $v bytes, text $t bytes, ratio $(ratio "$v" "$t")"
v=$(mb industry_bench_vic); t=$(mb industry_bench_text)
echo "industry: table size ($rows rows): vic $v MB, text $t MB, ratio $(ratio "$v" "$t")"
v=$(mb industry_bench_vic_code); t=$(mb industry_bench_text_code)
echo "industry: btree index size: vic $v MB, text $t MB, ratio $(ratio "$v" "$t")"

read -r vms vres < <(best_ms "SELECT count(*) FROM industry_bench_vic WHERE code OPERATOR(vic.<@) 'C38'")
read -r tms tres < <(best_ms "SELECT count(*) FROM industry_bench_text WHERE code LIKE 'C38%'")
if [ -z "$vms" ] || [ -z "$tms" ] || [ "$vres" != "$tres" ]; then
  echo "industry: lookup failed or results differ: vic $vres rows, text $tres rows" >&2; exit 1
fi
echo "industry: <@ 'C38' vs LIKE 'C38%' lookup, indexed ($vres rows, best of $runs): vic $vms ms, text $tms ms, ratio $(ratio "$vms" "$tms")"

read -r vms vres < <(best_ms "SELECT count(*) FROM (SELECT vic.industry_ancestor(code, 2), count(*) FROM industry_bench_vic GROUP BY 1) s")
read -r tms tres < <(best_ms "SELECT count(*) FROM (SELECT left(code, 3), count(*) FROM industry_bench_text GROUP BY 1) s")
if [ -z "$vms" ] || [ -z "$tms" ] || [ "$vres" != "$tres" ]; then
  echo "industry: grouping failed or group counts differ: vic $vres, text $tres" >&2; exit 1
fi
echo "industry: GROUP BY industry_ancestor(code, 2) vs left(code, 3), full scan ($vres groups, best of $runs): vic $vms ms, text $tms ms, ratio $(ratio "$vms" "$tms")"
