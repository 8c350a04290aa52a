#!/usr/bin/env bash
# make demo: installs missing packages, builds, installs, starts a throwaway cluster, loads the sample
# economy (test/fixtures/sample.sql, VIC_DEMO_FIRMS firms, default 50,000) and prints the analysis
# report of test/demo.sql, then writes report.html (one self-contained page: SVG map, charts, the
# tables) and firms/links/hulls.geojson with test/report/report.py into VIC_REPORT_DIR (default
# vic-report/ in the repository root, ignored by git).  VIC_PGPORT picks the port of the throwaway
# cluster (default 55430); VIC_DEMO_TIMING=1 prints the time of every query.  doc/demo.md.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
start=$(date +%s)

bash test/deps.sh test

. test/install.sh
echo "building and installing vic ..."
if ! vic_build_install; then
  echo "build failed" >&2
  exit 1
fi
built=$(date +%s)
echo "  (built and installed in $(( built - start )) s, with the wait for other work trees' installs)"

firms=${VIC_DEMO_FIRMS:-50000}
case "$firms" in
  ''|*[!0-9]*) echo "VIC_DEMO_FIRMS must be a number of firms, not '$firms'" >&2; exit 1 ;;
esac

report_dir=${VIC_REPORT_DIR:-$top/vic-report}
mkdir -p "$report_dir"
report_dir=$(cd "$report_dir" && pwd)
echo "the HTML report and the GeoJSON files go to $report_dir/"

export VIC_TOP="$top" VIC_DEMO_FIRMS="$firms" VIC_REPORT_DIR="$report_dir"
# pg_virtualenv creates a cluster, exports PGHOST/PGPORT/PGUSER/..., runs the command, drops it.
echo "starting a throwaway PostgreSQL 15 cluster on port ${VIC_PGPORT:-55430} ..."
PGPORT=${VIC_PGPORT:-55430} pg_virtualenv -t -v 15 9>&- \
  -o max_worker_processes=8 -o max_parallel_workers=4 -o max_parallel_workers_per_gather=2 \
  -o shared_buffers=256MB -o work_mem=64MB -o jit=off \
  bash -c '
    set -euo pipefail
    cd "$VIC_TOP"
    echo "creating the extensions and loading test/fixtures/sample.sql ..."
    psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION postgis" -c "CREATE EXTENSION vic"
    psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -f test/fixtures/sample.sql
    echo "generating the sample economy: $VIC_DEMO_FIRMS firms ..."
    t0=$(date +%s.%N)
    psql -X -q -v ON_ERROR_STOP=1 -At -F ": " -c "SET client_min_messages = warning" \
      -c "SELECT table_name, row_count FROM vic_sample.generate($VIC_DEMO_FIRMS)" | sed "s/^/  /"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" "BEGIN { printf \"  (generated in %.1f s)\n\", b - a }"
    timing=()
    [ -n "${VIC_DEMO_TIMING:-}" ] && timing=(-c "\\timing on")
    t0=$(date +%s.%N)
    psql -X -q -v ON_ERROR_STOP=1 "${timing[@]}" -f test/demo.sql
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" "BEGIN { printf \"  (analysis in %.1f s)\n\", b - a }"
    echo "writing the HTML report and the GeoJSON files ..."
    /usr/bin/python3 test/report/report.py --out "$VIC_REPORT_DIR"
  '
echo "demo finished in $(( $(date +%s) - start )) s ($(( $(date +%s) - built )) s after the build)"
echo "open $report_dir/report.html in a browser; load $report_dir/{firms,links,hulls}.geojson in QGIS or kepler.gl"
