"""The numpy + scipy.sparse peer of test/bench/space.sh: the same relatedness, density and ECI
computation as vic's, from the same table read through psycopg.  Prints the seconds it took end
to end (fetch included) and the same check figures as the vic query, on one line:
    peer <seconds> <pairs> <sum relatedness> <targets> <sum target density> <sum eci * diversity>
The definitions are vic's (doc/space.md): RCA >= 1 for M, co-occurrence C = M'M without its
diagonal, association strength (van Eck & Waltman 2009), density = M R / rowsums(R), the five
lacking industries of highest density per unit, ECI as the second
eigenvector of D^-1 M U^-1 M' (Lanczos on the symmetric form, scipy.sparse.linalg.eigsh),
standardised with the sample sd, oriented to correlate positively with diversity."""
import os
import sys
import time

import numpy
import psycopg
import scipy.sparse
import scipy.sparse.linalg

TABLE = os.environ.get("VIC_BENCH_SPACE_TABLE", "vic_bench_space")
TOP = 5


def fetch(cur):
    """(unit, industry, weight) as one text value (string_agg on the server), split once and
    indexed with numpy.unique.  The fastest fetch we know with Debian's psycopg 3.1 (its pure-Python
    implementation): fetchall and COPY go row by row in Python, about 11 s for 10^6 rows here,
    against under 1 s for the one value."""
    cur.execute("SELECT string_agg(unit || E'\\t' || industry::text || E'\\t' || weight::text, E'\\n') "
                "FROM %s" % TABLE)
    fields = cur.fetchone()[0].replace("\n", "\t").split("\t")
    units, ucode = numpy.unique(numpy.array(fields[0::3]), return_inverse=True)
    inds, icode = numpy.unique(numpy.array(fields[1::3]), return_inverse=True)
    w = numpy.array(fields[2::3], dtype=numpy.float64)
    return units, inds, ucode, icode, w


def main():
    t0 = time.perf_counter()
    with psycopg.connect("", autocommit=True) as conn:
        units, inds, ucode, icode, w = fetch(conn.cursor())
    n, k = len(units), len(inds)
    # cells summed (duplicates) as scipy does on conversion
    X = scipy.sparse.csr_matrix((w, (ucode, icode)), shape=(n, k))
    X.sum_duplicates()
    rows = X.sum(axis=1).A1
    cols = X.sum(axis=0).A1
    total = X.sum()
    # RCA = (x_ci / x_c) / (x_i / x) on the nonzero cells, M = RCA >= 1
    coo = X.tocoo()
    rca = (coo.data / rows[coo.row]) / (cols[coo.col] / total)
    keep = rca >= 1
    M = scipy.sparse.csr_matrix((numpy.ones(keep.sum()), (coo.row[keep], coo.col[keep])), shape=(n, k))
    div = M.sum(axis=1).A1
    ubi = M.sum(axis=0).A1
    # co-occurrence and association strength
    C = (M.T @ M).toarray()
    numpy.fill_diagonal(C, 0)
    s = C.sum(axis=1)
    t = s.sum()
    with numpy.errstate(divide="ignore", invalid="ignore"):
        R = (C / t) / numpy.outer(s / t, s / t)
    R[~numpy.isfinite(R)] = 0
    R[C == 0] = 0
    pairs = int(numpy.count_nonzero(C))
    rsum = float(R.sum())
    # density and the five lacking industries of highest density per unit
    rowR = R.sum(axis=1)
    with numpy.errstate(divide="ignore", invalid="ignore"):
        D = numpy.asarray(M @ R) / rowR
    D[:, rowR == 0] = -numpy.inf
    D[M.toarray() > 0] = -numpy.inf
    # the TOP largest of each row (which of tied values is taken leaves their sum unchanged)
    order = numpy.argpartition(-D, TOP - 1, axis=1)[:, :TOP]
    best = numpy.take_along_axis(D, order, axis=1)
    best = best[numpy.isfinite(best)]
    # ECI: second eigenvector of S = A A', A = D^-1/2 M U^-1/2 (eigenvalues of M~C)
    A = scipy.sparse.diags(1 / numpy.sqrt(div)) @ M @ scipy.sparse.diags(1 / numpy.sqrt(ubi))
    S = scipy.sparse.linalg.LinearOperator((n, n), matvec=lambda v: A @ (A.T @ v), dtype=numpy.float64)
    vals, vecs = scipy.sparse.linalg.eigsh(S, k=2, which="LA", tol=1e-12)
    y = vecs[:, numpy.argsort(vals)[0]]
    eci = y / numpy.sqrt(div)
    eci = (eci - eci.mean()) / eci.std(ddof=1)
    if numpy.corrcoef(eci, div)[0, 1] < 0:
        eci = -eci
    secs = time.perf_counter() - t0
    print("peer %.3f %d %.12g %d %.12g %.12g" % (secs, pairs, rsum, best.size, best.sum(), (eci * div).sum()))


if __name__ == "__main__":
    sys.exit(main())
