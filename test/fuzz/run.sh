#!/usr/bin/env bash
# Robustness fuzzing of vic's SQL-callable functions (test/fuzz/fuzz.py) in a throwaway cluster.
# Takes the shared install lock (COMMON.md), builds with -Werror, installs, runs the fuzzer with a
# fixed seed in pg_virtualenv on VIC_PGPORT (default 55446), then scans the server log for crashed
# backends.  Ends with one line "N passed, N failed".
# Options are passed to fuzz.py (e.g. --seed 7 --text 100 --only text,binary -v).
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)

. test/install.sh
if ! vic_build_install -Werror; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

out=$(mktemp -d)
chmod 755 "$out"
export VIC_TOP="$top" VIC_FUZZ_OUT="$out" VIC_FUZZ_ARGS="$*"
PGPORT=${VIC_PGPORT:-55446} pg_virtualenv -t -v 15 9>&- \
  -o max_worker_processes=8 -o max_parallel_workers=4 -o max_parallel_workers_per_gather=2 \
  bash -c '
    set -u
    psql -q -X -v ON_ERROR_STOP=1 -c "CREATE EXTENSION postgis" -c "CREATE EXTENSION vic" >/dev/null || exit 2
    /usr/bin/python3 "$VIC_TOP/test/fuzz/fuzz.py" $VIC_FUZZ_ARGS > "$VIC_FUZZ_OUT/fuzz.out" 2>&1
    echo $? > "$VIC_FUZZ_OUT/status"
    # the server log: a crashed backend leaves "terminated by signal" there
    for log in "$(dirname "${PGSYSCONFDIR:-/nonexistent/x}")"/log/*.log /var/log/postgresql/postgresql-15-regress.log; do
      [ -f "$log" ] && grep -E "terminated by signal|was terminated by|PANIC|TRAP:" "$log" >> "$VIC_FUZZ_OUT/crashes"
    done
    true
  '
status=$?
cat "$out/fuzz.out" 2>/dev/null | grep -v "^[0-9]* passed, [0-9]* failed$"
passed=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out/fuzz.out" 2>/dev/null | tail -1)
failed=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out/fuzz.out" 2>/dev/null | tail -1)
passed=${passed:-0}
failed=${failed:-0}
if [ -s "$out/crashes" ]; then
  echo "not ok - server log reports crashed backends:"
  cat "$out/crashes"
  failed=$((failed + 1))
else
  passed=$((passed + 1))
fi
if [ "$status" -ne 0 ] || [ "$(cat "$out/status" 2>/dev/null)" != 0 ]; then
  [ "$failed" -eq 0 ] && failed=1
fi
rm -rf "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
