#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST/PGPORT/PGUSER exported); called by test/run.sh.
set -uo pipefail
cd "$VIC_TOP"
passed=0
failed=0

# is suite $1 selected (VIC_TESTS unset, or naming it)?
selected() { [ -z "${VIC_TESTS:-}" ] || [[ " $VIC_TESTS " == *" $1 "* ]]; }

# runs test/$1/run.sh, which prints TAP lines, and counts them; a non-zero exit without a failing
# line counts as one failure
run_tap_suite() {
  local name=$1 out="$VIC_LOG/$1.out" st p f
  bash "test/$name/run.sh" > "$out" 2>&1
  st=$?
  grep -E '^not ok|^# ' "$out" | head -60
  p=$(grep -cE '^ok [0-9]' "$out")
  f=$(grep -cE '^not ok [0-9]' "$out")
  echo "$name: $p passed, $f failed"
  passed=$((passed+p)); failed=$((failed+f))
  if [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "test/$name/run.sh failed without a failing test:"; tail -20 "$out"
    failed=$((failed+1))
  fi
}

# 1. The version is in one place: vic.control, echoed by META.json and vic.version().
control=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" vic.control)
meta=$(python3 -c 'import json;m=json.load(open("META.json"));print(m["version"], m["provides"]["vic"]["version"])')
if [ "$meta" = "$control $control" ]; then passed=$((passed+1)); else
  echo "not ok - META.json says '$meta', vic.control says '$control'"; failed=$((failed+1)); fi

# 2. pg_regress.
if [ -z "${VIC_TESTS:-}" ] || [ -n "$VIC_REGRESS" ]; then
  if [ -n "${VIC_TESTS:-}" ]; then
    make -s installcheck REGRESS="$VIC_REGRESS" > "$VIC_LOG/regress.out" 2>&1
  else
    make -s installcheck > "$VIC_LOG/regress.out" 2>&1
  fi
  cat "$VIC_LOG/regress.out"
  p=$(grep -cE '\.\.\. ok|^ok ' "$VIC_LOG/regress.out")
  f=$(grep -cE '\.\.\. FAILED|^not ok ' "$VIC_LOG/regress.out")
  passed=$((passed+p)); failed=$((failed+f))
  if [ "$f" -gt 0 ] && [ -f regression.diffs ]; then
    echo "---- regression.diffs"; cat regression.diffs
  fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then failed=$((failed+1)); fi
fi

# 3. pgTAP, in a fresh database.
if [ -n "$VIC_PGTAP" ]; then
  createdb vic_tap
  psql -q -X -v ON_ERROR_STOP=1 -d vic_tap \
    -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION vic' -c 'CREATE EXTENSION pgtap' >/dev/null
  pg_prove -v -d vic_tap $VIC_PGTAP > "$VIC_LOG/tap.out" 2>&1
  tap_status=$?
  grep -E '^not ok|^# |Failed|Parse errors|Result:|Dubious|\.\. ' "$VIC_LOG/tap.out"
  p=$(grep -cE '^ok [0-9]' "$VIC_LOG/tap.out")
  f=$(grep -cE '^not ok [0-9]' "$VIC_LOG/tap.out")
  passed=$((passed+p)); failed=$((failed+f))
  if [ "$tap_status" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "pg_prove failed without a failing assertion (bad plan or a file died):"
    tail -30 "$VIC_LOG/tap.out"
    failed=$((failed+1))
  fi
fi

# 4. Summaries across postgres_fdw shards, COPY and parallel workers (test/fdw/run.sh); skipped only
# when VIC_TESTS is set and does not name "fdw".
selected fdw && run_tap_suite fdw

# 5. Robustness fuzzing (test/fuzz/fuzz.py, fixed seed) in its own database: every case must end in a
# result or a clean ERROR and the connection must survive.  Counted as one test; skipped only when
# VIC_TESTS is set and does not name "fuzz".
if [ -z "${VIC_TESTS:-}" ] || [[ " $VIC_TESTS " == *" fuzz "* ]]; then
  createdb vic_fuzz
  psql -q -X -v ON_ERROR_STOP=1 -d vic_fuzz -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION vic' >/dev/null
  PGDATABASE=vic_fuzz /usr/bin/python3 test/fuzz/fuzz.py > "$VIC_LOG/fuzz.out" 2>&1
  fuzz_status=$?
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$VIC_LOG/fuzz.out" | tail -1)
  if [ "$fuzz_status" -eq 0 ] && [ -n "$summary" ] && [[ "$summary" == *" 0 failed" ]]; then
    echo "ok - fuzz: $summary (cases)"; passed=$((passed+1))
  else
    echo "not ok - fuzz: ${summary:-no summary}"; grep -vE '^ok' "$VIC_LOG/fuzz.out" | tail -40
    failed=$((failed+1))
  fi
fi

# 6. C unit tests (test/unit/*_test.c): each is compiled against src/ (linked with libm and PROJ,
# for common/geo.h's geodesics) and prints TAP; skipped only
# when VIC_TESTS is set and does not name "unit".
if [ -z "${VIC_TESTS:-}" ] || [[ " $VIC_TESTS " == *" unit "* ]]; then
  for t in test/unit/*_test.c; do
    name=$(basename "$t" .c)
    if ! ${CC:-cc} -O2 -Wall -Werror -ffp-contract=off -Isrc -Itest/unit/stub "$t" -o "$VIC_LOG/$name" -lm -lproj > "$VIC_LOG/$name.out" 2>&1; then
      echo "not ok - unit $name: does not compile"; cat "$VIC_LOG/$name.out"; failed=$((failed+1)); continue
    fi
    "$VIC_LOG/$name" > "$VIC_LOG/$name.out" 2>&1
    status=$?
    cat "$VIC_LOG/$name.out"
    p=$(grep -cE '^ok ' "$VIC_LOG/$name.out")
    f=$(grep -cE '^not ok ' "$VIC_LOG/$name.out")
    passed=$((passed+p)); failed=$((failed+f))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "not ok - unit $name exited $status without a failing test"; failed=$((failed+1))
    fi
  done
fi

# 6b. The upgrade chain (test/upgrade): the released 0.1.0 with stored values, ALTER EXTENSION
# UPDATE, its catalogue against a fresh install of the current version.  Skipped only when
# VIC_TESTS is set and does not name "upgrade".
selected upgrade && run_tap_suite upgrade

# 6c. Committed fixtures of every type's stored and binary forms (test/formats): still read, and
# written bit for bit while the version stays.  Skipped only when VIC_TESTS does not name "formats".
selected formats && run_tap_suite formats

# 6c1. vic through the drivers BI tools and platforms use: psycopg, JDBC and ODBC (test/clients).
# Skipped only when VIC_TESTS does not name "clients".
selected clients && run_tap_suite clients

# 6c2. Concurrent load: pgbench, 8 clients mixing vic analytics with writers that keep stored
# summaries up to date; no failure, and the summaries equal a quiet recomputation (test/load).
# Skipped only when VIC_TESTS does not name "load".
selected load && run_tap_suite load

# 6c3. The reference (doc/reference.md) lists every function with its COMMENT (test/reference).
# Skipped only when VIC_TESTS does not name "reference".
selected reference && run_tap_suite reference

# 6d. pg_dump / pg_restore (custom and plain) of every vic type, in tables and materialized views,
# and crash recovery after an immediate shutdown (test/dump); run after the suites above, since it
# restarts the cluster.  Skipped only when VIC_TESTS does not name "dump".
selected dump && run_tap_suite dump

# 6e. Cancellation of long-running functions by statement_timeout within 2 s, and backend memory
# flat over 10^4 calls of the main functions (test/limits).  Skipped only when VIC_TESTS does not
# name "limits".
selected limits && run_tap_suite limits

# 6f. The demo report (test/report): make demo's report.html and GeoJSON on a 5,000-firm sample,
# checked against the database and rendered in headless Chromium.  Skipped only when VIC_TESTS does
# not name "report".
selected report && run_tap_suite report

# 7. The aggregate-API contract (test/contract): every vic aggregate driven the way Citus's
# worker_partial_agg / coord_combine_agg drive it (a fresh FmgrInfo per row, a foreign AggState,
# states moved as text), equal bit for bit to the direct aggregate; skipped only when VIC_TESTS is
# set and does not name "contract".
selected contract && run_tap_suite contract

# 8. A real Citus cluster (coordinator + 2 workers on localhost, test/citus) when citus.so is
# installed; it says so and counts nothing when it is not.  Skipped only when VIC_TESTS is set and
# does not name "citus".
selected citus && run_tap_suite citus

echo "$passed" > "$VIC_LOG/passed"
echo "$failed" > "$VIC_LOG/failed"
exit 0
