#!/usr/bin/env bash
# Benchmark of vic.profile against the physical layout of the rows, parallel plans and the ad hoc
# question asked in one statement, on generated data, with baselines measured in the same run.
# Needs PGHOST/PGPORT/PGDATABASE of a database with vic installed.  VIC_BENCH_ROWS firms (default
# 10^7) in 1,000 clusters (about 35% of the firms in one, 1.5% in two, as in the sample economy),
# then:
#   (1) per-cluster profiles from membership rows stored cluster by cluster and stored interleaved
#       (rows of different clusters mixed), each against the scan floor count(*), sum() over the
#       same rows (goal: at most 2.5x in both layouts), and one profile of all firms against the
#       scan floor of the firm table (goal: at most 2x);
#   (2) one profile and per-cluster profiles with 2 parallel workers against none (goals: at least
#       1.0x and 1.2x);
#   (3) the ad hoc question in one statement from raw rows: profiles per cluster through the
#       membership join, the economy as their merge_agg, then HHI, entropy and the number of
#       specialised industries (LQ >= 1) of every cluster against the economy, against the same
#       numbers from hand-written GROUP BY + window SQL (goal: at least as fast, aim 2x).
# Prints "profile_layout: <what>: ..., ratio <r>" lines.
set -euo pipefail
firms=${VIC_BENCH_ROWS:-10000000}
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
. "$(dirname "$0")/lib.sh"

cleanup() {
  "${PSQL[@]}" -c 'DROP TABLE IF EXISTS pl_firm, pl_member, pl_rows_clustered, pl_rows_interleaved' >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

# Firms with a realistic industry mix (about 400 classes, skewed), 31 provinces, locations in
# China's extent, heavy-tailed employee counts; memberships; the member rows in two layouts.
"${PSQL[@]}" -v firms="$firms" <<'SQL' >/dev/null
SELECT setseed(0.17);
CREATE TABLE pl_firm AS
SELECT id AS firm_id,
       (lpad((13 + floor(31 * random() ^ 1.5))::int::text, 2, '0') || (1 + floor(9 * random() ^ 2))::int
        || floor(10 * random() ^ 2)::int)::vic.industry AS industry,
       'P' || lpad(floor(31 * random() ^ 1.3)::int::text, 2, '0') AS province,
       ST_SetSRID(ST_MakePoint(75 + 60 * random(), 20 + 30 * random()), 4326)::geography AS location,
       (1 + floor(1000 * random() ^ 6))::float8 AS employees
FROM generate_series(1, :firms) id;
CREATE TABLE pl_member AS
SELECT (abs(hashint8(firm_id)) % 1000)::int AS cluster_id, firm_id FROM pl_firm WHERE random() < 0.35
UNION ALL
SELECT (abs(hashint8(firm_id * 7 + 1)) % 1000)::int, firm_id FROM pl_firm WHERE random() < 0.015;
CREATE TABLE pl_rows_clustered AS
SELECT m.cluster_id, f.* FROM pl_member m JOIN pl_firm f USING (firm_id) ORDER BY m.cluster_id, f.firm_id;
CREATE TABLE pl_rows_interleaved AS SELECT * FROM pl_rows_clustered ORDER BY hashint8(firm_id), cluster_id;
VACUUM ANALYZE pl_firm;
VACUUM ANALYZE pl_member;
VACUUM ANALYZE pl_rows_clustered;
VACUUM ANALYZE pl_rows_interleaved;
CHECKPOINT;
SQL
rows=$("${PSQL[@]}" -c "SELECT count(*) FROM pl_member")
serial="SET max_parallel_workers_per_gather = 0;"
par="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
prof="vic.profile_agg(firm_id, industry, province, location, employees)"

# (1) layouts
for layout in clustered interleaved; do
  timepair "$serial" "SELECT count(*) FROM (SELECT cluster_id, $prof FROM pl_rows_$layout GROUP BY cluster_id) s" \
           "$serial" "SELECT count(*), sum(employees) FROM pl_rows_$layout"
  echo "profile_layout: profile_agg per cluster, $rows rows stored $layout (serial): vic $a s, count+sum $b s, ratio $(ratio "$a" "$b") (goal <= 2.5)"
done
timepair "$serial" "SELECT vic.member_count($prof) FROM pl_firm" "$serial" "SELECT count(*), sum(employees) FROM pl_firm"
echo "profile_layout: one profile_agg of $firms firms (serial): vic $a s, count+sum $b s, ratio $(ratio "$a" "$b") (goal <= 2)"

# (2) parallel plans
timepair "$par" "SELECT vic.member_count($prof) FROM pl_firm" "$serial" "SELECT vic.member_count($prof) FROM pl_firm"
echo "profile_layout: one profile_agg, 2 workers vs none: vic $a s, serial $b s, ratio $(ratio "$b" "$a")x faster (goal >= 1.0)"
timepair "$par" "SELECT count(*) FROM (SELECT cluster_id, $prof FROM pl_rows_interleaved GROUP BY cluster_id) s" \
         "$serial" "SELECT count(*) FROM (SELECT cluster_id, $prof FROM pl_rows_interleaved GROUP BY cluster_id) s"
echo "profile_layout: profile_agg per cluster (interleaved), 2 workers vs none: vic $a s, serial $b s, ratio $(ratio "$b" "$a")x faster (goal >= 1.2)"
timepair "$par" "SELECT count(*), sum(employees) FROM pl_firm" "$serial" "SELECT count(*), sum(employees) FROM pl_firm"
echo "profile_layout: the scan floor, 2 workers vs none: $a s, serial $b s, ratio $(ratio "$b" "$a")x faster"

# (3) the ad hoc question, one statement each
q_vic="SELECT count(*), sum(h), sum(en), sum(nlq) FROM (
  WITH c AS (SELECT m.cluster_id, vic.profile_agg(f.firm_id, f.industry, f.province, f.location, f.employees) p
             FROM pl_member m JOIN pl_firm f USING (firm_id) GROUP BY 1),
       e AS (SELECT vic.merge_agg(p) p FROM c)
  SELECT c.cluster_id, vic.hhi(c.p) h, vic.entropy(c.p) en,
         (SELECT count(*) FROM vic.location_quotients(c.p, e.p) WHERE specialised) nlq FROM c, e) s"
q_sql="SELECT count(*), sum(h), sum(en), sum(nlq) FROM (
  WITH cw AS (SELECT m.cluster_id, f.industry, sum(f.employees) w FROM pl_member m JOIN pl_firm f USING (firm_id) GROUP BY 1, 2),
       s AS (SELECT cluster_id, w / sum(w) OVER (PARTITION BY cluster_id) sh,
                    sum(w) OVER (PARTITION BY industry) / sum(w) OVER () ref FROM cw)
  SELECT cluster_id, sum(sh * sh) h, -sum(sh * ln(sh)) / ln(2) en, count(*) FILTER (WHERE sh / ref >= 1) nlq
  FROM s GROUP BY 1) q"
timepair "$serial" "$q_vic" "$serial" "$q_sql"
same=$("${PSQL[@]}" -c "$serial SELECT (SELECT row(count, round(sum::numeric, 9), round(sum_1::numeric, 9), sum_2)::text FROM ($q_vic) v(count, sum, sum_1, sum_2))
                               = (SELECT row(count, round(sum::numeric, 9), round(sum_1::numeric, 9), sum_2)::text FROM ($q_sql) w(count, sum, sum_1, sum_2))")
echo "profile_layout: ad hoc HHI + entropy + LQ of every cluster in one statement: vic $a s, GROUP BY + window SQL $b s, ratio $(ratio "$b" "$a")x faster (goal >= 1, aim 2; same numbers: $same)"
