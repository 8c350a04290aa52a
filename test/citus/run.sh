#!/usr/bin/env bash
# test/citus/run.sh: vic on a real three-node Citus cluster (a coordinator and two workers on
# localhost).  Run from anywhere, as root or as a user that may run initdb:
#
#   make install && bash test/citus/run.sh
#
# Skips (one "# skipped: ..." line, exit 0) when citus.so is not in $(pg_config --pkglibdir).
# Otherwise it creates three throwaway clusters in a mktemp directory (initdb as the OS user
# postgres when run as root), on ports $VIC_CITUS_PORT_BASE .. +2 (default 56701-56703), with trust
# authentication on localhost and shared_preload_libraries = 'citus'.  On the coordinator it
# generates the sample economy (test/fixtures/sample.sql, $VIC_CITUS_FIRMS firms, default 20000,
# seed 42) in a plain database vic_ref (the single-node reference) and copies firm, membership and
# link into the Citus database vic_citus, where they are distributed (firm and membership by
# firm_id, colocated; link by src).  Every check runs the same query in both databases and compares
# the text output byte for byte; aggregate queries must also show partial aggregation on the workers
# (worker_partial_agg / coord_combine_agg in EXPLAIN VERBOSE).  Prints TAP ("ok N - ...",
# "not ok N - ...", "# ..." diagnostics, a final "1..N"), stops and removes the clusters on exit and
# exits 0 iff every test passed.
#
# The installed vic must not change under the run: it takes /tmp/vic-install.lock (the lock of
# test/install.sh) unless its caller already holds it on fd 9.
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)

pg_config=${PG_CONFIG:-pg_config}
pkglib=$("$pg_config" --pkglibdir 2>/dev/null) || pkglib=/usr/lib/postgresql/15/lib
if [ ! -f "$pkglib/citus.so" ]; then
  echo "# skipped: Citus is not installed (citus.so not in $pkglib)"
  exit 0
fi
bindir=$("$pg_config" --bindir)
sharedir=$("$pg_config" --sharedir)
export PATH="$bindir:$PATH"

base=${VIC_CITUS_PORT_BASE:-56701}
ports=("$base" $((base + 1)) $((base + 2)))	# coordinator, worker 1, worker 2
nfirms=${VIC_CITUS_FIRMS:-20000}
seed=42
n=0
failed=0
t_start=${EPOCHREALTIME/./}

tap() {	# tap t|f description
  n=$((n + 1))
  if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
diag() { sed 's/^/# /'; }
bail() { echo "Bail out! $*"; exit 1; }
ms_since() { echo $(( (${EPOCHREALTIME/./} - $1) / 1000 )); }

# Keep the installed vic stable while the clusters use it.
if [ "$(readlink "/proc/$$/fd/9" 2>/dev/null)" != /tmp/vic-install.lock ]; then
  exec 9<>/tmp/vic-install.lock 2>/dev/null || exec 9</tmp/vic-install.lock || bail "cannot open /tmp/vic-install.lock"
  flock -w 900 9 || bail "timed out waiting for /tmp/vic-install.lock"
fi

for e in vic postgis citus; do
  [ -f "$sharedir/extension/$e.control" ] || bail "extension $e is not installed in $sharedir/extension"
done

if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || bail "run as root but there is no OS user postgres"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

work=$(mktemp -d /tmp/vic-citus.XXXXXX) || bail "mktemp failed"
chmod 755 "$work"
mkdir "$work/out"
[ "$(id -u)" -eq 0 ] && chown postgres "$work"

cleanup() {
  local i
  for i in 0 1 2; do
    if [ -f "$work/n$i/postmaster.pid" ]; then
      as_pg pg_ctl -D "$work/n$i" -m immediate -w -t 30 stop >/dev/null 2>&1
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PGHOST=localhost PGUSER=postgres PGCONNECT_TIMEOUT=10
unset PGDATABASE PGPORT PGPASSWORD PGSERVICE PGOPTIONS
psqlq() {	# psqlq port db [psql args]: quiet, unaligned, stop on error
  local port=$1 db=$2
  shift 2
  psql -X -q -At -v ON_ERROR_STOP=1 -p "$port" -d "$db" "$@"
}
coord() { psqlq "${ports[0]}" "$@"; }

# ---------------------------------------------------------------------------------------------
# Three clusters.
# ---------------------------------------------------------------------------------------------
t0=${EPOCHREALTIME/./}
pids=()
for i in 0 1 2; do
  as_pg initdb -D "$work/n$i" -U postgres -A trust -E UTF8 --locale=C > "$work/initdb$i.log" 2>&1 &
  pids+=($!)
done
for i in 0 1 2; do
  wait "${pids[$i]}" || { diag < "$work/initdb$i.log"; bail "initdb of node $i failed"; }
  cat >> "$work/n$i/postgresql.conf" <<EOF
port = ${ports[$i]}
listen_addresses = 'localhost'
unix_socket_directories = '$work'
shared_preload_libraries = 'citus'
max_connections = 100
max_prepared_transactions = 100
max_worker_processes = 16
shared_buffers = 128MB
work_mem = '64MB'
fsync = off
synchronous_commit = off
full_page_writes = off
lc_messages = 'C'
log_line_prefix = '%m [%p] '
citus.enable_statistics_collection = off
EOF
done
for i in 0 1 2; do
  as_pg pg_ctl -D "$work/n$i" -l "$work/n$i.log" -w -t 60 start > "$work/start$i.log" 2>&1 ||
    { diag < "$work/start$i.log"; tail -20 "$work/n$i.log" 2>/dev/null | diag; bail "node $i did not start on port ${ports[$i]}"; }
done
# The workers' postmasters at the start (check 8 compares).
for i in 1 2; do
  start_time[$i]=$(psqlq "${ports[$i]}" postgres -c 'SELECT pg_postmaster_start_time()') ||
    bail "cannot connect to worker $i"
  start_pid[$i]=$(head -1 "$work/n$i/postmaster.pid")
done
echo "# clusters up in $(ms_since "$t0") ms: coordinator :${ports[0]}, workers :${ports[1]} :${ports[2]} ($work)"

# ---------------------------------------------------------------------------------------------
# Databases, extensions, nodes, data.
# ---------------------------------------------------------------------------------------------
t0=${EPOCHREALTIME/./}
setup() {
  local i
  # The reference is the serial single-node aggregate (a parallel plan would combine partial states
  # in an order of its own).
  coord postgres -c 'CREATE DATABASE vic_ref' -c 'CREATE DATABASE vic_citus' \
    -c 'ALTER DATABASE vic_ref SET max_parallel_workers_per_gather = 0' || return 1
  for i in 1 2; do
    psqlq "${ports[$i]}" postgres -c 'CREATE DATABASE vic_citus' || return 1
    psqlq "${ports[$i]}" vic_citus -c 'CREATE EXTENSION citus' -c 'CREATE EXTENSION vic CASCADE' || return 1
  done
  coord vic_citus -c 'CREATE EXTENSION citus' -c 'CREATE EXTENSION vic CASCADE' \
    -c "SELECT citus_set_coordinator_host('localhost', ${ports[0]})" \
    -c "SELECT citus_add_node('localhost', ${ports[1]})" \
    -c "SELECT citus_add_node('localhost', ${ports[2]})" > /dev/null || return 1
  # The reference: the sample economy in a plain database.
  coord vic_ref -c 'CREATE EXTENSION vic CASCADE' -f test/fixtures/sample.sql \
    -c "SELECT * FROM vic_sample.generate($nfirms, $seed)" > "$work/generate.out" || return 1
  # The same rows into the Citus database, then distributed.
  coord vic_citus -c 'CREATE SCHEMA vic_sample' || return 1
  pg_dump -p "${ports[0]}" -d vic_ref -O -x \
      -t vic_sample.firm -t vic_sample.membership -t vic_sample.link > "$work/dump.sql" || return 1
  coord vic_citus -f "$work/dump.sql" > /dev/null || return 1
  coord vic_citus -c "SELECT create_distributed_table('vic_sample.firm', 'firm_id')" \
    -c "SELECT create_distributed_table('vic_sample.membership', 'firm_id', colocate_with => 'vic_sample.firm')" \
    -c "SELECT create_distributed_table('vic_sample.link', 'src')" \
    -c "SELECT truncate_local_data_after_distributing_table(t) FROM unnest('{vic_sample.firm,vic_sample.membership,vic_sample.link}'::regclass[]) t" \
    -c 'ANALYZE vic_sample.firm, vic_sample.membership, vic_sample.link' > /dev/null || return 1
}
if setup 2> "$work/setup.err"; then
  tap t "setup: 3 nodes, extensions citus, vic, postgis; sample economy ($nfirms firms, seed $seed) distributed"
  tr '\n' ' ' < "$work/generate.out" | sed 's/^/# rows: /'; echo
  coord vic_citus -F ' ' -c "SELECT 'nodes:', string_agg(nodename || ':' || nodeport || CASE WHEN groupid = 0 THEN ' (coordinator)' ELSE '' END, ', ' ORDER BY groupid) FROM pg_dist_node" | diag
  coord vic_citus -F ' ' -c "SELECT 'citus', citus_version()" | diag
  coord vic_citus -F ' ' -c "SELECT 'shards:', string_agg(logicalrelid::text || ' ' || n || ' (colocation ' || colocationid || ')', ', ' ORDER BY logicalrelid::text) FROM (SELECT logicalrelid, colocationid, count(*) n FROM pg_dist_partition JOIN pg_dist_shard USING (logicalrelid) GROUP BY 1, 2) s" | diag
  echo "# setup took $(ms_since "$t0") ms"
else
  tap f "setup: 3 nodes, extensions, sample economy distributed"
  tail -30 "$work/setup.err" | diag
  echo "1..$n"
  exit 1
fi

# ---------------------------------------------------------------------------------------------
# Checks.
# ---------------------------------------------------------------------------------------------
wait_ready() {	# after a failure: wait (up to 30 s) until every node accepts connections again
  local i k
  for i in 0 1 2; do
    for k in $(seq 60); do
      pg_isready -q -h localhost -p "${ports[$i]}" && break
      sleep 0.5
    done
  done
}

# show where two output files first differ
show_diff() {
  local a=$1 b=$2 off
  echo "reference: $(wc -c < "$a") bytes, $(wc -l < "$a") lines, md5 $(md5sum < "$a" | cut -c1-32)"
  echo "citus:     $(wc -c < "$b") bytes, $(wc -l < "$b") lines, md5 $(md5sum < "$b" | cut -c1-32)"
  off=$(cmp "$a" "$b" 2>/dev/null | sed -n 's/.*differ: \(byte\|char\) \([0-9]*\).*/\2/p')
  if [ -n "$off" ]; then
    off=$((off > 80 ? off - 80 : 1))
    echo "first difference at byte $(cmp "$a" "$b" | sed -n 's/.*differ: \(byte\|char\) \([0-9]*\).*/\2/p'):"
    echo "  reference: ...$(tail -c +"$off" "$a" | head -c 200 | tr '\n' '~')..."
    echo "  citus:     ...$(tail -c +"$off" "$b" | head -c 200 | tr '\n' '~')..."
  else
    cmp "$a" "$b" 2>&1 | head -2
  fi
  # A hint only (the test fails either way): is the difference confined to the location moments?
  if cmp -s <(sed -E 's/"location":\[[^]]*\]//g' "$a") <(sed -E 's/"location":\[[^]]*\]//g' "$b"); then
    echo "(the outputs are identical apart from the \"location\" moments)"
  fi
}

# same desc sql: the query's text output in vic_ref and in vic_citus must be identical
same() {
  local desc=$1 sql=$2 k=$((n + 1)) t=${EPOCHREALTIME/./} ok=t
  coord vic_ref -c "$sql" > "$work/out/$k.ref" 2> "$work/out/$k.ref.err" || ok=ref
  if [ "$ok" = t ]; then
    coord vic_citus -c "$sql" > "$work/out/$k.cit" 2> "$work/out/$k.cit.err" || ok=cit
  fi
  case $ok in
    t)
      if [ -s "$work/out/$k.ref" ] && cmp -s "$work/out/$k.ref" "$work/out/$k.cit"; then
        tap t "$desc ($(wc -c < "$work/out/$k.ref") bytes identical, $(ms_since "$t") ms)"
      else
        tap f "$desc ($(ms_since "$t") ms)"
        [ -s "$work/out/$k.ref" ] || echo "# the reference output is empty"
        show_diff "$work/out/$k.ref" "$work/out/$k.cit" | diag
      fi ;;
    ref) tap f "$desc: the single-node query failed"; tail -5 "$work/out/$k.ref.err" | diag ;;
    cit) tap f "$desc: the Citus query failed ($(ms_since "$t") ms)"; tail -5 "$work/out/$k.cit.err" | diag; wait_ready ;;
  esac
}

# pushed desc sql [show]: EXPLAIN VERBOSE in vic_citus has worker_partial_agg on the workers and
# coord_combine_agg on the coordinator
pushed() {
  local desc=$1 sql=$2 show=${3:-} k=$((n + 1))
  if ! coord vic_citus -c "EXPLAIN (VERBOSE, COSTS OFF) $sql" > "$work/out/$k.plan" 2>&1; then
    tap f "$desc: EXPLAIN failed"; tail -5 "$work/out/$k.plan" | diag; wait_ready; return
  fi
  [ -n "$show" ] && diag < "$work/out/$k.plan"
  if grep -q 'worker_partial_agg' "$work/out/$k.plan" && grep -q 'coord_combine_agg' "$work/out/$k.plan"; then
    tap t "$desc: partial aggregation on the workers (worker_partial_agg + coord_combine_agg)"
  else
    tap f "$desc: partial aggregation on the workers (worker_partial_agg + coord_combine_agg)"
    [ -z "$show" ] && diag < "$work/out/$k.plan"
  fi
}

check_start() { check_t0=${EPOCHREALTIME/./}; echo "# --- check $1"; }
check_end() { echo "# check $1 took $(ms_since "$check_t0") ms"; }

# 0. The distributed tables hold the reference rows.
check_start "0: data"
same "0. firm rows identical" "COPY (SELECT * FROM vic_sample.firm ORDER BY firm_id) TO STDOUT"
same "0. membership rows identical" "COPY (SELECT * FROM vic_sample.membership ORDER BY cluster_id, firm_id) TO STDOUT"
same "0. link rows identical" "COPY (SELECT * FROM vic_sample.link ORDER BY src, dst, kind, since, weight) TO STDOUT"
check_end 0

P5='vic.profile_agg(firm_id, industry, province, location, employees::float8)'
P4='vic.profile_agg(firm_id, industry, province, employees::float8)'
PERCLUSTER="SELECT m.cluster_id, vic.profile_agg(f.firm_id, f.industry, f.province, f.location, f.employees::float8) AS p
  FROM vic_sample.membership m JOIN vic_sample.firm f USING (firm_id) WHERE m.left_on IS NULL GROUP BY m.cluster_id"

check_start "1: ungrouped profile_agg (5 arguments)"
pushed "1. ungrouped profile_agg" "SELECT $P5 FROM vic_sample.firm" show
same "1. ungrouped profile_agg equals single-node" "SELECT $P5 FROM vic_sample.firm"
check_end 1

check_start "2: ungrouped profile_agg without location (4 arguments)"
pushed "2. ungrouped 4-argument profile_agg" "SELECT $P4 FROM vic_sample.firm"
same "2. ungrouped 4-argument profile_agg equals single-node" "SELECT $P4 FROM vic_sample.firm"
check_end 2

check_start "3: profile_agg grouped by province"
pushed "3. profile_agg GROUP BY province" "SELECT province, $P5 FROM vic_sample.firm GROUP BY province"
same "3. profile_agg GROUP BY province equals single-node" \
  "SELECT province, $P5 FROM vic_sample.firm GROUP BY province ORDER BY province"
same "3. 4-argument profile_agg GROUP BY province equals single-node" \
  "SELECT province, $P4 FROM vic_sample.firm GROUP BY province ORDER BY province"
check_end 3

check_start "4: per-cluster profiles over the colocated join membership JOIN firm"
pushed "4. per-cluster profile_agg over membership JOIN firm" "$PERCLUSTER"
same "4. per-cluster profiles equal single-node" "$PERCLUSTER ORDER BY 1"
check_end 4

check_start "5: merge_agg and multi_membership_share over per-cluster profiles"
pushed "5. merge_agg over per-cluster profiles (inner level)" "SELECT vic.merge_agg(p) FROM ($PERCLUSTER) s"
same "5. merge_agg(per-cluster profiles) equals single-node" "SELECT vic.merge_agg(p) FROM ($PERCLUSTER) s"
same "5. multi_membership_share(per-cluster profiles) equals single-node" \
  "SELECT vic.multi_membership_share(p) FROM ($PERCLUSTER) s"
check_end 5

check_start "6: graph_agg over link"
pushed "6. graph_agg(src, dst, weight)" "SELECT vic.graph_agg(src, dst, weight) FROM vic_sample.link"
same "6. graph_agg(src, dst, weight) equals single-node" "SELECT vic.graph_agg(src, dst, weight) FROM vic_sample.link"
pushed "6. graph_agg(src, dst)" "SELECT vic.graph_agg(src, dst) FROM vic_sample.link"
same "6. graph_agg(src, dst) equals single-node" "SELECT vic.graph_agg(src, dst) FROM vic_sample.link"
pushed "6. graph_agg GROUP BY kind" "SELECT kind, vic.graph_agg(src, dst, weight), vic.graph_agg(src, dst) FROM vic_sample.link GROUP BY kind"
same "6. graph_agg(src, dst, weight) GROUP BY kind equals single-node" \
  "SELECT kind, vic.graph_agg(src, dst, weight) FROM vic_sample.link GROUP BY kind ORDER BY kind"
same "6. graph_agg(src, dst) GROUP BY kind equals single-node" \
  "SELECT kind, vic.graph_agg(src, dst) FROM vic_sample.link GROUP BY kind ORDER BY kind"
same "6. merge_agg(graph_agg GROUP BY kind) equals single-node" \
  "SELECT vic.merge_agg(g) FROM (SELECT kind, vic.graph_agg(src, dst, weight) AS g FROM vic_sample.link GROUP BY kind) s"
check_end 6

check_start "7: metrics"
same "7. hhi(p, 'region'), hhi(p, 'industry'), member_count(p) of all firms equal single-node" \
  "SELECT vic.hhi($P5, 'region'), vic.hhi($P5, 'industry'), vic.member_count($P5) FROM vic_sample.firm"
same "7. per-cluster member_count, hhi(p, 'region') equal single-node" \
  "SELECT cluster_id, vic.member_count(p), vic.hhi(p, 'region') FROM ($PERCLUSTER) s ORDER BY 1"
check_end 7

# 8. No worker was restarted and no server process died on any node.
check_start "8: no crash"
for i in 1 2; do
  now=$(psqlq "${ports[$i]}" postgres -c 'SELECT pg_postmaster_start_time()' 2>&1)
  pid=$(head -1 "$work/n$i/postmaster.pid" 2>/dev/null)
  if [ "$now" = "${start_time[$i]}" ] && [ "$pid" = "${start_pid[$i]}" ]; then
    tap t "8. worker $i postmaster not restarted (pid $pid, started ${start_time[$i]})"
  else
    tap f "8. worker $i postmaster not restarted"
    echo "# before: pid ${start_pid[$i]} started ${start_time[$i]}; now: pid ${pid:-none} started $now"
  fi
done
for i in 1 2 0; do
  name=$([ "$i" = 0 ] && echo coordinator || echo "worker $i")
  if grep -qE 'terminated by signal|was terminated by exception|TRAP:|PANIC:|terminating any other active server processes' "$work/n$i.log"; then
    tap f "8. no server process of the $name died (log)"
    grep -E -A2 'terminated by signal|was terminated by exception|TRAP:|PANIC:' "$work/n$i.log" | head -20 | cut -c1-400 | diag
  else
    tap t "8. no server process of the $name died (log)"
  fi
done
check_end 8

echo "# total $(ms_since "$t_start") ms"
echo "1..$n"
[ "$failed" -eq 0 ]
