#!/usr/bin/env bash
# links benchmark (run by test/bench/run.sh with PG* set and vic + postgis installed):
# 1. vic.links_agg over VIC_BENCH_EDGES (default 10^6) links among 300 regions from a table,
#    against a SELECT that computes ST_Distance for every link (sphere, and WGS 84 with
#    use_spheroid); goal: not slower.
# 2. vic.gravity_fit (PPML, origin and destination effects, power cost) on the 89,700 ordered
#    pairs of the 300 regions, against R's glm(family = poisson) with origin and destination
#    factors on the same pairs (r-base-core); goal: 50x faster, the same beta to 1e-6.
# Prints "links: <what>: vic <x> s, <baseline> <y> s, ratio <baseline/vic>".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
. "$here/lib.sh"
links=${VIC_BENCH_EDGES:-1000000}

"${PSQL[@]}" -v links="$links" -f "$here/links_data.sql" >/dev/null

timepair "" "SELECT vic.links_agg(src_region, dst_region, src_location, dst_location, weight) FROM vic_bench_links" \
         "" "SELECT sum(weight * ST_Distance(src_location, dst_location, false)), count(*) FROM vic_bench_links"
echo "links: links_agg over $links links, sphere: vic $a s, SQL ST_Distance(a, b, false) $b s, ratio $(ratio "$b" "$a")"
timepair "" "SELECT vic.links_agg(src_region, dst_region, src_location, dst_location, weight, true) FROM vic_bench_links" \
         "" "SELECT sum(weight * ST_Distance(src_location, dst_location)), count(*) FROM vic_bench_links"
echo "links: links_agg over $links links, WGS 84: vic $a s, SQL ST_Distance(a, b) $b s, ratio $(ratio "$b" "$a")"
# the same summary serially and with workers
same=$("${PSQL[@]}" -c "SET max_parallel_workers_per_gather = 0;
  CREATE TABLE vic_bench_links_serial AS SELECT vic.links_agg(src_region, dst_region, src_location, dst_location, weight) l FROM vic_bench_links;
  SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET min_parallel_table_scan_size = 0;
  SELECT l OPERATOR(vic.=) (SELECT vic.links_agg(src_region, dst_region, src_location, dst_location, weight) FROM vic_bench_links)
  FROM vic_bench_links_serial; DROP TABLE vic_bench_links_serial;" | tail -1)
echo "links: parallel summary equals the serial one: $same"

# gravity: the summary of the pairs (user distances in km), then the fit
"${PSQL[@]}" -c "DROP TABLE IF EXISTS vic_bench_pairsum;
  CREATE TABLE vic_bench_pairsum AS SELECT vic.links_agg(o, d, dist, flow) l FROM vic_bench_pairs" >/dev/null
q="SELECT vic.gravity_fit(l, 'power', 'doubly') FROM vic_bench_pairsum"
run1 "" "$q" >/dev/null
best=""
for i in 1 2 3; do
  t=$(run1 "" "$q")
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
vic_t=$(printf '%.3f' "$best")
vic_fit=$("${PSQL[@]}" -F ' ' -c "SELECT f.beta, f.iterations, f.converged, (SELECT count(*) FROM vic.gravity(l)) FROM vic_bench_pairsum, vic.gravity_fit(l) f")
read -r vic_beta vic_iter vic_conv npairs <<<"$vic_fit"
csv=$(mktemp --suffix=.csv)
"${PSQL[@]}" -c "\\copy (SELECT o, d, dist, flow FROM vic_bench_pairs ORDER BY o, d) TO '$csv' CSV HEADER"
rout=$(Rscript "$here/links_glm.R" "$csv")
rm -f "$csv"
r_t=$(sed -n 's/^R_SECONDS //p' <<<"$rout")
r_beta=$(sed -n 's/^R_BETA //p' <<<"$rout")
r_iter=$(sed -n 's/^R_ITER //p' <<<"$rout")
rel=$(python3 -c "print('%.2e' % (abs($vic_beta - ($r_beta)) / abs($r_beta)))")
echo "links: gravity_fit on $npairs pairs (300 regions, doubly constrained, power): vic $vic_t s ($vic_iter iterations, converged $vic_conv), R glm $r_t s ($r_iter iterations), ratio $(ratio "$r_t" "$vic_t")"
echo "links: gravity beta: vic $vic_beta, R $r_beta, relative difference $rel"
