#!/usr/bin/env bash
# Benchmark: the cost of exact sums (src/xsum.h) in profile_agg and graph_agg.
# Run by test/bench/run.sh with PGHOST/PGPORT/PGDATABASE set and vic installed in the database.
# The baseline is vic as it was before sums became exact (commit BASE below), built from this
# repository's history in a temporary folder; its vic.so and the current one take turns in the
# installed library path (each measured in a fresh session, best of 3 rounds), and the current one
# is put back at the end.  VIC_BENCH_ROWS rows (default 10^7), VIC_BENCH_EDGES edges.  Prints:
#   exact: <what>: exact <x> ms, before <y> ms, ratio <exact/before>   (goal: at most 1.10)
set -euo pipefail
BASE=579492dc2584ae1577379f9d4d41543e61a283f4	# the last commit with rounded running sums
rows=${VIC_BENCH_ROWS:-10000000}
edges=${VIC_BENCH_EDGES:-1000000}
top=${VIC_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
lib=$(pg_config --pkglibdir)
work=$(mktemp -d)
cp "$lib/vic.so" "$work/exact.so"

cleanup() {
  cp "$work/exact.so" "$lib/vic.so" 2>/dev/null || true
  psql_q -c 'DROP TABLE IF EXISTS exact_bench_firm, exact_bench_edge' >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! git -C "$top" cat-file -e "$BASE^{commit}" 2>/dev/null; then
  echo "exact: skipped: the baseline commit $BASE is not in this clone's history"
  exit 0
fi
mkdir "$work/base"
git -C "$top" archive "$BASE" | tar -x -C "$work/base"
make -s -C "$work/base" >/dev/null 2>&1 || { echo "exact: the baseline does not build" >&2; exit 1; }
cp "$work/base/vic.so" "$work/before.so"

# integer weights (employees) with locations, as the sample economy has them; 1,000 groups
psql_q -v rows="$rows" -v edges="$edges" <<'SQL'
SELECT setseed(0.42);
CREATE TABLE exact_bench_firm AS
SELECT id,
       (ARRAY['C1311','C3841','C2611','C3985','F5123','I6510'])[1 + id % 6]::vic.industry AS industry,
       'P' || (id % 31) AS province,
       ST_SetSRID(ST_MakePoint(73 + random() * 62, 18 + random() * 35), 4326)::geography AS location,
       (1 + floor(200 * random() ^ 3))::float8 AS employees,
       id % 1000 AS cluster
FROM generate_series(1, :rows) id;
CREATE TABLE exact_bench_edge AS
SELECT (random() * (:edges / 4))::bigint AS src, (random() * (:edges / 4))::bigint AS dst,
       (1 + floor(10 * random()))::float8 AS w, round((random() * 100)::numeric, 2)::float8 AS w_real
FROM generate_series(1, :edges);
VACUUM ANALYZE exact_bench_firm;
VACUUM ANALYZE exact_bench_edge;
SQL

declare -A q
q[profile]="SELECT vic.member_count(vic.profile_agg(id, industry, province, location, employees)) FROM exact_bench_firm"
q[grouped]="SELECT count(*) FROM (SELECT vic.profile_agg(id, industry, province, location, employees) FROM exact_bench_firm GROUP BY cluster) s"
q[graph]="SELECT vic.edge_count(vic.graph_agg(src, dst, w)) FROM exact_bench_edge"
q[graph_real]="SELECT vic.edge_count(vic.graph_agg(src, dst, w_real)) FROM exact_bench_edge"
names=(profile grouped graph graph_real)
declare -A best

# one fresh session with library `so`: a warm-up, then each query once; records the best times
measure() {
  local so=$1 args=() out
  cp "$work/$so.so" "$lib/vic.so"
  args=(-c "SET max_parallel_workers_per_gather = 0" -c "${q[profile]}" -c '\timing on')
  for n in "${names[@]}"; do args+=(-c "${q[$n]}"); done
  out=$(psql_q "${args[@]}" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
  local i=0
  for t in $out; do
    local n=${names[$i]}
    local k="$so/$n"
    if [ -z "${best[$k]:-}" ] || awk -v a="$t" -v b="${best[$k]}" 'BEGIN { exit !(a < b) }'; then
      best[$k]=$t
    fi
    i=$((i + 1))
  done
}
for round in 1 2 3; do
  measure before
  measure exact
done
cp "$work/exact.so" "$lib/vic.so"

label() {
  case $1 in
    profile) echo "one profile_agg of $rows firms (integer weights, locations)" ;;
    grouped) echo "profile_agg per cluster, 1,000 clusters, $rows firms" ;;
    graph) echo "graph_agg of $edges edges (integer weights)" ;;
    graph_real) echo "graph_agg of $edges edges (weights with cents)" ;;
  esac
}
for n in "${names[@]}"; do
  e=${best[exact/$n]}
  b=${best[before/$n]}
  echo "exact: $(label "$n"): exact $e ms, before $b ms, ratio $(awk -v e="$e" -v b="$b" 'BEGIN { printf "%.3f", e / b }') (exact/before; goal <= 1.10)"
done
