#!/usr/bin/env bash
# make bench: installs the benchmark dependencies (peers: pgRouting, igraph, leidenalg, psycopg),
# builds (-O2, the PGXS default), installs, starts ONE throwaway cluster tuned for analytics, creates
# postgis + vic (+ pgrouting when present), then runs every test/bench/*.sh but this one in name
# order.  Each benchmark prints its figures and a "ratio" against a baseline measured in the same
# run; the run ends with a summary of every ratio line.
#
# Sizes: VIC_BENCH_ROWS (rows, default 10^7), VIC_BENCH_EDGES (default 10^6), VIC_BENCH_NODES
# (default 10^5); `make bench SCALE=small` (or VIC_BENCH_SCALE=small) sets 10^5 / 10^5 / 10^4.
# An explicit VIC_BENCH_* wins over SCALE.  VIC_BENCH_ONLY="industry sample" runs only those.
# VIC_PGPORT picks the port (default 55430); VIC_BENCH_OUT the results file
# (default /tmp/vic-bench/latest.txt; the previous one is kept as previous.txt).
# Benchmarks get the PG* variables of the cluster, the sizes above and VIC_SAMPLE_SQL (the
# sample economy generator, test/fixtures/sample.sql) in their environment.
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)

scale=${SCALE:-${VIC_BENCH_SCALE:-full}}
case "$scale" in
  small) rows=100000; edges=100000; nodes=10000 ;;
  full|'') rows=10000000; edges=1000000; nodes=100000 ;;
  *) echo "unknown SCALE '$scale' (small or full)" >&2; exit 2 ;;
esac
export VIC_BENCH_SCALE=$scale
export VIC_BENCH_ROWS=${VIC_BENCH_ROWS:-$rows}
export VIC_BENCH_EDGES=${VIC_BENCH_EDGES:-$edges}
export VIC_BENCH_NODES=${VIC_BENCH_NODES:-$nodes}
export VIC_SAMPLE_SQL="$top/test/fixtures/sample.sql"
export VIC_TOP="$top"

out=${VIC_BENCH_OUT:-/tmp/vic-bench/latest.txt}
mkdir -p "$(dirname "$out")"
[ -f "$out" ] && mv -f "$out" "$(dirname "$out")/previous.txt"
export VIC_BENCH_OUT="$out"

bash test/deps.sh bench || { echo "installing the benchmark dependencies failed" >&2; exit 1; }

# The lock is held for the whole run, so that nobody replaces vic.so under the benchmarks.
. test/install.sh
echo "building (-O2) and installing vic ..."
if ! vic_build_install; then
  echo "build failed" >&2
  exit 1
fi

echo "results: $out"
PGPORT=${VIC_PGPORT:-55430} pg_virtualenv -t -v 15 9>&- \
  -o shared_buffers=2GB -o work_mem=256MB -o maintenance_work_mem=1GB \
  -o max_worker_processes=8 -o max_parallel_workers=4 -o max_parallel_workers_per_gather=2 \
  -o jit=off -o max_wal_size=10GB -o checkpoint_timeout=30min -o synchronous_commit=off \
  bash -c '
    set -uo pipefail
    cd "$VIC_TOP"
    {
      echo "vic benchmarks, $(date -u "+%Y-%m-%d %H:%M:%S UTC"), scale $VIC_BENCH_SCALE:" \
           "rows $VIC_BENCH_ROWS, edges $VIC_BENCH_EDGES, nodes $VIC_BENCH_NODES"
      echo "machine: $(nproc) cores, $(awk "/MemTotal/ { printf \"%.0f GB\", \$2 / 1048576 }" /proc/meminfo);" \
           "$(psql -X -At -c "SELECT version()")"
      psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION postgis" -c "CREATE EXTENSION vic"
      if psql -X -At -c "SELECT 1 FROM pg_available_extensions WHERE name = '"'"'pgrouting'"'"'" | grep -q 1; then
        psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pgrouting"
        echo "pgrouting: $(psql -X -At -c "SELECT pgr_version()")"
      else
        echo "pgrouting: not installed"
      fi
      echo "vic: $(psql -X -At -c "SELECT vic.version()")"
    } 2>&1 | tee -a "$VIC_BENCH_OUT"
    failed=""
    for f in $(ls test/bench/*.sh | sort); do
      name=$(basename "$f" .sh)
      case $name in run|lib) continue ;; esac
      if [ -n "${VIC_BENCH_ONLY:-}" ] && ! printf " %s " "$VIC_BENCH_ONLY" | grep -q " $name "; then
        continue
      fi
      echo "== $name" | tee -a "$VIC_BENCH_OUT"
      t0=$(date +%s)
      bash "$f" 2>&1 | tee -a "$VIC_BENCH_OUT"
      status=${PIPESTATUS[0]}
      echo "== $name: exit $status, $(( $(date +%s) - t0 )) s" | tee -a "$VIC_BENCH_OUT"
      [ "$status" -ne 0 ] && failed="$failed $name"
    done
    ratios=$(grep -E "ratio" "$VIC_BENCH_OUT" | grep -v "^== ")
    {
      echo
      echo "== summary: every ratio line (each benchmark says what its ratio divides)"
      if [ -n "$ratios" ]; then printf "%s\n" "$ratios"; else echo "(no ratio lines)"; fi
      if [ -n "$failed" ]; then echo "failed benchmarks:$failed"; else echo "all benchmarks finished"; fi
    } | tee -a "$VIC_BENCH_OUT"
    [ -z "$failed" ]
  '
status=$?
echo "results: $out"
exit $status
