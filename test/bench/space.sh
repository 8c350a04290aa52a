#!/usr/bin/env bash
# Space benchmark (issue 12): relatedness + relatedness density + ECI of a county-by-4-digit table
# (VIC_BENCH_SPACE_UNITS = 3000 units x VIC_BENCH_SPACE_INDUSTRIES = 1400 industries, about
# VIC_BENCH_SPACE_CELLS = 10^6 nonzero cells), end to end from the table, in one statement:
# vic.space_agg, then vic.relatedness (every co-occurring pair, summed), vic.diversification_targets
# (the 5 lacking industries of highest density of every unit) and vic.eci.  Baseline: the same
# computation in numpy + scipy.sparse (test/bench/space_peers.py), the table read through psycopg.
# Both print the same check figures, which must agree.  Best of three runs each, taken in turns.
# Prints "space: relatedness + density + ECI: vic <x> s, numpy/scipy <y> s, ratio <peer/vic>".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
units=${VIC_BENCH_SPACE_UNITS:-3000}
industries=${VIC_BENCH_SPACE_INDUSTRIES:-1400}
cells=${VIC_BENCH_SPACE_CELLS:-1000000}
[ "${VIC_BENCH_SCALE:-full}" = small ] && { units=${VIC_BENCH_SPACE_UNITS:-600}; industries=${VIC_BENCH_SPACE_INDUSTRIES:-400}; cells=${VIC_BENCH_SPACE_CELLS:-60000}; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)

"${PSQL[@]}" -v units="$units" -v industries="$industries" -v cells="$cells" \
  -f "$here/space_data.sql" >/dev/null
echo "space: table vic_bench_space: $("${PSQL[@]}" -c "SELECT count(*) || ' cells, ' || count(DISTINCT unit) || ' units, ' || count(DISTINCT industry) || ' industries' FROM vic_bench_space")"

query="WITH s AS MATERIALIZED (SELECT vic.space_agg(unit, industry, weight) AS s FROM vic_bench_space)
SELECT (SELECT count(*) || ' ' || sum(relatedness) FROM s, vic.relatedness(s.s)) AS rel,
       (SELECT count(*) || ' ' || sum(density) FROM s, vic.diversification_targets(s.s, 5)) AS targets,
       (SELECT sum(e.eci * d.diversity) FROM s, vic.eci(s.s) e JOIN vic.diversity(s.s) d USING (unit)) AS eci"

# one vic run: seconds (client wall clock around one statement, as the peer's) and the figures
vic_run() {
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$("${PSQL[@]}" -F ' ' -c "$query")
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $out"
}

best_vic=""; best_peer=""
vic_run >/dev/null
for i in 1 2 3; do
  v=$(vic_run)
  p=$(/usr/bin/python3 "$here/space_peers.py")
  tv=$(echo "$v" | cut -d' ' -f1)
  tp=$(echo "$p" | cut -d' ' -f2)
  if [ -z "$best_vic" ] || [ "$(echo "$tv < $best_vic" | bc -l)" = 1 ]; then best_vic=$tv; fi
  if [ -z "$best_peer" ] || [ "$(echo "$tp < $best_peer" | bc -l)" = 1 ]; then best_peer=$tp; fi
done
echo "space: vic figures:  $(echo "$v" | cut -d' ' -f2-)"
echo "space: peer figures: $(echo "$p" | cut -d' ' -f3-)"
# the figures must agree: pairs and targets exactly, sums to 1e-9 relative
/usr/bin/python3 - "$v" "$p" <<'PY'
import sys
v = sys.argv[1].split()[1:]
p = sys.argv[2].split()[2:]
ok = v[0] == p[0] and v[2] == p[2]
for a, b in ((v[1], p[1]), (v[3], p[3]), (v[4], p[4])):
    ok = ok and abs(float(a) - float(b)) <= 1e-9 * max(abs(float(a)), abs(float(b)), 1)
if not ok:
    print("space: MISMATCH between vic and the numpy/scipy peer")
    sys.exit(1)
PY
printf 'space: relatedness + density + ECI (%s units x %s industries): vic %.3f s, numpy/scipy %.3f s, ratio %.2f\n' \
  "$units" "$industries" "$best_vic" "$best_peer" "$(echo "$best_peer / $best_vic" | bc -l)"
"${PSQL[@]}" -c "DROP TABLE vic_bench_space"
