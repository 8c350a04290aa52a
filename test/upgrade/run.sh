#!/usr/bin/env bash
# test/upgrade/run.sh: the upgrade chain.  Installs the released 0.1.0 (vic--0.1.0.sql), stores a
# value of each 0.1.0 type (and a user row of vic.industry_catalog), runs ALTER EXTENSION vic
# UPDATE, and checks that the updated extension is the current version, that the stored values
# still read and compute the same, and that its catalogue (functions and their markings,
# aggregates, types, operators, casts, operator classes, tables, comments; test/upgrade/catalog.sql)
# equals a fresh install of the current version.
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER exported); creates vic_up_old and vic_up_new.
# Prints TAP lines; exit status 0 iff every test passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
current=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$top/vic.control")
released=0.1.0

tap() {
  n=$((n + 1))
  if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

for db in vic_up_old vic_up_new; do dropdb --if-exists "$db" 2>/dev/null; createdb "$db" || exit 1; done

# the released version, with stored values of each of its types
if q -d vic_up_old > "$work/old.out" 2>&1 <<SQL
CREATE EXTENSION postgis;
CREATE EXTENSION vic VERSION '$released';
CREATE TABLE firm AS
	SELECT i AS id,
	       (ARRAY['C3841', 'C3985', 'C2614', 'I6510', 'A0111', 'C3971'])[1 + i % 6]::vic.industry AS industry,
	       'region ' || (i % 7) AS region,
	       ST_SetSRID(ST_MakePoint(100 + (i % 17) * 0.5, 25 + (i % 11) * 0.7), 4326)::geography AS location,
	       1 + (i * 37) % 250 AS employees,
	       i % 5 AS cluster
	FROM generate_series(1, 3000) AS i;
CREATE TABLE stored (cluster int PRIMARY KEY, code vic.industry, p vic.profile, g vic.graph);
CREATE INDEX ON stored (code);
INSERT INTO stored
	SELECT cluster, vic.min(industry), vic.profile_agg(id, industry, region, location, employees),
	       vic.graph_agg(id, (id * 7919) % 3000 + 1, employees)
	FROM firm GROUP BY cluster;
INSERT INTO vic.industry_catalog (code, name_en, name_zh)
	VALUES ('C3841'::vic.industry, 'lithium-ion batteries (user row)', '锂离子电池制造（用户）');
-- what the stored values say before the update
CREATE TABLE before AS
	SELECT cluster, code::text AS code, p::text AS p, g::text AS g,
	       vic.hhi(p)::text AS hhi, vic.entropy(p, 'region')::text AS entropy,
	       vic.member_count(p) AS members, vic.node_count(g) AS nodes,
	       (SELECT string_agg(x::text, ';' ORDER BY x::text) FROM vic.pagerank(g) AS x) AS pagerank
	FROM stored;
SELECT extversion FROM pg_extension WHERE extname = 'vic';
SQL
then
  tap t "vic $released installs from vic--$released.sql and stores a value of each of its types"
else
  tap f "vic $released installs from vic--$released.sql and stores a value of each of its types"
  sed 's/^/# /' "$work/old.out" | tail -20
  finish
fi

paths=$(q -d vic_up_old -c "SELECT count(*) FROM pg_extension_update_paths('vic') WHERE source = '$released' AND target = '$current' AND path IS NOT NULL")
[ "$current" != "$released" ] && [ "$paths" = 1 ]
tap $([ $? -eq 0 ] && echo t || echo f) "an update path leads from $released to the current version $current"

if q -d vic_up_old -c 'ALTER EXTENSION vic UPDATE' > "$work/update.out" 2>&1; then
  tap t "ALTER EXTENSION vic UPDATE runs"
else
  tap f "ALTER EXTENSION vic UPDATE runs"; sed 's/^/# /' "$work/update.out" | tail -20
fi
v=$(q -d vic_up_old -c "SELECT extversion FROM pg_extension WHERE extname = 'vic'")
tap $([ "$v" = "$current" ] && echo t || echo f) "the updated extension is version $current (is '$v')"

# stored values after the update: the same text, the same metrics, the user's catalogue row kept
diff=$(q -d vic_up_old -c "
	SELECT count(*) FROM before b JOIN stored s USING (cluster)
	WHERE b.code IS DISTINCT FROM s.code::text OR b.p IS DISTINCT FROM s.p::text
	   OR b.g IS DISTINCT FROM s.g::text
	   OR b.hhi IS DISTINCT FROM vic.hhi(s.p)::text OR b.entropy IS DISTINCT FROM vic.entropy(s.p, 'region')::text
	   OR b.members IS DISTINCT FROM vic.member_count(s.p) OR b.nodes IS DISTINCT FROM vic.node_count(s.g)
	   OR b.pagerank IS DISTINCT FROM (SELECT string_agg(x::text, ';' ORDER BY x::text) FROM vic.pagerank(s.g) AS x)" 2>&1)
tap $([ "$diff" = 0 ] && echo t || echo f) "values stored under $released read and compute the same after the update (clusters differing: $diff)"
same=$(q -d vic_up_old -c "SELECT count(*) = 5 AND bool_and(s.p OPERATOR(vic.=) f.p) FROM stored s JOIN (SELECT cluster, vic.profile_agg(id, industry, region, location, employees) AS p FROM firm GROUP BY cluster) f USING (cluster)" 2>&1)
tap $([ "$same" = t ] && echo t || echo f) "a profile built after the update equals the one stored before it (= on canonical bytes)"
row=$(q -d vic_up_old -c "SELECT vic.industry_name('C3841', 'en')" 2>&1)
tap $([ "$row" = 'lithium-ion batteries (user row)' ] && echo t || echo f) "the user's row of vic.industry_catalog survives the update ('$row')"
idx=$(q -d vic_up_old -c "SET enable_seqscan = off; SELECT count(*) FROM stored WHERE code OPERATOR(vic.<@) 'C38'::vic.industry" 2>&1)
tap $([ -n "$idx" ] && [ "$idx" -ge 0 ] 2>/dev/null && echo t || echo f) "an index on a stored vic.industry column is usable after the update ($idx rows)"

# the updated catalogue equals a fresh install of the current version
q -d vic_up_new -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION vic' > "$work/new.out" 2>&1
tap $([ $? -eq 0 ] && echo t || echo f) "vic $current installs fresh from vic--$current.sql"
q -d vic_up_old -f "$here/catalog.sql" > "$work/cat_old" 2>&1
q -d vic_up_new -f "$here/catalog.sql" > "$work/cat_new" 2>&1
objs=$(wc -l < "$work/cat_new")
if [ "$objs" -gt 100 ] && diff -u "$work/cat_new" "$work/cat_old" > "$work/cat.diff"; then
  tap t "the catalogue after ALTER EXTENSION UPDATE equals a fresh $current install ($objs lines: functions, markings, aggregates, types, operators, casts, comments)"
else
  tap f "the catalogue after ALTER EXTENSION UPDATE equals a fresh $current install ($objs lines)"
  sed 's/^/# /' "$work/cat.diff" | head -40
fi
members=$(q -d vic_up_new -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid WHERE e.extname = 'vic' AND d.deptype = 'e'")
members_old=$(q -d vic_up_old -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid WHERE e.extname = 'vic' AND d.deptype = 'e'")
tap $([ "$members" = "$members_old" ] && echo t || echo f) "the updated and the fresh extension own the same number of objects ($members_old, $members)"
finish
