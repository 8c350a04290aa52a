#!/usr/bin/env bash
# Benchmark of vic.profile against baselines measured in the same run.
# Needs PGHOST/PGPORT/PGDATABASE (and PGUSER) of a database with vic installed.
# Rows: VIC_BENCH_ROWS (default 10000000) in 1,000 clusters.  Uses the sample data
# (vic_sample.firm + vic_sample.membership) when it is loaded, otherwise generates
# its own table with hash-based randomness.
# Prints "profile: <what>: vic <x> s, <baseline> <y> s, ratio <r>" lines.
set -euo pipefail
rows=${VIC_BENCH_ROWS:-10000000}
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
# vic.industry's operators live in schema vic
export PGOPTIONS="${PGOPTIONS:-} -c search_path=public,vic -c client_min_messages=warning"

# best of two runs of a query, in seconds: server-side execution time from
# EXPLAIN ANALYZE (no client transfer or connection start-up in the figure).
# $1 = settings, $2 = query
timeit() {
  local best="" t
  for _ in 1 2; do
    t=$("${PSQL[@]}" -c "$1 EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $2" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')
    t=$(echo "$t / 1000" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  printf '%.3f' "$best"
}

ratio() {
  if [ "$(echo "$2 > 0" | bc -l)" = 1 ]; then printf '%.2f' "$(echo "$1 / $2" | bc -l)"; else printf 'n/a'; fi
}

has_sample=$("${PSQL[@]}" -c "SELECT to_regclass('vic_sample.firm') IS NOT NULL AND to_regclass('vic_sample.membership') IS NOT NULL")
if [ "$has_sample" = t ]; then
  src=profile_bench_src
  # the region is the firm's region, else its city; the weight its size, else its employees
  col() { "${PSQL[@]}" -c "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'vic_sample' AND table_name = 'firm' AND column_name = '$1'"; }
  region="f.city_id::text"; [ "$(col region)" = 1 ] && region="f.region"
  weight="f.employees::float8"; [ "$(col size)" = 1 ] && weight="f.size::float8"
  "${PSQL[@]}" <<SQL
DROP TABLE IF EXISTS profile_bench_src;
CREATE TABLE profile_bench_src AS
SELECT m.cluster_id, f.firm_id AS member, f.industry, $region AS region, f.location::geography AS location,
       $weight AS weight
FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id)
LIMIT $rows;
ANALYZE profile_bench_src;
SQL
else
  src=profile_bench_src
  "${PSQL[@]}" <<SQL
DROP TABLE IF EXISTS profile_bench_src;
CREATE TABLE profile_bench_src AS
SELECT 1 + abs(hashint8(g)) % 1000 AS cluster_id,
       g AS member,
       (ARRAY['C1311','C1312','C1411','C1512','C2011','C2612','C2710','C3311','C3825','C3911',
              'C3922','C3961','C4011','I6410','I6513','M7320','F5137','G5436','E4710','L7212']::vic.industry[])
         [1 + abs(hashint8(g + 11)) % 20] AS industry,
       'R' || (abs(hashint8(g + 23)) % 300) AS region,
       ST_SetSRID(ST_MakePoint(100 + (abs(hashint8(g + 37)) % 200000) / 10000.0,
                               20 + (abs(hashint8(g + 41)) % 200000) / 10000.0), 4326)::geography AS location,
       (1 + abs(hashint8(g + 53)) % 500)::float8 AS weight
FROM generate_series(1, $rows) g;
ANALYZE profile_bench_src;
SQL
fi
n=$("${PSQL[@]}" -c "SELECT count(*) FROM $src")
echo "profile: data: $n rows in $("${PSQL[@]}" -c "SELECT count(DISTINCT cluster_id) FROM $src") clusters (sample data: $has_sample)"

# JIT off for vic and baselines alike: at small scales its compile time swamps both
serial="SET jit = off; SET max_parallel_workers_per_gather = 0;"

# (1) the aggregate against the scan floor
t_vic=$(timeit "$serial" "SELECT vic.member_count(vic.profile_agg(member, industry, region, location, weight)) FROM $src")
t_base=$(timeit "$serial" "SELECT count(*), sum(weight) FROM $src")
echo "profile: profile_agg over all rows (one profile, serial): vic $t_vic s, count+sum $t_base s, ratio $(ratio "$t_vic" "$t_base")"
t_vic=$(timeit "$serial" "SELECT cluster_id, vic.member_count(vic.profile_agg(member, industry, region, location, weight)) FROM $src GROUP BY cluster_id")
t_base=$(timeit "$serial" "SELECT cluster_id, count(*), sum(weight) FROM $src GROUP BY cluster_id")
echo "profile: profile_agg per cluster (serial): vic $t_vic s, count+sum per cluster $t_base s, ratio $(ratio "$t_vic" "$t_base")"

# (2) HHI + entropy + location quotients for every cluster
"${PSQL[@]}" <<SQL
DROP TABLE IF EXISTS profile_bench_prof;
CREATE TABLE profile_bench_prof AS
SELECT cluster_id, vic.profile_agg(member, industry, region, location, weight) AS p FROM $src GROUP BY cluster_id;
DROP TABLE IF EXISTS profile_bench_ref;
CREATE TABLE profile_bench_ref AS SELECT vic.merge_agg(p) AS ref FROM profile_bench_prof;
SQL
q_vic="SELECT cluster_id, vic.hhi(p), vic.entropy(p),
              (SELECT array_agg(lq ORDER BY industry) FILTER (WHERE lq > 0) FROM vic.location_quotients(p, ref)) AS lqs
       FROM profile_bench_prof, profile_bench_ref"
q_sql="WITH ci AS (SELECT cluster_id, industry, sum(weight) AS w FROM $src GROUP BY cluster_id, industry),
            s AS (SELECT cluster_id, industry, w / sum(w) OVER (PARTITION BY cluster_id) AS share FROM ci),
            nat AS (SELECT industry, w / sum(w) OVER () AS nshare FROM (SELECT industry, sum(weight) AS w FROM $src GROUP BY industry) x)
       SELECT cluster_id, sum(share * share) AS hhi, -sum(share * ln(share) / ln(2.0::float8)) AS entropy,
              array_agg(share / nshare ORDER BY industry) AS lqs
       FROM s JOIN nat USING (industry) GROUP BY cluster_id"
t_vic=$(timeit "$serial" "$q_vic")
t_base=$(timeit "$serial" "$q_sql")
bad=$("${PSQL[@]}" -c "SELECT count(*) FROM ($q_vic) v JOIN ($q_sql) b USING (cluster_id)
        WHERE abs(v.hhi - b.hhi) > 1e-9 OR abs(v.entropy - b.entropy) > 1e-9
           OR array_length(v.lqs, 1) <> array_length(b.lqs, 1)
           OR abs((SELECT sum(x) FROM unnest(v.lqs) x) - (SELECT sum(x) FROM unnest(b.lqs) x)) > 1e-9")
echo "profile: hhi+entropy+LQ for every cluster from profiles: vic $t_vic s, GROUP BY + window SQL $t_base s, ratio $(ratio "$t_base" "$t_vic")x faster (clusters disagreeing: $bad)"

# (3) parallel aggregate: 2 workers against none
par="SET jit = off; SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
t_par=$(timeit "$par" "SELECT cluster_id, vic.member_count(vic.profile_agg(member, industry, region, location, weight)) FROM $src GROUP BY cluster_id")
t_ser=$(timeit "$serial" "SELECT cluster_id, vic.member_count(vic.profile_agg(member, industry, region, location, weight)) FROM $src GROUP BY cluster_id")
echo "profile: profile_agg per cluster, 2 workers vs none: vic $t_par s, serial $t_ser s, ratio $(ratio "$t_ser" "$t_par")x faster"
t_par=$(timeit "$par" "SELECT vic.member_count(vic.profile_agg(member, industry, region, location, weight)) FROM $src")
t_ser=$(timeit "$serial" "SELECT vic.member_count(vic.profile_agg(member, industry, region, location, weight)) FROM $src")
echo "profile: profile_agg one profile, 2 workers vs none: vic $t_par s, serial $t_ser s, ratio $(ratio "$t_ser" "$t_par")x faster"

"${PSQL[@]}" -c "DROP TABLE profile_bench_src, profile_bench_prof, profile_bench_ref"
