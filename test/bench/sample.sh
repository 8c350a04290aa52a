#!/usr/bin/env bash
# Benchmark: the sample economy generator (test/fixtures/sample.sql).  Run by test/bench/run.sh with
# PGHOST/PGPORT/PGDATABASE set and postgis + vic installed.  Generates VIC_BENCH_SAMPLE_FIRMS firms
# (default VIC_BENCH_ROWS / 10, that is 10^6 at full scale and 10^4 at small scale) with the
# default 6 links per firm, then rewrites the same five tables with CREATE TABLE AS (the baseline:
# what writing that much data costs on this machine) and prints
#   sample: <what>: generate <x> s, rewrite <y> s, ratio <rewrite/generate>
# plus the rate in firms and links per second.  The tables are dropped at the end.
set -euo pipefail
firms=${VIC_BENCH_SAMPLE_FIRMS:-$(( ${VIC_BENCH_ROWS:-10000000} / 10 ))}
[ "$firms" -lt 10000 ] && firms=10000
sql=${VIC_SAMPLE_SQL:-$(dirname "$0")/../fixtures/sample.sql}
psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

cleanup() { psql_q -c 'DROP SCHEMA IF EXISTS vic_sample CASCADE' -c 'DROP SCHEMA IF EXISTS vic_sample_copy CASCADE' >/dev/null 2>&1 || true; }
trap cleanup EXIT

psql_q -c 'SET client_min_messages = warning' -f "$sql"

t0=$(date +%s.%N)
counts=$(psql_q -F ' ' -c 'SET client_min_messages = warning' \
  -c "SELECT table_name, row_count FROM vic_sample.generate($firms, 42)")
t1=$(date +%s.%N)
links=$(printf '%s\n' "$counts" | awk '$1 == "link" { print $2 }')
members=$(printf '%s\n' "$counts" | awk '$1 == "membership" { print $2 }')

# Baseline: write the same rows again (CREATE TABLE AS, primary keys, ANALYZE) in one transaction.
t2=$(date +%s.%N)
psql_q <<'SQL'
SET client_min_messages = warning;
BEGIN;
CREATE SCHEMA vic_sample_copy;
CREATE TABLE vic_sample_copy.city AS SELECT * FROM vic_sample.city;
CREATE TABLE vic_sample_copy.cluster AS SELECT * FROM vic_sample.cluster;
CREATE TABLE vic_sample_copy.firm AS SELECT * FROM vic_sample.firm;
ALTER TABLE vic_sample_copy.firm ADD PRIMARY KEY (firm_id);
CREATE TABLE vic_sample_copy.membership AS SELECT * FROM vic_sample.membership;
ALTER TABLE vic_sample_copy.membership ADD PRIMARY KEY (cluster_id, firm_id);
CREATE INDEX ON vic_sample_copy.membership (firm_id);
CREATE TABLE vic_sample_copy.link AS SELECT * FROM vic_sample.link;
ANALYZE vic_sample_copy.firm, vic_sample_copy.membership, vic_sample_copy.link;
COMMIT;
SQL
t3=$(date +%s.%N)

mb=$(psql_q -c "SELECT round(sum(pg_total_relation_size(c.oid)) / 1048576.0)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'vic_sample' AND c.relkind = 'r'")
awk -v f="$firms" -v l="$links" -v m="$members" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v mb="$mb" 'BEGIN {
  g = b - a; r = d - c
  printf "sample: generate(%d firms): %d memberships, %d links, %d MB\n", f, m, l, mb
  printf "sample: rate: %.0f firms/s, %.0f links/s\n", f / g, l / g
  printf "sample: generate(%d firms) vs rewriting the same tables: generate %.1f s, rewrite %.1f s, ratio %.2f\n", f, g, r, r / g
}'
