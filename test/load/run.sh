#!/usr/bin/env bash
# test/load/run.sh: vic under concurrent load.  pgbench runs 8 clients for VIC_LOAD_SECONDS
# (default 60) mixing writers (a firm joins a cluster with a supply link, merged into the
# cluster's stored profile and graph with ||; a firm changes size, its cluster's profile rebuilt)
# with analytics (profiles per cluster from the rows, PageRank and communities of a stored graph,
# metrics of stored profiles against their merge_agg).  Passes when no transaction fails, no
# client aborts, and every stored summary equals a quiet recomputation from the final rows (so
# concurrent merges lose nothing and exact sums do not depend on the order of arrival).
# Prints tps and latency percentiles per script.  Runs inside pg_virtualenv; prints TAP.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
secs=${VIC_LOAD_SECONDS:-60}
n=0; failed=0
tap() { n=$((n + 1)); if [ "$1" = t ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d vic_load "$@"; }

dropdb --if-exists vic_load 2>/dev/null; createdb vic_load || exit 1
if ! q -f "$here/setup.sql" > "$work/setup.out" 2>&1; then
  tap f "load test tables"; sed 's/^/# /' "$work/setup.out" | tail; echo "1..$n"; exit 1
fi
pgbench=$(pg_config --bindir)/pgbench
(cd "$work" && "$pgbench" -n -d vic_load -c 8 -j 2 -T "$secs" -l \
  -f "$here/insert_firm.sql@3" -f "$here/update_firm.sql@2" -f "$here/analytics.sql@1" > "$work/pgbench.out" 2>&1)
st=$?
grep -E "^(tps|number of (transactions|failed)|latency average|SQL script|  - number of transactions)" "$work/pgbench.out" | sed 's/^/# /'
fails=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/pgbench.out")
done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
aborted=$(grep -c "aborted\|ERROR" "$work/pgbench.out")
ok=f; [ "$st" -eq 0 ] && [ "${fails:-x}" = 0 ] && [ "$aborted" -eq 0 ] && [ "${done_tx:-0}" -gt 0 ] && ok=t
tap $ok "8 clients for $secs s: ${done_tx:-?} transactions, ${fails:-?} failed, $aborted aborted clients or errors"
[ $ok = f ] && grep -E "ERROR|aborted" "$work/pgbench.out" | head -5 | sed 's/^/# /'

# latency percentiles per script, from pgbench's per-transaction log (microseconds, column 3)
cat "$work"/pgbench_log.* 2>/dev/null | awk '{ print $4, $3 }' | sort -k1,1n -k2,2n |
  awk '{ s[$1] = s[$1] " " $2; c[$1]++ }
       END { split("insert_firm update_firm analytics", name, " ");
             for (k in c) { m = split(substr(s[k], 2), v, " ");
               printf "# %s: %d transactions, latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n", name[k + 1], m,
                 v[int(m * 0.50) + 1] / 1000, v[int(m * 0.95) + 1] / 1000, v[int(m * 0.99) + 1] / 1000, v[m] / 1000 } }'

# every stored summary equals a quiet recomputation from the final rows
bad=$(q -c "SELECT count(*) FROM cluster_profile c
	WHERE NOT (c.p OPERATOR(vic.=) (SELECT vic.profile_agg(id, industry, region, location, employees) FROM firm WHERE firm.cluster = c.cluster))
	   OR NOT (c.g OPERATOR(vic.=) (SELECT vic.graph_agg(src, dst, weight) FROM link WHERE link.cluster = c.cluster))" 2>&1)
members=$(q -c "SELECT sum(vic.member_count(p)) || ' members, ' || sum(vic.edge_count(g)) || ' edges' FROM cluster_profile" 2>&1)
tap $([ "$bad" = 0 ] && echo t || echo f) "after the run every cluster's stored profile and graph equal a quiet recomputation (clusters differing: $bad; $members)"
echo "1..$n"
[ "$failed" -eq 0 ]
