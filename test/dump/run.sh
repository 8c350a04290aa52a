#!/usr/bin/env bash
# test/dump/run.sh: a database holding every vic type survives pg_dump / pg_restore and a crash.
#   - every base type of the extension stored in a table (the values of test/fixtures/formats, so a
#     new type is covered once it has fixtures), summaries and metrics in a materialized view, and a
#     user row in vic.industry_catalog;
#   - pg_dump custom format restored with pg_restore, and plain SQL restored with psql: every
#     value equal bit for bit (binary send form), the materialized view's rows equal, the user's
#     catalogue row kept and the shipped rows not doubled;
#   - crash safety: values written after the last checkpoint survive pg_ctl stop -m immediate and
#     crash recovery, bit for bit.
# Runs inside pg_virtualenv (cluster 15/regress, controlled with pg_ctlcluster); prints TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
tap() {
  n=$((n + 1))
  if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; exit $?; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
cond() { if eval "$1"; then tap t "$2"; else tap f "$2"; fi; }

for db in vic_dump_src vic_dump_c vic_dump_p; do dropdb --if-exists "$db" 2>/dev/null; createdb "$db" || exit 1; done

# the fixtures' text forms, one table per type: stored(type, k, v)
{
  echo "CREATE EXTENSION postgis; CREATE EXTENSION vic;"
  echo "CREATE TABLE typed (typ text, k int, v text);"
  for f in "$top"/test/fixtures/formats/*.tsv; do
    typ=$(basename "$f" .tsv)
    awk -F'\t' -v typ="$typ" '!/^#/ && NF == 4 { gsub(/'"'"'/, "'"''"'", $2); printf "INSERT INTO typed VALUES ('"'"'%s'"'"', %d, '"'"'%s'"'"');\n", typ, NR, $2 }' "$f"
  done
} > "$work/load.sql"
if q -d vic_dump_src -f "$work/load.sql" > "$work/load.out" 2>&1 && q -d vic_dump_src > "$work/tables.out" 2>&1 <<'SQL'
-- one real column per type, filled from the fixtures' texts
DO $$
DECLARE t text;
BEGIN
	FOR t IN SELECT DISTINCT typ FROM typed ORDER BY 1 LOOP
		EXECUTE format('CREATE TABLE %I (k int PRIMARY KEY, v %s)', 'col_' || replace(t, 'vic.', ''), t);
		EXECUTE format('INSERT INTO %I SELECT k, v::%s FROM typed WHERE typ = %L', 'col_' || replace(t, 'vic.', ''), t, t);
	END LOOP;
END $$;
CREATE TABLE firm AS
	SELECT i AS id, (ARRAY['C3841', 'C3985', 'C2614', 'I6510'])[1 + i % 4]::vic.industry AS industry,
	       'region ' || (i % 5) AS region,
	       ST_SetSRID(ST_MakePoint(110 + (i % 13) * 0.3, 28 + (i % 7) * 0.4), 4326)::geography AS location,
	       1 + (i * 37) % 300 AS employees, i % 4 AS cluster
	FROM generate_series(1, 4000) AS i;
CREATE MATERIALIZED VIEW cluster_summary AS
	SELECT cluster, vic.profile_agg(id, industry, region, location, employees) AS p,
	       vic.graph_agg(id, (id * 7919) % 4000 + 1, employees) AS g
	FROM firm GROUP BY cluster;
CREATE MATERIALIZED VIEW cluster_metrics AS
	SELECT cluster, vic.hhi(p) AS hhi, vic.entropy(p, 'region') AS entropy, vic.member_count(p) AS members
	FROM cluster_summary;
INSERT INTO vic.industry_catalog (code, name_en) VALUES ('C3841', 'lithium-ion batteries (user row)');
SQL
then tap t "a database with every vic type (fixtures of $(ls "$top"/test/fixtures/formats/*.tsv | wc -l) types), materialized views and a user catalogue row"
else tap f "a database with every vic type, materialized views and a user catalogue row"; sed 's/^/# /' "$work"/*.out | tail -20; finish; fi

# a fingerprint of a database: every stored value's binary form, the views' rows, the user rows
fingerprint() {
  q -d "$1" <<'SQL'
SELECT string_agg(x, E'\n' ORDER BY x) FROM (
	SELECT format('%s %s %s', c.relname, k, md5(send)) AS x FROM (
		SELECT 'col_' || replace(typ, 'vic.', '') AS relname, typ FROM (SELECT DISTINCT typ FROM typed) s) c,
	LATERAL (SELECT * FROM vic_dump_values(c.relname, c.typ)) v
	UNION ALL SELECT format('view %s %s %s', cluster, md5(vic.profile_send(p)), md5(vic.graph_send(g))) FROM cluster_summary
	UNION ALL SELECT format('metrics %s %s %s %s', cluster, hhi, entropy, members) FROM cluster_metrics
	UNION ALL SELECT format('catalog %s %s %s', code, name_en, user_added) FROM vic.industry_catalog WHERE user_added
	UNION ALL SELECT format('catalog rows %s', count(*)) FROM vic.industry_catalog
) s;
SQL
}
# vic_dump_values(table, type): (k, send bytes) of a typed column, through the type's send function
helper="CREATE FUNCTION vic_dump_values(rel text, typ text) RETURNS TABLE (k int, send bytea) LANGUAGE plpgsql AS \$\$
BEGIN RETURN QUERY EXECUTE format('SELECT k, %s_send(v) FROM %I', typ, rel); END \$\$;"
q -d vic_dump_src -c "$helper" >/dev/null
fingerprint vic_dump_src > "$work/fp_src" 2>&1
lines=$(wc -l < "$work/fp_src")
cond '[ "$lines" -gt 10 ]' "the source database's fingerprint ($lines values and rows)"

# custom format
pg_dump -Fc -d vic_dump_src -f "$work/dump.c" 2> "$work/dump_c.err" &&
  pg_restore -d vic_dump_c --exit-on-error "$work/dump.c" > "$work/restore_c.out" 2>&1
cond '[ $? -eq 0 ]' "pg_dump -Fc and pg_restore run without an error"
fingerprint vic_dump_c > "$work/fp_c" 2>&1
cond 'cmp -s "$work/fp_src" "$work/fp_c"' "after pg_dump -Fc / pg_restore every value, view row and catalogue row is equal bit for bit"
cmp -s "$work/fp_src" "$work/fp_c" || diff "$work/fp_src" "$work/fp_c" | head -10 | sed 's/^/# /'

# plain SQL
pg_dump -Fp -d vic_dump_src -f "$work/dump.sql" 2> "$work/dump_p.err" &&
  q -d vic_dump_p -f "$work/dump.sql" > "$work/restore_p.out" 2>&1
cond '[ $? -eq 0 ]' "pg_dump -Fp and psql -f restore run without an error"
fingerprint vic_dump_p > "$work/fp_p" 2>&1
cond 'cmp -s "$work/fp_src" "$work/fp_p"' "after a plain SQL dump and restore every value, view row and catalogue row is equal bit for bit"
cmp -s "$work/fp_src" "$work/fp_p" || diff "$work/fp_src" "$work/fp_p" | head -10 | sed 's/^/# /'

# crash safety: new values after a checkpoint, then an immediate shutdown and recovery
q -d vic_dump_src -c 'CHECKPOINT' > /dev/null 2>&1
q -d vic_dump_src > "$work/crash.out" 2>&1 <<'SQL'
CREATE TABLE after_checkpoint AS SELECT cluster, p, g FROM cluster_summary;
INSERT INTO after_checkpoint
	SELECT 100 + cluster, vic.profile_agg(id, industry, region, location, employees * 2),
	       vic.graph_agg(id, (id * 31) % 4000 + 1) FROM firm GROUP BY cluster;
SQL
before=$(q -d vic_dump_src -c "SELECT md5(string_agg(cluster || vic.profile_send(p)::text || vic.graph_send(g)::text, ',' ORDER BY cluster)) FROM after_checkpoint")
cluster=$(pg_lsclusters -h | awk -v p="$PGPORT" '$3 == p { print $1 " " $2 }')
if [ -n "$cluster" ] && pg_ctlcluster $cluster stop -m immediate > "$work/stop.out" 2>&1 && pg_ctlcluster $cluster start > "$work/start.out" 2>&1; then
  for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
  after=$(q -d vic_dump_src -c "SELECT md5(string_agg(cluster || vic.profile_send(p)::text || vic.graph_send(g)::text, ',' ORDER BY cluster)) FROM after_checkpoint" 2>&1)
  recovered=$(grep -c "database system was interrupted\|redo starts\|redo done" "$(pg_lsclusters -h | awk -v p="$PGPORT" '$3 == p { print $7 }')" 2>/dev/null)
  cond '[ -n "$before" ] && [ "$before" = "$after" ]' "summaries written after the last checkpoint survive an immediate shutdown and crash recovery bit for bit ($recovered recovery log lines)"
else
  tap f "immediate shutdown and restart of the test cluster"; sed 's/^/# /' "$work/stop.out" "$work/start.out" | tail
fi
finish
