#!/usr/bin/env bash
# test/limits/run.sh: long-running functions honour cancellation, and repeated calls do not leak.
#   - every case of test/limits/cases.tsv, run under statement_timeout = '1s', ends with SQLSTATE
#     57014 (query_canceled) within 2 s of the start (so vic polls for interrupts inside its long
#     loops: sorts, merges, graph algorithms, ...), and the connection survives;
#   - every statement of test/limits/leaks.tsv, run 10^4 times in one backend, leaves the backend's
#     resident memory (VmRSS, /proc) within 4 MB of what it was after the first 1,000 calls, so
#     nothing accumulates in long-lived memory contexts.
# Families add their inputs in test/limits/setup_<family>.sql and lines to the two lists.
# Runs inside pg_virtualenv; creates vic_limits; prints TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
tap() {
  n=$((n + 1))
  if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d vic_limits "$@"; }

dropdb --if-exists vic_limits 2>/dev/null; createdb vic_limits || exit 1
for f in "$here"/setup.sql "$here"/setup_*.sql; do
  [ -f "$f" ] || continue
  if ! q -f "$f" > "$work/setup.out" 2>&1; then
    tap f "inputs of $(basename "$f")"; sed 's/^/# /' "$work/setup.out" | tail; echo "1..$n"; exit 1
  fi
done

# cancellation: the case's SQLSTATE and the time from its start to the error, in ms
while IFS=$'\t' read -r name sql; do
  case "$name" in '#'*|'') continue ;; esac
  out=$(/usr/bin/python3 - "$sql" <<'PY'
import sys, time, psycopg
c = psycopg.connect(dbname='vic_limits', autocommit=True)
c.execute("SET statement_timeout = '1s'")
c.execute("SET max_parallel_workers_per_gather = 0")
t = time.monotonic()
try:
    c.execute(sys.argv[1])
    state = 'finished'
except psycopg.Error as e:
    state = e.sqlstate or 'none'
ms = int((time.monotonic() - t) * 1000)
alive = c.execute('SELECT 1').fetchone()[0] == 1
print(state, ms, alive)
PY
)
  read -r state ms alive <<< "$out"
  ok=f
  [ "$state" = 57014 ] && [ "${ms:-99999}" -le 2000 ] && [ "$alive" = True ] && ok=t
  tap $ok "cancelled by statement_timeout = 1s: $name (SQLSTATE ${state:-?} after ${ms:-?} ms)"
done < "$here/cases.tsv"

# leaks: VmRSS of one backend after 1,000 and after 11,000 calls
while IFS=$'\t' read -r name stmt; do
  case "$name" in '#'*|'') continue ;; esac
  out=$(/usr/bin/python3 - "$stmt" <<'PY'
import sys, psycopg
c = psycopg.connect(dbname='vic_limits', autocommit=True)
c.execute('SET jit = off')
pid = c.execute('SELECT pg_backend_pid()').fetchone()[0]
def rss():
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
block = "DO $$ BEGIN FOR k IN 1..N LOOP " + sys.argv[1] + "; END LOOP; END $$"
c.execute(block.replace('1..N', '1..1000'))
a = rss()
c.execute(block.replace('1..N', '1..10000'))
b = rss()
print(a, b)
PY
)
  read -r a b <<< "$out"
  ok=f
  [ -n "${b:-}" ] && [ $((b - a)) -le 4096 ] && ok=t
  tap $ok "memory flat over 10^4 calls: $name (VmRSS ${a:-?} kB after 10^3 calls, ${b:-?} kB after 1.1*10^4)"
done < "$here/leaks.tsv"
echo "1..$n"
[ "$failed" -eq 0 ]
