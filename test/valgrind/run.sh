#!/usr/bin/env bash
# make valgrind-check: the pg_regress suite and the pgTAP suites against a PostgreSQL server run
# under valgrind memcheck, with PostgreSQL's own suppressions (src/tools/valgrind.supp of the
# postgresql-15 source package Debian ships, fetched with apt-get source through a private
# sources list of the main archive (the suppressions do not change between minor releases), so the machine's apt configuration is not touched).  Fails when memcheck reports
# an invalid read or write, or a use of uninitialised memory, with a frame in vic.so.
# VIC_VALGRIND_TESTS="profile graph" limits the pgTAP files; VIC_PGPORT picks the port (55447).
# Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)
port=${VIC_PGPORT:-55447}
bash test/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
command -v valgrind >/dev/null || { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq valgrind >/dev/null; }
command -v dpkg-source >/dev/null || { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dpkg-dev >/dev/null; }

work=/tmp/vic-valgrind
mkdir -p "$work"
chmod 755 "$work"
supp="$work/valgrind.supp"
if [ ! -s "$supp" ]; then
  # the source of the installed PostgreSQL server package, through a private deb-src list
  src="$work/apt"
  mkdir -p "$src/lists/partial"
  . /etc/os-release
  printf 'deb-src http://deb.debian.org/debian %s main\n' "$VERSION_CODENAME" > "$src/sources.list"
  opts=(-o "Dir::Etc::SourceList=$src/sources.list" -o "Dir::Etc::SourceParts=-" -o "Dir::State::Lists=$src/lists")
  apt-get "${opts[@]}" update -qq > "$work/apt.out" 2>&1 &&
    (cd "$work" && apt-get "${opts[@]}" source --download-only -qq postgresql-15 >> "$work/apt.out" 2>&1) &&
    tarball=$(ls "$work"/postgresql-15_*.orig.tar.* | head -1) &&
    tar -xOf "$tarball" --wildcards '*/src/tools/valgrind.supp' > "$supp"
  if [ ! -s "$supp" ]; then
    echo "could not fetch PostgreSQL's valgrind.supp (postgresql-15 source package):"; tail -5 "$work/apt.out"
    echo "0 passed, 1 failed"; exit 1
  fi
fi

. test/install.sh
vic_build_install "-Og -g" || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

bindir=$(pg_config --bindir)
data="$work/data"
logs="$work/logs"
rm -rf "$data" "$logs"
mkdir -p "$logs"
chown -R postgres "$work" 2>/dev/null
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
as_pg "$bindir/initdb -D $data -U postgres -A trust >/dev/null" || { echo "0 passed, 1 failed"; exit 1; }
cat >> "$data/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$work'
max_parallel_workers_per_gather = 0
jit = off
CONF
as_pg "valgrind --quiet --trace-children=yes --track-origins=yes --read-var-info=no --num-callers=30 \
  --suppressions=$supp --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
  --log-file=$logs/%p.log $bindir/postgres -D $data > $logs/server.out 2>&1 &" 9>&-
export PGHOST=$work PGPORT=$port PGUSER=postgres
for _ in $(seq 1 120); do pg_isready -q && break; sleep 1; done
passed=0; failed=0

make -s installcheck PGHOST=$work PGPORT=$port > "$work/regress.out" 2>&1
p=$(grep -cE '\.\.\. ok|^ok ' "$work/regress.out"); f=$(grep -cE '\.\.\. FAILED|^not ok ' "$work/regress.out")
echo "pg_regress under valgrind: $p passed, $f failed"
passed=$((passed + p)); failed=$((failed + f))

files=""
if [ -n "${VIC_VALGRIND_TESTS:-}" ]; then
  for t in $VIC_VALGRIND_TESTS; do files="$files test/pgtap/$t.sql"; done
else
  files=$(ls test/pgtap/*.sql | tr '\n' ' ')
fi
createdb vic_tap && psql -qX -d vic_tap -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION vic' -c 'CREATE EXTENSION pgtap' >/dev/null
pg_prove -d vic_tap $files > "$work/tap.out" 2>&1
p=$(grep -cE '^ok [0-9]' "$work/tap.out"); f=$(grep -cE '^not ok [0-9]' "$work/tap.out")
grep -E '^not ok|Result:' "$work/tap.out" | head -20
echo "pgTAP under valgrind: $p passed, $f failed"
passed=$((passed + p)); failed=$((failed + f))

as_pg "$bindir/pg_ctl -D $data stop -m fast >/dev/null"
sleep 2
# memcheck's reports: every error block, and those with a frame in vic.so
total=$(cat "$logs"/*.log 2>/dev/null | grep -c 'VALGRINDERROR-BEGIN')
awk '/VALGRINDERROR-BEGIN/ { blk = ""; inb = 1 } inb { blk = blk $0 "\n" } /VALGRINDERROR-END/ { inb = 0; if (blk ~ /vic\.so/) printf "%s", blk }' "$logs"/*.log > "$work/vic-errors.txt"
ours=$(grep -c 'VALGRINDERROR-BEGIN' "$work/vic-errors.txt")
if [ "$ours" -eq 0 ]; then
  echo "ok - memcheck: no invalid access or uninitialised use in vic.so ($total reports elsewhere, all in PostgreSQL or its libraries)"
  passed=$((passed + 1))
else
  echo "not ok - memcheck: $ours reports with a frame in vic.so (first ones below; all in $work/vic-errors.txt)"
  head -80 "$work/vic-errors.txt"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
