#!/usr/bin/env bash
# Community detection benchmark: vic.communities (Leiden, Louvain) against python3-igraph,
# python3-leidenalg and networkx on the same generated table, unweighted and weighted.
# Needs PGHOST/PGPORT/PGDATABASE (and PGUSER/PGPASSWORD) of a database with vic installed.
# VIC_BENCH_NODES (default 100000) and VIC_BENCH_EDGES (default 1000000) set the graph size;
# VIC_BENCH_NX_EDGES (default 200000) caps the graph networkx is given.
set -euo pipefail
cd "$(dirname "$0")"
nodes=${VIC_BENCH_NODES:-100000}
edges=${VIC_BENCH_EDGES:-1000000}
psql -X -q -v ON_ERROR_STOP=1 -v nodes="$nodes" -v edges="$edges" -f communities_graph.sql
echo "communities: graph: $nodes nodes, $(psql -X -At -c 'SELECT count(*) FROM vic_bench_comm_edges') edges (1,000 planted groups per 10^5 nodes, 80% of edges inside; weights Pareto 1.5)"
/usr/bin/python3 communities_peers.py
