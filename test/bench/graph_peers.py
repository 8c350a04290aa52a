"""Timings for test/bench/graph.sh: vic vs pgRouting and python3-igraph on vic_bench_graph_edges."""
import os
import time

import numpy
import psycopg

TABLE = os.environ.get("VIC_BENCH_GRAPH_TABLE", "vic_bench_graph_edges")


def timed(cur, sql):
    """Run sql, fetch everything, return (seconds, rows)."""
    t = time.perf_counter()
    cur.execute(sql)
    rows = cur.fetchall()
    return time.perf_counter() - t, rows


def fetch_edges(cur):
    """The fastest plain fetch we know: binary COPY parsed by numpy (no per-row Python objects)."""
    buf = bytearray()
    with cur.copy("COPY (SELECT src, dst, weight FROM %s) TO STDOUT (FORMAT binary)" % TABLE) as copy:
        for block in copy:
            buf += block
    # 19-byte header, then per row: int16 field count, (int32 length, value) x 3; 2-byte trailer
    row = numpy.dtype([("nf", ">i2"), ("l1", ">i4"), ("src", ">i8"), ("l2", ">i4"), ("dst", ">i8"),
                       ("l3", ">i4"), ("w", ">f8")])
    rows = numpy.frombuffer(bytes(buf[19:len(buf) - 2]), dtype=row)
    return rows["src"].astype(numpy.int64), rows["dst"].astype(numpy.int64), rows["w"].astype(numpy.float64)


def line(what, vic, peer_name, peer):
    print("graph: %s: vic %.3f s, %s %.3f s, ratio %.1f" % (what, vic, peer_name, peer, peer / vic), flush=True)


def main():
    with psycopg.connect("", autocommit=True) as conn:
        cur = conn.cursor()
        cur.execute("SET max_parallel_workers_per_gather = 0")  # both sides single-threaded
        agg = "(SELECT vic.graph_agg(src, dst%s) FROM " + TABLE + ")"
        pgr_sql = ("'SELECT id, src AS source, dst AS target, 1.0::float8 AS cost, "
                   "1.0::float8 AS reverse_cost FROM " + TABLE + "'")

        # warm the table into shared buffers / OS cache
        timed(cur, "SELECT count(*) FROM " + TABLE)

        # weakly connected components
        tv, rv = timed(cur, "SELECT count(DISTINCT component), count(*) FROM vic.components(%s)" % (agg % ""))
        tp, rp = timed(cur, "SELECT count(DISTINCT component), count(*) FROM pgr_connectedComponents(%s)" % pgr_sql)
        line("components", tv, "pgRouting", tp)
        if rv != rp:
            print("graph: components: MISMATCH vic %s pgRouting %s" % (rv, rp))

        # articulation points
        tv, rv = timed(cur, "SELECT count(*) FROM vic.articulation_points(%s)" % (agg % ""))
        tp, rp = timed(cur, "SELECT count(*) FROM pgr_articulationPoints(%s)" % pgr_sql)
        line("articulation points", tv, "pgRouting", tp)
        if rv != rp:
            print("graph: articulation points: MISMATCH vic %s pgRouting %s" % (rv, rp))

        # weighted PageRank vs igraph (PRPACK), peer timed end to end including the fetch
        tv, rv = timed(cur, "SELECT node, pagerank FROM vic.pagerank(%s)" % (agg % ", weight"))
        import igraph
        igraph.Graph(n=2, edges=[(0, 1)], directed=True).pagerank()  # load PRPACK before timing
        t0 = time.perf_counter()
        src, dst, weights = fetch_edges(cur)
        ids, inverse = numpy.unique(numpy.concatenate([src, dst]), return_inverse=True)
        m = len(src)
        g = igraph.Graph(n=len(ids), edges=numpy.column_stack([inverse[:m], inverse[m:]]).tolist(),
                         directed=True)
        index = {int(v): i for i, v in enumerate(ids)}
        t1 = time.perf_counter()
        pr = g.pagerank(weights=weights.tolist(), damping=0.85)
        t2 = time.perf_counter()
        line("pagerank", tv, "igraph", t2 - t0)
        print("graph: pagerank: igraph compute only %.3f s (fetch and build %.3f s)" % (t2 - t1, t1 - t0), flush=True)
        vic_pr = dict(rv)
        diff = max(abs(vic_pr[v] - pr[i]) for v, i in index.items())
        print("graph: pagerank: max |vic - igraph| = %.2e over %d nodes" % (diff, len(ids)), flush=True)


if __name__ == "__main__":
    main()
