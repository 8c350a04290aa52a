#!/usr/bin/env bash
# Points benchmark (vic.points): Ripley's K at 20 radii against R spatstat's Kest(correction =
# "none") on the same points, end to end from a table, at 10^5 and 10^6 points; and Kd with 99
# random-location simulations for a 5,000-firm cluster among 10^5 sites.
# Points are uniform in a 1 km square (planar metres); the radii are spatstat's default maximum
# for K, rmax = sqrt(1000 / (pi lambda)) (spatstat's rmax.rule("K")), split in 20 equal steps.
# vic: server-side execution time (EXPLAIN ANALYZE) of vic.ripley over vic.points_agg of the table,
# best of two.  spatstat: \copy of the table to CSV, then reading it, ppp and Kest in R (R's start-up
# and library loading excluded).  The results are compared value by value.
# Prints "points: <what>: vic <x> s, spatstat <y> s, ratio <spatstat/vic>".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"${PSQL[@]}" <<'SQL'
DROP TABLE IF EXISTS points_bench_1m, points_bench_sites;
SELECT setseed(0.1);
CREATE TABLE points_bench_1m AS
SELECT i::bigint AS id, ST_MakePoint(1000 * random(), 1000 * random()) AS g FROM generate_series(1, 1000000) i;
SELECT setseed(0.2);
CREATE TABLE points_bench_sites AS
SELECT i::bigint AS id, ST_MakePoint(100000 * random(), 100000 * random()) AS g FROM generate_series(1, 100000) i;
VACUUM ANALYZE points_bench_1m;
VACUUM ANALYZE points_bench_sites;
SQL

for n in 100000 1000000; do
  rmax=$(echo "sqrt(1000 / (3.14159265358979 * $n / 1000000))" | bc -l)
  radii="(SELECT array_agg(i * ($rmax / 20)) FROM generate_series(1, 20) i)"
  q="SELECT count(*) FROM vic.ripley((SELECT vic.points_agg(id, g) FROM points_bench_1m WHERE id <= $n), $radii, 'none', 1e6)"
  v1=$(run1 "" "$q"); v2=$(run1 "" "$q")
  vic=$(printf '%.3f' "$(echo "if ($v1 < $v2) $v1 else $v2" | bc -l)")
  t0=$(date +%s.%N)
  "${PSQL[@]}" -c "\\copy (SELECT id, ST_X(g), ST_Y(g) FROM points_bench_1m WHERE id <= $n) TO '$tmp/p.csv' CSV"
  t1=$(date +%s.%N)
  Rscript "$here/points_spatstat.R" "$tmp/p.csv" 1000 "$rmax" > "$tmp/r.out"
  rsec=$(sed -n 's/^seconds \([0-9.]*\).*/\1/p' "$tmp/r.out")
  peer=$(printf '%.3f' "$(echo "$t1 - $t0 + $rsec" | bc -l)")
  # agreement: the largest relative difference between the two K curves
  rk=$(head -1 "$tmp/r.out")
  diff=$("${PSQL[@]}" -c "SET extra_float_digits = 3;
    SELECT max(abs(k.k - e.k) / e.k) FROM vic.ripley((SELECT vic.points_agg(id, g) FROM points_bench_1m WHERE id <= $n), $radii, 'none', 1e6)
           WITH ORDINALITY k(r, k, l, k_csr, i)
    JOIN unnest(string_to_array(trim('$rk'), ' ')::float8[]) WITH ORDINALITY e(k, i) USING (i)")
  echo "points: K at 20 radii (rmax $(printf '%.1f' "$rmax") m), $n points: vic $vic s, spatstat $peer s (R $(printf '%.3f' "$rsec") s after a \\copy of $(printf '%.3f' "$(echo "$t1 - $t0" | bc -l)") s), ratio $(ratio "$peer" "$vic"); largest relative difference of K $diff"
done

# Kd: 5,000 firms (every 20th site) among 10^5 sites in a 100 km square, 20 radii to 20 km, 99
# simulations; the goal is under 60 s.
q="SELECT count(*) FROM vic.kd_envelope((SELECT vic.points_agg(id, g) FROM points_bench_sites WHERE id % 20 = 0),
                                        (SELECT vic.points_agg(id, g) FROM points_bench_sites),
                                        (SELECT array_agg(1000.0 * i) FROM generate_series(1, 20) i), 99, 1)"
kd=$(printf '%.3f' "$(run1 "" "$q")")
echo "points: kd_envelope, 99 simulations, 5000 firms among 100000 sites, 20 radii: vic $kd s, goal 60 s, ratio $(ratio 60 "$kd") (goal / vic)"

"${PSQL[@]}" -c "DROP TABLE points_bench_1m, points_bench_sites"
