#!/usr/bin/env bash
# Benchmark of vic.profile on the sample economy, against baselines measured in the same run.
# Needs PGHOST/PGPORT/PGDATABASE (and PGUSER) of a database with vic installed, and VIC_SAMPLE_SQL
# (test/fixtures/sample.sql).  Generates VIC_BENCH_ROWS firms (default 10^7: 1,000 clusters) without
# supply links (links_per_firm = 0; the profile reads firms and memberships only), then measures
#   (1) vic.profile_agg over all firms (one profile of the whole economy: member, industry,
#       province, location, employees) against SELECT count(*), sum(employees) over the same rows,
#       the scan floor (goal: at most 2x);
#   (2) HHI + entropy + location quotients against the whole economy for every cluster, from
#       stored profiles, against the same numbers from hand-written SQL (GROUP BY and window
#       functions over the cluster rows and a table of national shares; goal: at least 5x faster);
#   (3) the aggregates of (1) and per cluster with 2 parallel workers against none (goal: 1.6x);
#   (4) the stored size of the cluster profiles in the compact layout (version 2) against the
#       layout of vic 0.1.0 (version 1; goal: at least 3x smaller), and the timings of (1), (2) and
#       of a metric that reads the members, this build against vic 0.1.0: 0.1.0 is built from this
#       repository's history (commit BASE below) in a temporary folder and its vic.so and this
#       one take turns in the installed library path (each query in a fresh session, best of 3
#       rounds); the current one is put back at the end.
# Prints "profile: <what>: vic <x> s, <baseline> <y> s, ratio <r>" lines.
# VIC_BENCH_REUSE_SAMPLE=1 uses an existing vic_sample schema of that many firms (and keeps it).
set -euo pipefail
BASE=e6bd7886e6261ecafd2151e7cd966c53d5bb3432	# release 0.1.0: the version-1 stored layout
firms=${VIC_BENCH_ROWS:-10000000}
sql=${VIC_SAMPLE_SQL:-$(dirname "$0")/../fixtures/sample.sql}
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
# vic.industry's operators live in schema vic
export PGOPTIONS="${PGOPTIONS:-} -c search_path=public,vic -c client_min_messages=warning"

. "$(dirname "$0")/lib.sh"

reuse=0
if [ "${VIC_BENCH_REUSE_SAMPLE:-0}" = 1 ] &&
   [ "$("${PSQL[@]}" -c "SELECT CASE WHEN to_regclass('vic_sample.firm') IS NULL THEN 0 ELSE (SELECT count(*) FROM vic_sample.firm) END")" = "$firms" ]; then
  reuse=1
fi
lib=$(pg_config --pkglibdir)
work=$(mktemp -d)
cp "$lib/vic.so" "$work/new.so"
cleanup() {
  cp "$work/new.so" "$lib/vic.so" 2>/dev/null || true
  rm -rf "$work"
  "${PSQL[@]}" -c 'DROP TABLE IF EXISTS profile_bench_prof, profile_bench_prof_v1, profile_bench_ref, profile_bench_ref_v1, profile_bench_rows, profile_bench_nat' >/dev/null 2>&1 || true
  [ "$reuse" = 1 ] || "${PSQL[@]}" -c 'DROP SCHEMA IF EXISTS vic_sample CASCADE' >/dev/null 2>&1 || true
}
trap cleanup EXIT

t0=$(date +%s)
if [ "$reuse" = 0 ]; then
  "${PSQL[@]}" -f "$sql"
  "${PSQL[@]}" -c "SELECT * FROM vic_sample.generate($firms, 42, 0)" >/dev/null
  "${PSQL[@]}" -c "VACUUM ANALYZE vic_sample.firm, vic_sample.membership"
fi
"${PSQL[@]}" -c "CHECKPOINT"
echo "profile: data: sample economy of $("${PSQL[@]}" -c "SELECT count(*) FROM vic_sample.firm") firms," \
     "$("${PSQL[@]}" -c "SELECT count(*) FROM vic_sample.membership") memberships in" \
     "$("${PSQL[@]}" -c "SELECT count(*) FROM vic_sample.cluster") clusters (generated in $(( $(date +%s) - t0 )) s)"

# The rows of every cluster, joined once: the per-cluster aggregates and the SQL baseline of (2)
# read this table, so that the join is not part of either figure.
"${PSQL[@]}" <<SQL
SET max_parallel_workers_per_gather = 0;
CREATE TABLE profile_bench_rows AS
SELECT m.cluster_id, f.firm_id, f.industry, f.province, f.location, f.employees AS weight
FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id);
CREATE TABLE profile_bench_nat AS
SELECT industry, w / sum(w) OVER () AS nshare FROM (SELECT industry, sum(employees) AS w FROM vic_sample.firm GROUP BY industry) x;
VACUUM ANALYZE profile_bench_rows, profile_bench_nat;
CHECKPOINT;
SQL

# JIT off for vic and baselines alike: at small scales its compile time swamps both
serial="SET jit = off; SET max_parallel_workers_per_gather = 0;"
par="SET jit = off; SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
all_q="SELECT vic.member_count(vic.profile_agg(firm_id, industry, province, location, employees)) FROM vic_sample.firm"
cl_q="SELECT cluster_id, vic.member_count(vic.profile_agg(firm_id, industry, province, location, weight))
      FROM profile_bench_rows GROUP BY cluster_id"

# (1) the aggregate against the scan floor
timepair "$serial" "$all_q" "$serial" "SELECT count(*), sum(employees) FROM vic_sample.firm"
t_vic=$a; t_base=$b
echo "profile: profile_agg over all $firms firms (one profile, serial): vic $t_vic s, count+sum $t_base s, ratio $(ratio "$t_vic" "$t_base")"
timepair "$serial" "$cl_q" "$serial" "SELECT cluster_id, count(*), sum(weight) FROM profile_bench_rows GROUP BY cluster_id"
t_vic=$a; t_base=$b
echo "profile: profile_agg per cluster (serial): vic $t_vic s, count+sum per cluster $t_base s, ratio $(ratio "$t_vic" "$t_base")"

# (2) HHI + entropy + location quotients for every cluster.  vic reads the stored cluster profiles
# and the stored profile of the whole economy; SQL reads the stored cluster rows and the stored
# national industry shares.
"${PSQL[@]}" <<SQL
SET max_parallel_workers_per_gather = 0;
CREATE TABLE profile_bench_prof AS
SELECT cluster_id, vic.profile_agg(firm_id, industry, province, location, weight) AS p
FROM profile_bench_rows GROUP BY cluster_id;
CREATE TABLE profile_bench_ref AS
SELECT vic.profile_agg(firm_id, industry, province, location, employees) AS ref FROM vic_sample.firm;
VACUUM ANALYZE profile_bench_prof, profile_bench_ref;
CHECKPOINT;
SQL
echo "profile: stored: $("${PSQL[@]}" -c "SELECT count(*) || ' cluster profiles, ' || pg_size_pretty(pg_total_relation_size('profile_bench_prof')) || '; whole-economy profile ' || pg_size_pretty(pg_total_relation_size('profile_bench_ref')) || '; cluster rows ' || pg_size_pretty(pg_total_relation_size('profile_bench_rows')) FROM profile_bench_prof")"
q_vic="SELECT cluster_id, vic.hhi(p), vic.entropy(p),
              (SELECT array_agg(lq ORDER BY industry) FILTER (WHERE lq > 0) FROM vic.location_quotients(p, ref)) AS lqs
       FROM profile_bench_prof, profile_bench_ref"
q_sql="WITH ci AS (SELECT cluster_id, industry, sum(weight) AS w FROM profile_bench_rows GROUP BY cluster_id, industry),
            s AS (SELECT cluster_id, industry, w / sum(w) OVER (PARTITION BY cluster_id) AS share FROM ci)
       SELECT cluster_id, sum(share * share) AS hhi, -sum(share * ln(share) / ln(2.0::float8)) AS entropy,
              array_agg(share / nshare ORDER BY industry) AS lqs
       FROM s JOIN profile_bench_nat USING (industry) GROUP BY cluster_id"
timepair "$serial" "$q_vic" "$serial" "$q_sql"
t_vic=$a; t_base=$b
bad=$("${PSQL[@]}" -c "SELECT count(*) FROM ($q_vic) v FULL JOIN ($q_sql) b USING (cluster_id)
        WHERE v.cluster_id IS NULL OR b.cluster_id IS NULL
           OR abs(v.hhi - b.hhi) > 1e-9 OR abs(v.entropy - b.entropy) > 1e-9
           OR array_length(v.lqs, 1) <> array_length(b.lqs, 1)
           OR abs((SELECT sum(x) FROM unnest(v.lqs) x) - (SELECT sum(x) FROM unnest(b.lqs) x)) > 1e-9")
echo "profile: hhi+entropy+LQ for every cluster from profiles: vic $t_vic s, GROUP BY + window SQL $t_base s, ratio $(ratio "$t_base" "$t_vic")x faster (clusters disagreeing: $bad)"

# (3) parallel aggregate: 2 workers against none
timepair "$par" "$all_q" "$serial" "$all_q"
t_par=$a; t_ser=$b
echo "profile: profile_agg over all firms, 2 workers vs none: vic $t_par s, serial $t_ser s, ratio $(ratio "$t_ser" "$t_par")x faster"
timepair "$par" "$cl_q" "$serial" "$cl_q"
t_par=$a; t_ser=$b
echo "profile: profile_agg per cluster, 2 workers vs none: vic $t_par s, serial $t_ser s, ratio $(ratio "$t_ser" "$t_par")x faster"
timepair "$par" "SELECT count(*), sum(employees) FROM vic_sample.firm" "$serial" "SELECT count(*), sum(employees) FROM vic_sample.firm"
t_par=$a; t_ser=$b
echo "profile: the scan floor (count+sum over all firms), 2 workers vs none: $t_par s, serial $t_ser s, ratio $(ratio "$t_ser" "$t_par")x faster"

# (4) the compact stored layout against vic 0.1.0's
top=${VIC_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! git -C "$top" cat-file -e "$BASE^{commit}" 2>/dev/null; then
  echo "profile: layout: skipped: the 0.1.0 commit $BASE is not in this clone's history"
  exit 0
fi
mkdir "$work/base"
git -C "$top" archive "$BASE" | tar -x -C "$work/base"
make -s -C "$work/base" >/dev/null 2>&1 || { echo "profile: the 0.1.0 build fails" >&2; exit 1; }
cp "$work/base/vic.so" "$work/old.so"
swap() { cp "$work/$1.so" "$work/swap.so" && mv -f "$work/swap.so" "$lib/vic.so"; }

# the same cluster profiles (and economy profile) stored by 0.1.0: version 1
swap old
"${PSQL[@]}" <<SQL
SET max_parallel_workers_per_gather = 0;
CREATE TABLE profile_bench_prof_v1 AS
SELECT cluster_id, vic.profile_agg(firm_id, industry, province, location, weight) AS p
FROM profile_bench_rows GROUP BY cluster_id;
CREATE TABLE profile_bench_ref_v1 AS
SELECT vic.profile_agg(firm_id, industry, province, location, employees) AS ref FROM vic_sample.firm;
VACUUM ANALYZE profile_bench_prof_v1, profile_bench_ref_v1;
CHECKPOINT;
SQL
swap new
read -r n v1 v2 same <<<"$("${PSQL[@]}" -F ' ' -c "SELECT count(*), sum(pg_column_size(a.p)), sum(pg_column_size(b.p)), bool_and(a.p = b.p)
                                                  FROM profile_bench_prof_v1 a JOIN profile_bench_prof b USING (cluster_id)")"
read -r e1 e2 <<<"$("${PSQL[@]}" -F ' ' -c "SELECT pg_column_size(a.ref), pg_column_size(b.ref) FROM profile_bench_ref_v1 a, profile_bench_ref b")"
mb() { awk -v x="$1" 'BEGIN { printf "%.2f MB", x / 1048576 }'; }
echo "profile: stored size of the $n cluster profiles (sum of pg_column_size): compact $(mb "$v2"), 0.1.0 layout $(mb "$v1"), ratio $(ratio "$v1" "$v2")x smaller (goal >= 3; equal content: $same)"
echo "profile: stored size of the whole-economy profile: compact $(mb "$e2"), 0.1.0 layout $(mb "$e1"), ratio $(ratio "$e1" "$e2")x smaller"

# timings, this build (reading its compact profiles) against 0.1.0 (reading its own), in turns
q_mem="SELECT sum(vic.hhi(p, 'member')) FROM profile_bench_prof"
q_merge="SELECT vic.member_count(vic.merge_agg(p)) FROM profile_bench_prof"
declare -A best q
q[metrics]="$q_vic"; q[members]="$q_mem"; q[merge]="$q_merge"; q[all]="$all_q"; q[cluster]="$cl_q"
names=(metrics members merge all cluster)
for round in 1 2 3; do
  for so in old new; do
    swap "$so"
    for k in "${names[@]}"; do
      qq=${q[$k]}
      [ "$so" = old ] && qq=${qq//profile_bench_prof/profile_bench_prof_v1} && qq=${qq//profile_bench_ref/profile_bench_ref_v1}
      [ "$round" = 1 ] && run1 "$serial" "$qq" >/dev/null
      t=$(run1 "$serial" "$qq")
      if [ -z "${best[$so/$k]:-}" ] || [ "$(echo "$t < ${best[$so/$k]}" | bc -l)" = 1 ]; then best[$so/$k]=$t; fi
    done
  done
done
swap new
label() {
  case $1 in
    metrics) echo "hhi+entropy+LQ for every cluster from stored profiles (tables only)" ;;
    members) echo "hhi by member of every stored cluster profile (members decoded)" ;;
    merge) echo "merge_agg of the stored cluster profiles (members decoded)" ;;
    all) echo "profile_agg over all firms (one profile, serial)" ;;
    cluster) echo "profile_agg per cluster (serial)" ;;
  esac
}
for k in "${names[@]}"; do
  a=$(printf '%.3f' "${best[new/$k]}"); b=$(printf '%.3f' "${best[old/$k]}")
  case $k in members|merge) goal="" ;; *) goal="; goal <= 1" ;; esac
  echo "profile: layout: $(label "$k"), this build vs 0.1.0: vic $a s, 0.1.0 $b s, ratio $(ratio "$a" "$b") (this/0.1.0$goal)"
done
