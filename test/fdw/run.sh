#!/usr/bin/env bash
# test/fdw/run.sh: proves that vic's summaries move across postgres_fdw shards, COPY and parallel
# workers intact.  Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER, PGPASSWORD exported), creates
# the databases vic_shard1, vic_shard2 (the shards) and vic_coord (the coordinator, with a local copy
# of every row), and prints TAP lines "ok N - ..." / "not ok N - ..." plus "# ..." diagnostics.
# Exit status 0 when every test passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
nf=2500		# firm rows per cluster on the shards (8 clusters: 20,000 rows)
ne=3000		# edge rows per cluster (24,000 rows)
n=0
failed=0
started=$(date +%s)

# ok|not ok for a condition, numbered
tap() {
  n=$((n + 1))
  if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# runs a psql script; on failure prints a not-ok line with the error
run_sql() {
  local desc=$1 db=$2
  shift 2
  if psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@" > "$work/out" 2>&1; then
    tap t "$desc"
    return 0
  fi
  tap f "$desc"
  sed 's/^/# /' "$work/out" | tail -20
  return 1
}

# runs a check script: each row "t|desc", "f|desc" or "#|text"
run_checks() {
  local file=$1
  shift
  if ! psql -X -q -At -F '|' -v ON_ERROR_STOP=1 -d vic_coord "$@" -f "$here/$file" > "$work/checks" 2> "$work/err"; then
    status=1
  else
    status=0
  fi
  while IFS='|' read -r flag text; do
    case "$flag" in
      t|f) tap "$flag" "$text" ;;
      '#') echo "# $text" ;;
    esac
  done < "$work/checks"
  if [ "$status" -ne 0 ]; then
    tap f "$file ran to the end"
    sed 's/^/# /' "$work/err" | tail -20
  fi
}

for db in vic_shard1 vic_shard2 vic_coord; do dropdb --if-exists -q "$db"; createdb "$db" || exit 1; done
run_sql "shard 1 (clusters 1-4) created" vic_shard1 -v lo=1 -v hi=4 -v nf=$nf -v ne=$ne -f "$here/shard.sql" &&
run_sql "shard 2 (clusters 5-8) created" vic_shard2 -v lo=5 -v hi=8 -v nf=$nf -v ne=$ne -f "$here/shard.sql" &&
run_sql "coordinator with postgres_fdw, partitioned foreign tables and a local copy created" vic_coord \
  -v host="${PGHOST:-localhost}" -v port="${PGPORT:-5432}" -v user="${PGUSER:-postgres}" \
  -v password="${PGPASSWORD:-}" -v nf=$nf -v ne=$ne -f "$here/coordinator.sql"
if [ "$failed" -eq 0 ]; then
  run_checks checks_fdw.sql
  # COPY the summaries out and back in through the client, binary and text
  copy_ok=t
  psql -X -q -d vic_coord -c "COPY summaries TO STDOUT (FORMAT binary)" > "$work/s.bin" &&
    psql -X -q -d vic_coord -c "COPY summaries_bin FROM STDIN (FORMAT binary)" < "$work/s.bin" &&
    psql -X -q -d vic_coord -c "COPY summaries TO STDOUT (FORMAT text)" > "$work/s.txt" &&
    psql -X -q -d vic_coord -c "COPY summaries_txt FROM STDIN (FORMAT text)" < "$work/s.txt" || copy_ok=f
  tap $copy_ok "COPY summaries out and back in (binary and text) without error"
  echo "# binary copy: $(wc -c < "$work/s.bin") bytes, text copy: $(wc -c < "$work/s.txt") bytes"
  run_checks checks_copy.sql
  run_checks parallel.sql
fi
echo "# fdw: $n tests, $failed failed, $(( $(date +%s) - started )) s"
for db in vic_coord vic_shard1 vic_shard2; do dropdb --if-exists -q "$db"; done
[ "$failed" -eq 0 ]
