"""Timings for test/bench/iotable.sh: vic.iotable against numpy on vic_bench_io_flow / _account."""
import os
import subprocess
import time

import numpy
import psycopg

N = int(os.environ.get("VIC_BENCH_IO_SECTORS", "1000"))
NCANCEL = int(os.environ.get("VIC_BENCH_IO_CANCEL", "3000"))
HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = ("(SELECT vic.iotable_agg(from_sector, to_sector, value) FROM vic_bench_io_flow) OPERATOR(vic.||) "
         "(SELECT vic.iotable_accounts_agg(sector, total_output, NULL, NULL, NULL, NULL) FROM vic_bench_io_account)")


def timed(cur, sql):
    """Run sql, fetch everything, return (seconds, rows)."""
    t = time.perf_counter()
    cur.execute(sql)
    rows = cur.fetchall()
    return time.perf_counter() - t, rows


def fetch_table(cur):
    """Flows and total output as numpy arrays, read by binary COPY (fixed-width keys 'S0001')."""
    def copy_bytes(sql):
        buf = bytearray()
        with cur.copy(sql) as copy:
            for block in copy:
                buf += block
        return bytes(buf[19:len(buf) - 2])  # 19-byte header, 2-byte trailer

    flow = numpy.dtype([("nf", ">i2"), ("l1", ">i4"), ("a", "S5"), ("l2", ">i4"), ("b", "S5"),
                        ("l3", ">i4"), ("v", ">f8")])
    rows = numpy.frombuffer(copy_bytes("COPY (SELECT from_sector, to_sector, value FROM vic_bench_io_flow) "
                                       "TO STDOUT (FORMAT binary)"), dtype=flow)
    acc = numpy.dtype([("nf", ">i2"), ("l1", ">i4"), ("s", "S5"), ("l2", ">i4"), ("x", ">f8")])
    accounts = numpy.frombuffer(copy_bytes("COPY (SELECT sector, total_output FROM vic_bench_io_account) "
                                           "TO STDOUT (FORMAT binary)"), dtype=acc)
    keys = numpy.concatenate([rows["a"], rows["b"], accounts["s"]])
    names, index = numpy.unique(keys, return_inverse=True)
    n = len(names)
    m = len(rows)
    # bincount sums repeated (from, to) pairs like the aggregate does, and is numpy's fastest way
    z = numpy.bincount(index[:m] * n + index[m:2 * m], weights=rows["v"].astype(numpy.float64),
                       minlength=n * n).reshape(n, n)
    x = numpy.zeros(n)
    x[index[2 * m:]] = accounts["x"].astype(numpy.float64)
    return names, z, x


PHASES = {}


def numpy_linkages(cur):
    t = time.perf_counter()
    names, z, x = fetch_table(cur)
    PHASES["fetch"] = time.perf_counter() - t
    n = len(x)
    a = z / x[None, :]
    l = numpy.linalg.inv(numpy.eye(n) - a)
    backward_direct = a.sum(axis=0)
    forward_direct = z.sum(axis=1) / x
    backward_total = l.sum(axis=0)
    forward_total = (l @ x) / x          # row sums of G = diag(x)^-1 L diag(x)
    backward_index = n * backward_total / backward_total.sum()
    forward_index = n * forward_total / forward_total.sum()
    key = (backward_index > 1) & (forward_index > 1)
    PHASES["compute"] = time.perf_counter() - t - PHASES["fetch"]
    return names, backward_total, forward_total, key, backward_direct, forward_direct


def numpy_leontief_sum(cur):
    names, z, x = fetch_table(cur)
    a = z / x[None, :]
    return numpy.linalg.inv(numpy.eye(len(x)) - a).sum()


def best(f, k=3):
    """Best of k runs of f() -> (seconds, last result)."""
    ts = []
    r = None
    for _ in range(k):
        t = time.perf_counter()
        r = f()
        ts.append(time.perf_counter() - t)
    return min(ts), r


def line(what, vic, peer):
    print("iotable: %s: vic %.3f s, numpy %.3f s, ratio %.2f" % (what, vic, peer, peer / vic), flush=True)


def main():
    with psycopg.connect("", autocommit=True) as conn:
        cur = conn.cursor()
        cur.execute("SET max_parallel_workers_per_gather = 0")  # both sides single-threaded
        timed(cur, "SELECT count(*) FROM vic_bench_io_flow")     # warm the cache
        print("iotable: %d sectors, %d flow rows; BLAS: %s" % (
            N, N * N, os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")), flush=True)

        q_link = "SELECT * FROM vic.linkages(%s)" % TABLE
        q_inv = "SELECT sum(value) FROM vic.leontief_inverse(%s)" % TABLE
        timed(cur, q_link)
        numpy_linkages(cur)
        tv, rv = best(lambda: timed(cur, q_link)[1])
        tp, rp = best(lambda: numpy_linkages(cur))
        line("linkages end to end", tv, tp)
        print("iotable: linkages: numpy reads and builds Z in %.3f s, computes in %.3f s (last run)"
              % (PHASES["fetch"], PHASES["compute"]), flush=True)
        names, bt, ft, key, bd, fd = rp
        vic = {r[0]: r for r in rv}
        diff = max(max(abs(vic[s.decode()][3] - bt[i]), abs(vic[s.decode()][4] - ft[i]),
                       abs(vic[s.decode()][1] - bd[i]), abs(vic[s.decode()][2] - fd[i]))
                   for i, s in enumerate(names))
        keys = sum(1 for i, s in enumerate(names) if vic[s.decode()][7] != bool(key[i]))
        print("iotable: linkages: max |vic - numpy| = %.2e over %d sectors, key sectors differing: %d"
              % (diff, len(names), keys), flush=True)

        tv, rv = best(lambda: timed(cur, q_inv)[1])
        tp, rp = best(lambda: numpy_leontief_sum(cur))
        line("leontief_inverse end to end (sum of L)", tv, tp)
        print("iotable: leontief_inverse: vic sum %.12g, numpy sum %.12g, relative difference %.2e"
              % (rv[0][0], rp, abs(rv[0][0] - rp) / abs(rp)), flush=True)

        # what the aggregates cost: the table built once and stored, then read
        cur.execute("DROP TABLE IF EXISTS vic_bench_io_stored")
        cur.execute("CREATE TABLE vic_bench_io_stored AS SELECT %s AS t" % TABLE)
        ts, _ = best(lambda: timed(cur, "SELECT * FROM vic.linkages((SELECT t FROM vic_bench_io_stored))")[1])
        ta, _ = best(lambda: timed(cur, "SELECT vic.sector_count(%s)" % TABLE)[1])
        print("iotable: linkages on a stored vic.iotable %.3f s; building it from the two tables %.3f s"
              % (ts, ta), flush=True)
        tr, rr = timed(cur, "SELECT vic.leontief_residual(t) FROM vic_bench_io_stored")
        print("iotable: residual || (I - A) L - I ||_inf = %.2e (%.3f s)" % (rr[0][0], tr), flush=True)

        # cancellation during a long factorisation
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "n=%d" % NCANCEL,
                        "-v", "flow=vic_bench_io_cflow", "-v", "account=vic_bench_io_caccount",
                        "-f", os.path.join(HERE, "iotable_data.sql")], check=True, stdout=subprocess.DEVNULL)
        cur.execute("DROP TABLE IF EXISTS vic_bench_io_cstored")
        cur.execute("CREATE TABLE vic_bench_io_cstored AS SELECT "
                    "(SELECT vic.iotable_agg(from_sector, to_sector, value) FROM vic_bench_io_cflow) OPERATOR(vic.||) "
                    "(SELECT vic.iotable_accounts_agg(sector, total_output, NULL, NULL, NULL, NULL) FROM vic_bench_io_caccount) AS t")
        tfull, _ = timed(cur, "SELECT count(*) FROM vic.linkages((SELECT t FROM vic_bench_io_cstored))")
        timeout = max(0.2, min(1.0, tfull / 3))
        cur.execute("SET statement_timeout = %d" % int(timeout * 1000))
        t = time.perf_counter()
        try:
            cur.execute("SELECT count(*) FROM vic.leontief_inverse((SELECT t FROM vic_bench_io_cstored))")
            cur.fetchall()
            print("iotable: cancel: the statement finished before the timeout", flush=True)
        except psycopg.errors.QueryCanceled:
            el = time.perf_counter() - t
            print("iotable: cancel: %d sectors (linkages %.2f s uncancelled), statement_timeout %.2f s, "
                  "cancelled after %.2f s: stopped %.2f s after the timeout" % (NCANCEL, tfull, timeout, el, el - timeout),
                  flush=True)
        cur.execute("RESET statement_timeout")
        cur.execute("DROP TABLE vic_bench_io_stored, vic_bench_io_cstored, vic_bench_io_cflow, vic_bench_io_caccount")


if __name__ == "__main__":
    main()
