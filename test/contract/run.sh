#!/usr/bin/env bash
# test/contract/run.sh: vic's aggregates under Citus's distributed-aggregation contract.
#
# Citus (not packaged in Debian 12) runs an aggregate with a COMBINEFUNC as worker_partial_agg on
# the workers and coord_combine_agg on the coordinator (src/backend/distributed/utils/
# aggregate_utils.c): every row the inner transition function is looked up again into a fresh
# FmgrInfo (fn_extra NULL, fn_mcxt the per-row context) and called with the outer AggState as its
# context; the worker's result is the state's text output, which the coordinator parses, combines
# with the combine function and finalises.  test/contract/vic_contract.c emulates that contract;
# this script builds it (test only, never installed), loads it by absolute path and compares, for
# every aggregate of the extension, the contract path over 1, 2 and 3 shards with the direct
# aggregate, bit for bit as text, ungrouped and grouped (HashAggregate and GroupAggregate).
#
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER, PGPASSWORD exported; vic and PostGIS
# installed into the server); creates the database vic_contract.  Prints TAP lines "ok N - ..." /
# "not ok N - ..." and "# ..." diagnostics; exit status 0 iff every test passed.
# Build, install and run under the install lock (vic_build_install keeps fd 9 locked, and the
# lock is inherited by everything started from the same shell):
#   bash -c '. test/install.sh && vic_build_install && PGPORT=55499 pg_virtualenv -t -v 15 bash test/contract/run.sh'
# CONTRACT_ONLY=regex limits the comparisons to those whose description matches (development).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
db=vic_contract
work=$(mktemp -d /tmp/vic-contract.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
crashes=0
started=$(date +%s)

tap() {
  n=$((n + 1))
  if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

finish() {
  echo "1..$n"
  echo "# $((n - failed)) passed, $failed failed, $crashes backend crash(es), $(( $(date +%s) - started )) s"
  [ "$failed" -eq 0 ]
  exit $?
}

# after a backend crash the postmaster reinitialises; wait until it accepts connections again
wait_server() {
  sleep 0.3
  for _ in $(seq 1 120); do
    psql -X -q -At -d "$db" -c 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

# 1. the module, copied where the postgres OS user can read it
if make -s -C "$here" PG_CONFIG="$PG_CONFIG" > "$work/build.log" 2>&1; then
  tap t "vic_contract.so builds"
else
  tap f "vic_contract.so builds"
  sed 's/^/# /' "$work/build.log" | tail -20
  finish
fi
cp "$here/vic_contract.so" "$work/vic_contract.so"
chmod 755 "$work/vic_contract.so"

# 2. the database: vic, the sample economy (20,000 firms, seed 42), the wrappers and edge cases
dropdb --if-exists -q "$db" 2>/dev/null
if createdb "$db" &&
   psql -X -q -v ON_ERROR_STOP=1 -d "$db" > "$work/setup.log" 2>&1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION vic CASCADE;
\i $top/test/fixtures/sample.sql
SELECT count(*) FROM vic_sample.generate(20000, 42);
\set so '$work/vic_contract.so'
\i $here/setup.sql
SQL
then
  tap t "database $db: vic, sample economy (20,000 firms) and the contract wrappers"
else
  tap f "database $db: vic, sample economy (20,000 firms) and the contract wrappers"
  sed 's/^/# /' "$work/setup.log" | tail -20
  finish
fi

# check DESC AGG ARGS SRC GRP SHARD K STRATEGY: one comparison (contract.compare) in its own session,
# so that a backend crash fails that check only.  A crash is seen in psql's output or, when the
# backend dies after answering (at commit or exit), by the probe: the row of the unlogged table
# contract.alive is gone after the crash recovery that any backend crash causes.
compare() {
  psql -X -q -At -F '|' -d "$db" -v agg="$1" -v args="$2" -v src="$3" -v grp="$4" \
    -v shard="$5" -v k="$6" -v strategy="$7" 2>&1 <<'SQL'
SET statement_timeout = '120s';
SELECT CASE WHEN ok THEN 't' ELSE 'f' END || '|' || detail
FROM contract.compare(:'agg', :'args', :'src', NULLIF(:'grp', ''), :'shard', :k, :'strategy');
SQL
}

check() {
  local desc=$1 out alive result stage crashed=no
  shift
  if [ -n "${CONTRACT_ONLY:-}" ] && ! [[ $desc =~ $CONTRACT_ONLY ]]; then return; fi
  out=$(compare "$@")
  if [[ $out == *"could not connect"* || $out == *"connection to server"*"failed"* ]]; then
    # the server is still recovering from an earlier crash: wait, then run the check once more
    wait_server || { tap f "$desc"; echo "#   the server is not accepting connections"; finish; }
    out=$(compare "$@")
  fi
  [[ $out == *"server closed the connection"* || $out == *"terminated abnormally"* ]] && crashed=yes
  sleep 0.05
  alive=$(psql -X -q -At -d "$db" -c 'SELECT count(*) FROM contract.alive' 2>&1)
  [ "$alive" = 1 ] || crashed=yes
  if [ $crashed = yes ]; then
    crashes=$((crashes + 1))
    wait_server || { tap f "$desc"; echo "#   the server did not come back after a crash"; finish; }
    psql -X -q -d "$db" -c 'TRUNCATE contract.alive; INSERT INTO contract.alive VALUES (1)' >/dev/null 2>&1
    tap f "$desc"
    stage=$(echo "$out" | grep -o 'contract stage: [a-z ]*' | tail -1)
    result=$(echo "$out" | grep -E '^[tf]\|' | tail -1)
    if [ -n "$result" ]; then
      echo "#   BACKEND CRASH after the check had answered (at commit or session exit); it answered: $(echo "$result" | cut -c1-300)"
    else
      echo "#   BACKEND CRASH during ${stage#contract stage: }: $(echo "$out" | grep -v 'contract stage' | tr '\n\t' '  ' | cut -c1-200)"
    fi
    return
  fi
  result=$(echo "$out" | grep -E '^[tf]\|' | tail -1)
  case "$result" in
    t\|*) tap t "$desc"; echo "#   ${result#t|}" ;;
    f\|*) tap f "$desc"; echo "#   ${result#f|}" | cut -c1-700 ;;
    *) tap f "$desc"; echo "$out" | grep -v 'contract stage' | head -5 | sed 's/^/#   /' ;;
  esac
}

P5='vic.profile_agg(bigint,vic.industry,text,geography,float8)'
P4='vic.profile_agg(bigint,vic.industry,text,float8)'
PM='vic.merge_agg(vic.profile)'
MM='vic.multi_membership_share(vic.profile)'
G2='vic.graph_agg(bigint,bigint)'
G3='vic.graph_agg(bigint,bigint,float8)'
GM='vic.merge_agg(vic.graph)'
IMIN='vic.min(vic.industry)'
IMAX='vic.max(vic.industry)'
firm='vic_sample.firm f'
cluster='vic_sample.membership m JOIN vic_sample.firm f USING (firm_id) WHERE m.left_on IS NULL'

# the harness itself, on built-in aggregates whose results are exact in any order: an initial
# value, a final function and a by-reference array state (avg: float8_accum / float8_combine /
# float8_avg; employees are integers, so the sums are exact), a strict by-reference state with no
# initial value (max(text)), a strict by-value one (sum(float8))
check "harness: avg(float8) firms by province, hash, 3 shards" 'pg_catalog.avg(float8)' f.employees "$firm" f.province f.firm_id 3 hash
check "harness: max(text) firms, ungrouped, 2 shards" 'pg_catalog.max(text)' f.province "$firm" '' f.firm_id 2 plain
check "harness: sum(float8) edge rows (NULLs), sort by province, 2 shards" 'pg_catalog.sum(float8)' f.employees 'contract.edge_firm f' f.province f.firm_id 2 sort
check "harness: max(text) empty input, 2 shards" 'pg_catalog.max(text)' f.province "$firm WHERE false" '' f.firm_id 2 plain

# the sample data, each aggregate ungrouped and grouped, over 1, 2 and 3 shards
for v in 5 4; do
  if [ $v = 5 ]; then agg=$P5; args='f.firm_id, f.industry, f.province, f.location::geography, f.employees'
  else agg=$P4; args='f.firm_id, f.industry, f.province, f.employees'; fi
  for k in 1 2 3; do
    check "profile_agg/$v firms, ungrouped, $k shard(s)" "$agg" "$args" "$firm" '' f.firm_id $k plain
  done
  for s in hash sort; do
    for k in 1 2 3; do
      check "profile_agg/$v firms by province, $s, $k shard(s)" "$agg" "$args" "$firm" f.province f.firm_id $k $s
    done
  done
  for s in hash sort; do
    for k in 1 2 3; do
      check "profile_agg/$v per cluster (membership JOIN firm), $s, $k shard(s)" "$agg" "$args" "$cluster" m.cluster_id f.firm_id $k $s
    done
  done
  check "profile_agg/$v edge rows (NULLs, zero weight, repeats), ungrouped, 1 shard" "$agg" "$args" 'contract.edge_firm f' '' f.firm_id 1 plain
  check "profile_agg/$v edge rows, ungrouped, 2 shards" "$agg" "$args" 'contract.edge_firm f' '' f.firm_id 2 plain
  check "profile_agg/$v edge rows by province (a NULL group), hash, 2 shards" "$agg" "$args" 'contract.edge_firm f' f.province f.firm_id 2 hash
  check "profile_agg/$v a single row, 1 shard" "$agg" "$args" 'contract.one_firm f' '' f.firm_id 1 plain
  check "profile_agg/$v a single row, 2 shards (one empty)" "$agg" "$args" 'contract.one_firm f' '' f.firm_id 2 plain
  check "profile_agg/$v empty input, 1 shard" "$agg" "$args" "$firm WHERE false" '' f.firm_id 1 plain
  check "profile_agg/$v empty input, 3 shards" "$agg" "$args" "$firm WHERE false" '' f.firm_id 3 plain
  check "profile_agg/$v a negative weight: the same error" "$agg" "$args" 'contract.bad_firm f' '' f.firm_id 2 plain
done

prof='contract.cluster_profile c'
for pair in "merge_agg(profile)|$PM" "multi_membership_share|$MM"; do
  name=${pair%%|*}; agg=${pair#*|}
  for k in 1 2 3; do
    check "$name of cluster profiles, ungrouped, $k shard(s)" "$agg" c.p "$prof" '' c.cluster_id $k plain
  done
  for s in hash sort; do
    for k in 1 2 3; do
      check "$name of cluster profiles by province, $s, $k shard(s)" "$agg" c.p "$prof" c.province c.cluster_id $k $s
    done
  done
  check "$name of cluster profiles per cluster, hash, 2 shards" "$agg" c.p "$prof" c.cluster_id c.cluster_id 2 hash
  check "$name of a NULL profile only, 1 shard" "$agg" c.p "$prof WHERE c.p IS NULL" '' c.cluster_id 1 plain
  check "$name empty input, 2 shards" "$agg" c.p "$prof WHERE false" '' c.cluster_id 2 plain
done

link='vic_sample.link l'
for v in 2 3; do
  if [ $v = 2 ]; then agg=$G2; args='l.src, l.dst'; else agg=$G3; args='l.src, l.dst, l.weight'; fi
  for k in 1 2 3; do
    check "graph_agg/$v links, ungrouped, $k shard(s)" "$agg" "$args" "$link" '' l.src $k plain
  done
  for s in hash sort; do
    for k in 1 2 3; do
      check "graph_agg/$v links by kind, $s, $k shard(s)" "$agg" "$args" "$link" l.kind l.src $k $s
    done
  done
  check "graph_agg/$v edge rows (NULL ends, parallel edges, loop), 1 shard" "$agg" "$args" 'contract.edge_link l' '' l.src 1 plain
  check "graph_agg/$v edge rows, 2 shards" "$agg" "$args" 'contract.edge_link l' '' l.src 2 plain
  check "graph_agg/$v a single row, 2 shards (one empty)" "$agg" "$args" 'contract.one_link l' '' l.src 2 plain
  check "graph_agg/$v empty input, 2 shards" "$agg" "$args" "$link WHERE false" '' l.src 2 plain
done
check "graph_agg/3 a NULL weight: the same error" "$G3" 'l.src, l.dst, l.weight' 'contract.bad_link l' '' l.src 2 plain

gp='contract.graph_part p'
for k in 1 2 3; do
  check "merge_agg(graph) of graph parts, ungrouped, $k shard(s)" "$GM" p.g "$gp" '' p.bucket $k plain
done
for s in hash sort; do
  for k in 1 2 3; do
    check "merge_agg(graph) of graph parts by kind, $s, $k shard(s)" "$GM" p.g "$gp" p.kind p.bucket $k $s
  done
done
check "merge_agg(graph) of a NULL graph only, 1 shard" "$GM" p.g "$gp WHERE p.g IS NULL" '' p.bucket 1 plain
check "merge_agg(graph) empty input, 2 shards" "$GM" p.g "$gp WHERE false" '' p.bucket 2 plain

for pair in "min|$IMIN" "max|$IMAX"; do
  name=${pair%%|*}; agg=${pair#*|}
  check "$name(industry) firms, ungrouped, 1 shard" "$agg" f.industry "$firm" '' f.firm_id 1 plain
  check "$name(industry) firms, ungrouped, 3 shards" "$agg" f.industry "$firm" '' f.firm_id 3 plain
  check "$name(industry) firms by province, sort, 2 shards" "$agg" f.industry "$firm" f.province f.firm_id 2 sort
  check "$name(industry) edge rows (NULL codes), 2 shards" "$agg" f.industry 'contract.edge_firm f' '' f.firm_id 2 plain
  check "$name(industry) empty input, 2 shards" "$agg" f.industry "$firm WHERE false" '' f.firm_id 2 plain
done

# points_agg (geography and planar geometry, with and without weights) and merge_agg(points)
PA2='vic.points_agg(bigint,geography)'
PA3='vic.points_agg(bigint,geography,float8)'
PAG2='vic.points_agg(bigint,geometry)'
PAG3='vic.points_agg(bigint,geometry,float8)'
PTM='vic.merge_agg(vic.points)'
for pair in "2|$PA2|f.firm_id, f.location" "3|$PA3|f.firm_id, f.location, f.employees" \
            "g2|$PAG2|f.firm_id, f.location::geometry" "g3|$PAG3|f.firm_id, f.location::geometry, f.employees"; do
  v=${pair%%|*}; rest=${pair#*|}; agg=${rest%%|*}; args=${rest#*|}
  for k in 1 2 3; do
    check "points_agg/$v firms, ungrouped, $k shard(s)" "$agg" "$args" "$firm" '' f.firm_id $k plain
  done
  for s in hash sort; do
    check "points_agg/$v firms by province, $s, 2 shards" "$agg" "$args" "$firm" f.province f.firm_id 2 $s
  done
  check "points_agg/$v empty input, 2 shards" "$agg" "$args" "$firm WHERE false" '' f.firm_id 2 plain
done
pp='contract.points_part q'
for k in 1 2 3; do
  check "merge_agg(points) of point parts, ungrouped, $k shard(s)" "$PTM" q.p "$pp" '' q.bucket $k plain
done
check "merge_agg(points) of point parts by province, hash, 2 shards" "$PTM" q.p "$pp" q.province q.bucket 2 hash
check "merge_agg(points) of a NULL set only, 1 shard" "$PTM" q.p "$pp WHERE q.p IS NULL" '' q.bucket 1 plain
check "merge_agg(points) empty input, 2 shards" "$PTM" q.p "$pp WHERE false" '' q.bucket 2 plain

# links: the four links_agg forms over the sample's links joined to both firms, and merge_agg of
# per-kind link summaries
LG4='vic.links_agg(text,text,geography,geography)'
LG5='vic.links_agg(text,text,geography,geography,float8)'
LG6='vic.links_agg(text,text,geography,geography,float8,boolean)'
LUD='vic.links_agg(text,text,float8,float8)'
LM='vic.merge_agg(vic.links)'
lnk='vic_sample.link l JOIN vic_sample.firm a ON a.firm_id = l.src JOIN vic_sample.firm b ON b.firm_id = l.dst'
for pair in "4|$LG4|a.province, b.province, a.location::geography, b.location::geography" \
            "5|$LG5|a.province, b.province, a.location::geography, b.location::geography, l.weight" \
            "6|$LG6|a.province, b.province, a.location::geography, b.location::geography, l.weight, true" \
            "d|$LUD|a.province, b.province, ST_Distance(a.location::geography, b.location::geography), l.weight"; do
  v=${pair%%|*}; rest=${pair#*|}; agg=${rest%%|*}; args=${rest#*|}
  for k in 1 2 3; do
    check "links_agg/$v links, ungrouped, $k shard(s)" "$agg" "$args" "$lnk" '' l.src $k plain
  done
  for s in hash sort; do
    check "links_agg/$v links by kind, $s, 2 shards" "$agg" "$args" "$lnk" l.kind l.src 2 $s
  done
  check "links_agg/$v empty input, 2 shards" "$agg" "$args" "$lnk WHERE false" '' l.src 2 plain
done
lp='contract.links_part p'
for k in 1 2 3; do
  check "merge_agg(links) of link parts, ungrouped, $k shard(s)" "$LM" p.s "$lp" '' p.bucket $k plain
done
check "merge_agg(links) of link parts by kind, hash, 2 shards" "$LM" p.s "$lp" p.kind p.bucket 2 hash
check "merge_agg(links) empty input, 2 shards" "$LM" p.s "$lp WHERE false" '' p.bucket 2 plain

# space_agg (rows and profiles) and merge_agg(space)
SA2='vic.space_agg(text,vic.industry)'
SA3='vic.space_agg(text,vic.industry,float8)'
SAP='vic.space_agg(text,vic.profile)'
SM='vic.merge_agg(vic.space)'
for v in 2 3; do
  if [ $v = 2 ]; then agg=$SA2; args="'city ' || f.city_id, f.industry"; eargs='f.province, f.industry'
  else agg=$SA3; args="'city ' || f.city_id, f.industry, f.employees"; eargs='f.province, f.industry, f.employees'; fi
  for k in 1 2 3; do
    check "space_agg/$v firms (city x industry), ungrouped, $k shard(s)" "$agg" "$args" "$firm" '' f.firm_id $k plain
  done
  for s in hash sort; do
    check "space_agg/$v firms by province, $s, 2 shards" "$agg" "$args" "$firm" f.province f.firm_id 2 $s
  done
  check "space_agg/$v edge rows (NULLs, zero weight, repeats), 2 shards" "$agg" "$eargs" 'contract.edge_firm f' '' f.firm_id 2 plain
  check "space_agg/$v empty input, 2 shards" "$agg" "$args" "$firm WHERE false" '' f.firm_id 2 plain
done
check "space_agg/3 a negative weight: the same error" "$SA3" 'f.province, f.industry, f.employees' 'contract.bad_firm f' '' f.firm_id 2 plain
check "space_agg(unit, profile) of cluster profiles, 2 shards" "$SAP" "c.cluster_id::text, c.p" "$prof" '' c.cluster_id 2 plain
check "space_agg(unit, profile) by province, hash, 3 shards" "$SAP" "c.cluster_id::text, c.p" "$prof" c.province c.cluster_id 3 hash
# merge_agg(space): every firm row as a one-cell space (a NULL province makes a NULL space)
sp="('{\"' || f.province || '\":{' || f.industry::text || '=' || f.employees::text || '}}')::vic.space"
for k in 1 2 3; do
  check "merge_agg(space) of one-cell spaces, ungrouped, $k shard(s)" "$SM" "$sp" "$firm" '' f.firm_id $k plain
done
check "merge_agg(space) of one-cell spaces by city, sort, 2 shards" "$SM" "$sp" "$firm" f.city_id f.firm_id 2 sort
check "merge_agg(space) edge rows (NULL spaces), 2 shards" "$SM" "$sp" 'contract.edge_firm f' '' f.firm_id 2 plain
check "merge_agg(space) empty input, 2 shards" "$SM" "$sp" "$firm WHERE false" '' f.firm_id 2 plain

# iotable_agg, iotable_accounts_agg and merge_agg(iotable)
IO3='vic.iotable_agg(text,text,float8)'
IOA6='vic.iotable_accounts_agg(text,float8,float8,float8,float8,float8)'
IOA8='vic.iotable_accounts_agg(text,float8,float8,float8,float8,float8,float8,float8)'
IOM='vic.merge_agg(vic.iotable)'
iolink='vic_sample.link l JOIN vic_sample.firm a ON a.firm_id = l.src JOIN vic_sample.firm b ON b.firm_id = l.dst'
for k in 1 2 3; do
  check "iotable_agg industry flows of links, ungrouped, $k shard(s)" "$IO3" 'a.industry::text, b.industry::text, l.weight' "$iolink" '' l.src $k plain
done
for s in hash sort; do
  check "iotable_agg industry flows by buyer province, $s, 2 shards" "$IO3" 'a.industry::text, b.industry::text, l.weight' "$iolink" b.province l.src 2 $s
done
check "iotable_agg empty input, 2 shards" "$IO3" 'a.industry::text, b.industry::text, l.weight' "$iolink WHERE false" '' l.src 2 plain
for k in 1 3; do
  check "iotable_accounts_agg/6 employees by industry, ungrouped, $k shard(s)" "$IOA6" 'f.industry::text, f.employees, f.employees / 2, NULL::float8, NULL::float8, NULL::float8' "$firm" '' f.firm_id $k plain
  check "iotable_accounts_agg/8 by province, hash, $k shard(s)" "$IOA8" 'f.industry::text, f.employees, NULL::float8, NULL::float8, NULL::float8, NULL::float8, f.employees / 3, f.employees' "$firm" f.province f.firm_id $k hash
done
psql -X -q -d "$db" -c "CREATE TABLE contract.io_part AS SELECT b.province, l.src % 5 AS bucket, vic.iotable_agg(a.industry::text, b.industry::text, l.weight) AS t FROM vic_sample.link l JOIN vic_sample.firm a ON a.firm_id = l.src JOIN vic_sample.firm b ON b.firm_id = l.dst GROUP BY 1, 2; INSERT INTO contract.io_part VALUES ('Beijing', 99, NULL)" >/dev/null
iopart='contract.io_part p'
for k in 1 2 3; do
  check "merge_agg(iotable) of partial tables, ungrouped, $k shard(s)" "$IOM" p.t "$iopart" '' p.bucket $k plain
done
check "merge_agg(iotable) by province, sort, 2 shards" "$IOM" p.t "$iopart" p.province p.bucket 2 sort

# every aggregate of the extension was compared (an aggregate added later fails here until it is)
if [ -z "${CONTRACT_ONLY:-}" ]; then
  out=$(psql -X -q -At -d "$db" -c "
    SELECT coalesce(string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1), '')
    FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'vic'
    JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid AND p.prokind = 'a'
    WHERE d.deptype = 'e' AND NOT EXISTS (SELECT 1 FROM contract.covered c WHERE c.agg = p.oid)" 2>&1)
  if [ -z "$out" ]; then tap t "every aggregate of vic is covered"
  else tap f "every aggregate of vic is covered"; echo "#   not compared: $out"; fi
fi

# Citus's preconditions for partial aggregation: a COMBINEFUNC and a state that is not internal
out=$(psql -X -q -At -d "$db" -c "
  SELECT coalesce(string_agg(a.aggfnoid::regprocedure::text, ', '), '')
  FROM pg_aggregate a JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid
       AND d.deptype = 'e' JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'vic'
  WHERE a.aggcombinefn = 0 OR a.aggtranstype = 'internal'::regtype" 2>&1)
if [ -z "$out" ]; then tap t "every vic aggregate has a COMBINEFUNC and a non-internal state"
else tap f "every vic aggregate has a COMBINEFUNC and a non-internal state"; echo "#   $out"; fi

if [ "$crashes" -eq 0 ] && psql -X -q -At -d "$db" -c 'SELECT 1' >/dev/null 2>&1; then
  tap t "the server survived every check (no backend crash)"
else
  tap f "the server survived every check (no backend crash)"
  echo "#   $crashes backend crash(es); see 'BACKEND CRASH' above"
fi
finish
