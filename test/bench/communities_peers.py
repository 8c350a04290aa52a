"""Community benchmark: vic.communities against python3-igraph, python3-leidenalg and networkx.

Reads the edges of vic_bench_comm_edges (made by communities_graph.sql) from the database named by
the PG* environment variables.  Prints one line per comparison:

  communities: <what>: vic <x> s (Q=<q>), <peer> <y> s (Q=<q>; compute <z> s), ratio <peer/vic>

vic's time is the whole query  SELECT count(*) FROM vic.communities((SELECT vic.graph_agg(...) FROM t))
(graph built from the table, communities computed, rows returned).  A peer's time is end to end too:
fetching the edges with psycopg (COPY), building its graph and running; "compute" is the run alone.
Every Q is computed the same way, by igraph's Graph.modularity on the same undirected (weighted)
graph, with vic's partition fetched by a second, identical (deterministic) call.
"""
import io
import os
import sys
import time

import igraph as ig
import leidenalg as la
import networkx as nx
import numpy as np
import psycopg

TABLE = "vic_bench_comm_edges"
NX_EDGES = int(os.environ.get("VIC_BENCH_NX_EDGES", "200000"))
SEED = 1


def fetch(conn, weighted, where=""):
    """Edges as numpy arrays, fetched with COPY; returns (src, dst, w or None, seconds)."""
    cols = "src, dst, w" if weighted else "src, dst"
    t = time.perf_counter()
    buf = io.BytesIO()
    with conn.cursor() as cur:
        with cur.copy(f"COPY (SELECT {cols} FROM {TABLE} {where}) TO STDOUT") as copy:
            for block in copy:
                buf.write(block)
    data = np.array(buf.getvalue().split(), dtype=np.float64)
    data = data.reshape(-1, 3 if weighted else 2)
    src = data[:, 0].astype(np.int64)
    dst = data[:, 1].astype(np.int64)
    w = data[:, 2] if weighted else None
    return src, dst, w, time.perf_counter() - t


def build_igraph(src, dst, w):
    """Undirected igraph graph over the distinct ids; returns (graph, ids, seconds)."""
    t = time.perf_counter()
    ids, inv = np.unique(np.concatenate([src, dst]), return_inverse=True)
    m = len(src)
    g = ig.Graph(n=len(ids), edges=np.column_stack([inv[:m], inv[m:]]).tolist(), directed=False)
    if w is not None:
        g.es["weight"] = w.tolist()
    return g, ids, time.perf_counter() - t


def vic_run(conn, method, weighted, where=""):
    """Seconds for the end-to-end vic query, and its partition as {node: community}."""
    agg = "vic.graph_agg(src, dst, w)" if weighted else "vic.graph_agg(src, dst)"
    graph = f"(SELECT {agg} FROM {TABLE} {where})"
    t = time.perf_counter()
    conn.execute(f"SELECT count(*) FROM vic.communities({graph}, '{method}')").fetchone()
    secs = time.perf_counter() - t
    rows = conn.execute(f"SELECT node, community FROM vic.communities({graph}, '{method}')").fetchall()
    return secs, dict(rows)


def membership(part, ids):
    """igraph membership list (dense labels) for a {node id: community} map."""
    labels = {}
    return [labels.setdefault(part[int(v)], len(labels)) for v in ids]


def line(what, vic_secs, vic_q, peer, peer_secs, peer_q, compute, note=""):
    print(f"communities: {what}: vic {vic_secs:.3f} s (Q={vic_q:.6f}), {peer} {peer_secs:.3f} s "
          f"(Q={peer_q:.6f}; compute {compute:.3f} s), ratio {peer_secs / vic_secs:.1f}{note}",
          flush=True)


def main():
    conn = psycopg.connect("", autocommit=True)
    nedges = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    # load vic's library into the session first (the peers' imports are not timed either)
    conn.execute("SELECT count(*) FROM vic.communities('{1->2}'::vic.graph)").fetchone()
    for weighted in (False, True):
        kind = "weighted" if weighted else "unweighted"
        wname = "weight" if weighted else None
        src, dst, w, t_fetch = fetch(conn, weighted)
        g, ids, t_build = build_igraph(src, dst, w)
        t_peer0 = t_fetch + t_build
        vic = {}
        for method in ("louvain", "leiden"):
            secs, part = vic_run(conn, method, weighted)
            vic[method] = (secs, g.modularity(membership(part, ids), weights=wname))

        t = time.perf_counter()
        p = g.community_multilevel(weights=wname)
        c = time.perf_counter() - t
        line(f"{kind} louvain", *vic["louvain"], "igraph community_multilevel",
             t_peer0 + c, g.modularity(p.membership, weights=wname), c)

        t = time.perf_counter()
        p = g.community_leiden(objective_function="modularity", weights=wname, n_iterations=-1)
        c = time.perf_counter() - t
        line(f"{kind} leiden", *vic["leiden"], "igraph community_leiden(modularity, n_iterations=-1)",
             t_peer0 + c, g.modularity(p.membership, weights=wname), c)

        t = time.perf_counter()
        p = la.find_partition(g, la.ModularityVertexPartition, weights=wname, seed=SEED)
        c = time.perf_counter() - t
        line(f"{kind} leiden", *vic["leiden"], "leidenalg ModularityVertexPartition (n_iterations=2)",
             t_peer0 + c, g.modularity(p.membership, weights=wname), c)

        # networkx is pure Python: on large graphs it runs on the induced subgraph of the nodes
        # below a cut, holding about VIC_BENCH_NX_EDGES edges, and vic is timed on the same edges.
        where, note = "", ""
        if nedges > NX_EDGES:
            cut = conn.execute(f"SELECT dst FROM {TABLE} ORDER BY dst OFFSET {NX_EDGES - 1} LIMIT 1").fetchone()[0]
            where = f"WHERE dst <= {cut}"
        s_src, s_dst, s_w, s_fetch = fetch(conn, weighted, where)
        if where:
            note = (f" (subsample: networkx is given at most VIC_BENCH_NX_EDGES = {NX_EDGES} of the "
                    f"{nedges} edges, so both run on the subgraph of nodes <= {cut}, {len(s_src)} edges)")
        sg, sids, _ = build_igraph(s_src, s_dst, s_w)
        v_secs, v_part = vic_run(conn, "louvain", weighted, where)
        t = time.perf_counter()
        G = nx.Graph()
        if weighted:
            G.add_weighted_edges_from(zip(s_src.tolist(), s_dst.tolist(), s_w.tolist()))
        else:
            G.add_edges_from(zip(s_src.tolist(), s_dst.tolist()))
        t_nxbuild = time.perf_counter() - t
        t = time.perf_counter()
        comms = nx.community.louvain_communities(G, weight="weight", seed=SEED)
        c = time.perf_counter() - t
        nx_part = {v: i for i, cset in enumerate(comms) for v in cset}
        line(f"{kind} louvain", v_secs, sg.modularity(membership(v_part, sids), weights=wname),
             "networkx louvain_communities", s_fetch + t_nxbuild + c,
             sg.modularity(membership(nx_part, sids), weights=wname), c, note)
    conn.close()


if __name__ == "__main__":
    sys.exit(main())
