#!/usr/bin/env bash
# test/clients/run.sh: vic through the drivers BI tools and platforms use: psycopg 3 (clients.py),
# JDBC (VicJdbc.java, Debian's libpostgresql-jdbc-java) and ODBC (odbc.py: unixODBC + psqlODBC, the
# driver of Excel, Power BI and Tableau).  The server is the reference: clients.py writes the
# server's text of every query of queries.tsv, and the JDBC and ODBC checks compare each value with
# it.  Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER, PGPASSWORD exported), creates the
# database vic_clients (setup.sql), prints TAP lines "ok N - ..." / "not ok N - ..." plus "# ..."
# diagnostics, and exits 0 iff every test passed.
# Needs: python3-psycopg, default-jdk-headless, libpostgresql-jdbc-java, odbc-postgresql, unixodbc,
# python3-pyodbc.  (For development against a database where vic was loaded by hand,
# VIC_CLIENTS_TEMPLATE names a template database that already holds postgis and vic.)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
db=vic_clients
trap 'rm -rf "$work"; dropdb --if-exists -q "$db" 2>/dev/null' EXIT
n=0
failed=0
started=$(date +%s)
jar=/usr/share/java/postgresql.jar

tap() {
  n=$((n + 1))
  if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# runs a checker ($1 = its name, then the command) printing "ok - ..." / "not ok - ..." lines:
# numbers them, passes other lines on as diagnostics, and fails when the checker exits non-zero
# without a failing line (a crash)
run_checker() {
  local label=$1 st f0=$failed t0
  shift
  t0=$(date +%s)
  "$@" > "$work/checker.out" 2>&1
  st=$?
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) tap t "$label: ${line#ok - }" ;;
      "not ok - "*) tap f "$label: ${line#not ok - }" ;;
      "# "*) echo "$line" ;;
      *) echo "# $line" ;;
    esac
  done < "$work/checker.out"
  if [ "$st" -ne 0 ] && [ "$failed" -eq "$f0" ]; then
    tap f "$label exited with status $st"
  fi
  echo "# $label: $(( $(date +%s) - t0 )) s"
}

dropdb --if-exists -q "$db" 2>/dev/null
if [ -n "${VIC_CLIENTS_TEMPLATE:-}" ]; then
  createdb -T "$VIC_CLIENTS_TEMPLATE" "$db" || exit 1
else
  createdb "$db" && psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION vic CASCADE' >/dev/null || exit 1
fi
if psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/setup.sql" > "$work/setup.out" 2>&1; then
  tap t "setup.sql: hand profiles and graphs, a 1000-firm economy, a 10^5-member profile, a 2*10^4-node graph"
else
  tap f "setup.sql loads"
  sed 's/^/# /' "$work/setup.out" | tail -20
  exit 1
fi
export PGDATABASE=$db

# 1. psycopg 3; writes the reference for the other drivers
run_checker psycopg /usr/bin/python3 "$here/clients.py" "$top/test/fixtures/formats" "$here/queries.tsv" "$work/reference.tsv"

# 2. JDBC
if [ ! -s "$work/reference.tsv" ]; then
  tap f "the reference written by clients.py exists (JDBC and ODBC need it)"
else
  if command -v javac > /dev/null && [ -r "$jar" ]; then
    mkdir "$work/classes"
    if javac -d "$work/classes" -cp "$jar" "$here/VicJdbc.java" > "$work/javac.out" 2>&1; then
      tap t "VicJdbc.java compiles against $(readlink -f "$jar")"
      # pg_virtualenv listens on localhost; pgjdbc has no Unix-socket transport
      host=${PGHOST:-localhost}
      case "$host" in /*) host=localhost ;; esac
      run_checker jdbc java -Dvic.queries="$here/queries.tsv" -cp "$jar:$work/classes" VicJdbc \
        "jdbc:postgresql://$host:${PGPORT:-5432}/$db" "${PGUSER:-postgres}" "${PGPASSWORD:-}" "$work/reference.tsv"
    else
      tap f "VicJdbc.java compiles"
      sed 's/^/# /' "$work/javac.out" | tail -20
    fi
  else
    tap f "JDBC: javac (default-jdk-headless) and $jar (libpostgresql-jdbc-java) are installed"
  fi

  # 3. ODBC
  mkdir "$work/odbc"
  run_checker odbc /usr/bin/python3 "$here/odbc.py" "$work/odbc" "$here/queries.tsv" "$work/reference.tsv"
fi

echo "# clients: $n tests, $failed failed, $(( $(date +%s) - started )) s"
echo "1..$n"
[ "$failed" -eq 0 ]
