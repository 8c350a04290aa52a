#!/usr/bin/env bash
# Graph benchmark: vic.graph algorithms against pgRouting (same database, same table) and python3-igraph
# (edges fetched from the same table).  Run by the bench harness with PGHOST/PGPORT/PGDATABASE set and
# vic installed.  VIC_BENCH_EDGES (default 1000000) and VIC_BENCH_NODES (default 100000) size the graph.
# Prints lines "graph: <what>: vic <x> s, <peer> <y> s, ratio <peer/vic>".
#
# Hook: after its own lines this script runs every test/bench/graph_*.sh (e.g. graph_community.sh) with
# VIC_BENCH_GRAPH_TABLE naming the edge table (columns id, src, dst, weight), so other graph families
# add their lines without editing this file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export VIC_BENCH_EDGES=${VIC_BENCH_EDGES:-1000000}
export VIC_BENCH_NODES=${VIC_BENCH_NODES:-100000}
export VIC_BENCH_GRAPH_TABLE=vic_bench_graph_edges

psql -X -q -v ON_ERROR_STOP=1 \
  -v edges="$VIC_BENCH_EDGES" -v nodes="$VIC_BENCH_NODES" -f "$here/graph_data.sql" >/dev/null
/usr/bin/python3 "$here/graph_peers.py"

for hook in "$here"/graph_*.sh; do
  [ -e "$hook" ] || continue
  bash "$hook"
done
