#!/usr/bin/env bash
# test/reference/run.sh: doc/reference.md is what the installed catalogue says (every type,
# aggregate, function, operator and cast of schema vic, with its COMMENT): a function missing from
# the reference, or a reference entry without its function, fails.  `make reference` rewrites the
# file.  Runs inside pg_virtualenv; prints TAP.  With --write, writes doc/reference.md.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dropdb --if-exists vic_reference 2>/dev/null; createdb vic_reference || exit 1
psql -X -q -d vic_reference -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION vic' >/dev/null || exit 1
psql -X -q -At -d vic_reference -f "$here/reference.sql" > "$work/reference.md" || exit 1
if [ "${1:-}" = --write ]; then cp "$work/reference.md" "$top/doc/reference.md"; echo "wrote doc/reference.md"; exit 0; fi
n=$(grep -c '^| `' "$work/reference.md")
failed=0
if diff -u "$top/doc/reference.md" "$work/reference.md" > "$work/diff"; then
  echo "ok 1 - doc/reference.md lists every type, aggregate, function, operator and cast of schema vic with its description ($n entries)"
else
  echo "not ok 1 - doc/reference.md differs from the catalogue (run make reference):"
  grep '^[-+]|' "$work/diff" | head -20 | sed 's/^/# /'
  failed=1
fi
undoc=$(psql -X -q -At -d vic_reference -c "SELECT count(*) FROM pg_proc WHERE pronamespace = 'vic'::regnamespace AND obj_description(oid, 'pg_proc') IS NULL")
if [ "$undoc" = 0 ]; then echo "ok 2 - every function in schema vic has a COMMENT"; else echo "not ok 2 - $undoc functions in schema vic have no COMMENT"; failed=1; fi
echo "1..2"
[ "$failed" -eq 0 ]
