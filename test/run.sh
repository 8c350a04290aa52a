#!/usr/bin/env bash
# make test: installs missing packages, builds with assertions and -Wall -Wextra -Werror, installs,
# then runs the pg_regress suite
# (sql/ -> expected/), the pgTAP suites (test/pgtap/*.sql), the postgres_fdw checks (test/fdw), the
# fuzzer (test/fuzz), the C unit tests (test/unit), the aggregate-API contract test (test/contract)
# and, when Citus is installed, a three-node Citus test (test/citus) in a throwaway cluster.
# Ends with one line "N passed, N failed".
# VIC_TESTS="industry graph" limits the suites to those names (for development; "fdw", "fuzz" and
# "unit" name those steps).
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

bash test/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }

. test/install.sh
# vic's own Asserts run in the tests; -Wextra without the two warnings PostgreSQL's headers trip
if ! vic_build_install "-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror -DUSE_ASSERT_CHECKING"; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

regress=""
pgtap=""
if [ -n "${VIC_TESTS:-}" ]; then
  for t in $VIC_TESTS; do
    [ "$t" = setup ] && continue
    [ -f "sql/$t.sql" ] && regress="$regress $t"
    [ -f "test/pgtap/$t.sql" ] && pgtap="$pgtap test/pgtap/$t.sql"
  done
  [ -f sql/setup.sql ] && regress="setup$regress"
else
  pgtap=$(ls test/pgtap/*.sql 2>/dev/null | tr '\n' ' ')
fi

log=$(mktemp -d)
chmod 755 "$log"
export VIC_REGRESS="$regress" VIC_PGTAP="$pgtap" VIC_LOG="$log" VIC_TOP="$top"
PGPORT=${VIC_PGPORT:-55431} pg_virtualenv -t -v 15 9>&- \
  -o max_worker_processes=8 -o max_parallel_workers=4 -o max_parallel_workers_per_gather=2 \
  bash test/inner.sh
status=$?

passed=$(cat "$log/passed" 2>/dev/null || echo 0)
failed=$(cat "$log/failed" 2>/dev/null || echo 0)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
