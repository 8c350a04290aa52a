#!/usr/bin/python3
"""test/clients/clients.py: vic through psycopg 3 (python3-psycopg), the driver of Python notebooks,
Superset and Airflow.  Prints TAP lines "ok - ..." / "not ok - ..." (run.sh numbers them).

Usage: clients.py FIXTURES_DIR QUERIES_FILE REFERENCE_OUT
- every base type of schema vic (found in pg_type, so types added later are covered) with values
  from FIXTURES_DIR/<schema>.<type>.tsv: text and binary result formats, binary parameters, COPY
  (FORMAT binary) out and back in, bit-identical;
- server-side (named) cursors over vic.members of a 10^5-member profile and vic.pagerank of a
  2*10^4-node graph;
- prepared calls (prepare=True) of the main functions, NULL and wrong-typed parameters giving the
  documented SQLSTATE with the connection surviving;
- composite results expanded with (f(...)).*, json/jsonb casts;
- writes REFERENCE_OUT: the server's text of every query of QUERIES_FILE (read by the JDBC and ODBC
  checks, the server being the reference).
Connection from the libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
"""
import math
import os
import sys

import psycopg
from psycopg import pq
from psycopg.adapt import Dumper

results = []


def tap(ok, desc, diag=None):
    """prints one TAP line (and diagnostics on failure)"""
    results.append(bool(ok))
    print(("ok - " if ok else "not ok - ") + desc)
    if not ok and diag is not None:
        for line in str(diag).splitlines()[:10]:
            print("# " + line)
    sys.stdout.flush()


def sqlstate_of(conn, sql, params=None, prepare=None):
    """runs sql on conn expecting an error: returns its SQLSTATE (None when it succeeded), and
    rolls back so that the connection is usable again"""
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params, prepare=prepare)
            cur.fetchall()
        conn.rollback()
        return None
    except psycopg.Error as e:
        conn.rollback()
        return e.sqlstate


def read_fixtures(path):
    """the text column of a test/fixtures/formats/<type>.tsv file (comment lines skipped)"""
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            texts.append(line.rstrip("\n").split("\t")[1])
    return texts


def raw_rows(cur):
    """the server's text of every field of the last result (None for NULL), from the libpq result
    itself, so no Python conversion is involved"""
    res = cur.pgresult
    return [[None if res.get_value(r, c) is None else res.get_value(r, c).decode()
             for c in range(res.nfields)] for r in range(res.ntuples)]


def main():
    fixtures, queries_file, ref_out = sys.argv[1:4]
    conn = psycopg.connect(autocommit=False)
    pid = conn.info.backend_pid
    cur = conn.cursor()

    # ---- the base types of schema vic
    cur.execute("""SELECT t.oid, n.nspname || '.' || t.typname, t.typsend::regproc::text,
                          format_type(t.oid, NULL)
                   FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = 'vic' AND t.typtype = 'b' AND t.typelem = 0
                   ORDER BY t.typname""")
    types = cur.fetchall()
    names = [t[1] for t in types]
    tap({"vic.industry", "vic.profile", "vic.graph"} <= set(names),
        "pg_type lists the base types of schema vic: " + ", ".join(names))
    cur.execute("CREATE TABLE fixture_values (typname text, id integer, txt text)")
    for oid, name, send, fmt in types:
        path = os.path.join(fixtures, name + ".tsv")
        if not os.path.exists(path):
            tap(False, f"{name}: fixture file {path} exists")
            continue
        texts = read_fixtures(path)
        tap(len(texts) > 0, f"{name}: {len(texts)} values from {os.path.basename(path)}")
        with cur.copy("COPY fixture_values FROM STDIN") as cp:
            for i, t in enumerate(texts):
                cp.write_row((name, i, t))

        # text result format: psycopg has no loader for the type, so it returns the server's text
        cur.execute(f"SELECT txt::{fmt} FROM fixture_values WHERE typname = %s ORDER BY id", [name])
        got = [r[0] for r in cur.fetchall()]
        tap(got == texts, f"{name}: text result format equals the canonical text", (got, texts))
        tap(cur.description[0].type_code == oid, f"{name}: the column's type OID is {name}'s")

        # binary result format: the bytes of the type's send function
        cur.execute(f"SELECT txt::{fmt}, {send}(txt::{fmt}) FROM fixture_values "
                    "WHERE typname = %s ORDER BY id", [name], binary=True)
        rows = cur.fetchall()
        tap(all(isinstance(a, bytes) and a == bytes(b) for a, b in rows),
            f"{name}: binary result format equals {send}() bit for bit")
        sends = [bytes(b) for _, b in rows]

        # binary parameters: the send bytes go back in through the type's recv function
        cls = type("Bin_" + name.replace(".", "_"), (bytes,), {})
        dumper = type("Dump_" + name.replace(".", "_"), (Dumper,),
                      {"format": pq.Format.BINARY, "oid": oid,
                       "dump": lambda self, obj: bytes(obj)})
        cur.adapters.register_dumper(cls, dumper)
        ok = True
        for s, t in zip(sends, texts):
            cur.execute(f"SELECT %b::text, {send}(%b)", [cls(s), cls(s)])
            back_text, back_send = cur.fetchone()
            ok = ok and back_text == t and bytes(back_send) == s
        tap(ok, f"{name}: binary parameters (recv) read back to the same text and bytes")

        # COPY (FORMAT binary) out and back in
        tbl = "copy_" + name.replace(".", "_")
        cur.execute(f"CREATE TABLE {tbl} (id integer, v {fmt}); CREATE TABLE {tbl}_in (LIKE {tbl})")
        cur.execute(f"INSERT INTO {tbl} SELECT id, txt::{fmt} FROM fixture_values WHERE typname = %s",
                    [name])
        out = bytearray()
        with cur.copy(f"COPY {tbl} TO STDOUT (FORMAT binary)") as cp:
            for chunk in cp:
                out += chunk
        with cur.copy(f"COPY {tbl}_in FROM STDIN (FORMAT binary)") as cp:
            cp.write(bytes(out))
        again = bytearray()
        with cur.copy(f"COPY {tbl}_in TO STDOUT (FORMAT binary)") as cp:
            for chunk in cp:
                again += chunk
        cur.execute(f"SELECT count(*), count(*) FILTER (WHERE {send}(a.v) = {send}(b.v) AND a.v::text = b.v::text) "
                    f"FROM {tbl} a JOIN {tbl}_in b USING (id)")
        n, same = cur.fetchone()
        tap(n == len(texts) and same == n and bytes(out) == bytes(again),
            f"{name}: COPY (FORMAT binary) out and back in is bit-identical "
            f"({n} values, {len(out)} bytes)", (n, same, len(out), len(again)))
        # the COPY rows read by psycopg with the type's send bytes
        with cur.copy(f"COPY (SELECT v FROM {tbl} ORDER BY id) TO STDOUT (FORMAT binary)") as cp:
            cp.set_types(["bytea"])  # raw field bytes: bytea's binary loader passes them through
            copied = [bytes(r[0]) for r in cp.rows()]
        tap(copied == sends, f"{name}: binary COPY fields are the send bytes")
    conn.commit()

    # ---- hand-checked numbers through psycopg's own types
    cur.execute("SELECT vic.hhi(p), vic.member_count(p), vic.total_weight(p) FROM profiles WHERE name = 'hand0'")
    hhi, members, total = cur.fetchone()
    # hand0 = C3841 weight 3, C3985 weight 1: HHI = (3/4)^2 + (1/4)^2 = 0.625 (hand computation)
    tap(hhi == 0.625 and members == 3 and total == 4.0 and isinstance(hhi, float) and isinstance(members, int),
        "hhi(hand0) = 0.625, member_count 3, total_weight 4 as float and int", (hhi, members, total))

    # ---- composite results expand with (f(...)).*
    cur.execute("""SELECT (vic.shift_share(a.p, b.p, a.p, b.p)).* FROM profiles a, profiles b
                   WHERE a.name = 'hand0' AND b.name = 'hand1'""")
    cols = [d.name for d in cur.description]
    row = cur.fetchone()
    # region = nation: E0 = 4, E1 = 6, g = 1.5, g_C3841 = 1, g_C3985 = 3: national 4*0.5 = 2,
    # mix 3*1 + 1*3 - 4*1.5 = 0, regional (3-3) + (3-3) = 0 (Dunn 1960; hand computation)
    tap(cols == ["total", "national_share", "industry_mix", "regional_shift"] and row == (2.0, 2.0, 0.0, 0.0),
        "(vic.shift_share(...)).* expands to 4 named float8 columns (2, 2, 0, 0 by hand)", (cols, row))
    cur.execute("""SELECT (vic.ellison_glaeser(a.p, b.p)).* FROM profiles a, profiles b
                   WHERE a.name = 'c3841' AND b.name = 'economy0'""")
    cols = [d.name for d in cur.description]
    row = cur.fetchone()
    cur.execute("""SELECT (e).gamma, (e).g, (e).h FROM (SELECT vic.ellison_glaeser(a.p, b.p) e
                   FROM profiles a, profiles b WHERE a.name = 'c3841' AND b.name = 'economy0') s""")
    tap(cols == ["gamma", "g", "h"] and all(isinstance(x, float) for x in row) and cur.fetchone() == row,
        "(vic.ellison_glaeser(...)).* expands to gamma, g, h equal to the record's fields", (cols, row))

    # ---- json and jsonb casts: readable objects (psycopg loads them into dicts)
    cur.execute("SELECT p::json, p::jsonb FROM profiles WHERE name = 'hand0'")
    j, jb = cur.fetchone()
    inds = {d["industry"]: d["share"] for d in jb.get("industries", [])} if isinstance(jb, dict) else {}
    tap(isinstance(j, dict) and j == jb and jb.get("members") == 3 and jb.get("total_weight") == 4
        and inds == {"C3841": 0.75, "C3985": 0.25},
        "profile::json and ::jsonb load as the same dict: members 3, total 4, shares 3/4 and 1/4", jb)
    cur.execute("SELECT g::json, g::jsonb FROM graphs WHERE name = 'hand'")
    j, jb = cur.fetchone()
    tap(isinstance(j, dict) and j == jb and jb.get("nodes") == 6 and jb.get("edges") == 5
        and jb.get("weak_components") == 2,
        "graph::json and ::jsonb: 6 nodes, 5 edges, 2 weak components (hand graph)", jb)

    # ---- server-side cursors over large SRFs
    with conn.cursor(name="members_cursor") as sc:
        sc.itersize = 5000
        sc.execute("SELECT m.* FROM profiles, vic.members(p) m WHERE name = 'big'")
        cur.execute("SELECT count(*) FROM pg_cursors WHERE name = 'members_cursor'")
        declared = cur.fetchone()[0] == 1
        n = s = 0
        ok_types = True
        for member, industry, weight, located in sc:
            n += 1
            s += member
            if n == 1:
                ok_types = isinstance(member, int) and isinstance(weight, float) and isinstance(located, bool)
    # members 1..10^5: sum n(n+1)/2 = 5000050000
    tap(declared and n == 100000 and s == 5000050000 and ok_types,
        "named cursor (itersize 5000) over vic.members of a 10^5-member profile: 10^5 rows, "
        "ids sum to 5000050000", (declared, n, s))
    with conn.cursor(name="pagerank_cursor") as sc:
        sc.itersize = 2000
        sc.execute("SELECT r.* FROM graphs, vic.pagerank(g) r WHERE name = 'big'")
        n = 0
        total = 0.0
        while True:
            batch = sc.fetchmany(3000)
            if not batch:
                break
            n += len(batch)
            total += math.fsum(r[1] for r in batch)
    tap(n == 20000 and abs(total - 1.0) < 1e-9,
        "named cursor over vic.pagerank of a 2*10^4-node graph: 20000 rows, ranks sum to 1", (n, total))
    conn.commit()

    # ---- prepared calls with parameters
    cur.execute("SELECT p FROM profiles WHERE name = 'hand0'")
    hand0 = cur.fetchone()[0]                       # a str: the profile's text
    cur.execute("SELECT p FROM profiles WHERE name = 'economy0'")
    economy0 = cur.fetchone()[0]
    cur.execute("SELECT g FROM graphs WHERE name = 'hand'")
    hand_g = cur.fetchone()[0]
    calls = [
        ("vic.hhi", "SELECT vic.hhi(%s::vic.profile, %s, %s)", [hand0, "industry", None], [(0.625,)]),
        ("vic.hhi by region", "SELECT vic.hhi(%s::vic.profile, %s)", [hand0, "region"],
         # regions Ningde 3, Shenzhen 1: the same shares, 0.625 (hand computation)
         [(0.625,)]),
        ("vic.members", "SELECT * FROM vic.members(%s::vic.profile)", [hand0],
         [(1, "C3841", 2.0, False), (2, "C3841", 1.0, False), (3, "C3985", 1.0, False)]),
        ("vic.industry_shares level 1", "SELECT * FROM vic.industry_shares(%s::vic.profile, %s)",
         [hand0, 1], [("C", 4.0, 1.0)]),
        ("vic.location_quotients", "SELECT * FROM vic.location_quotients(%s::vic.profile, %s::vic.profile)",
         [hand0, economy0], None),
        ("vic.pagerank", "SELECT * FROM vic.pagerank(%s::vic.graph, %s)", [hand_g, 0.85], None),
        ("vic.components", "SELECT * FROM vic.components(%s::vic.graph, %s)", [hand_g, False],
         # weak components of the hand graph: {1,2,3,4} and {5,6}, numbered by their smallest node
         None),
        ("vic.degrees", "SELECT * FROM vic.degrees(%s::vic.graph)", [hand_g], None),
    ]
    for label, sql, params, expected in calls:
        ok = True
        for _ in range(3):
            cur.execute(sql, params, prepare=True)
            prepared_rows = cur.fetchall()
        # the same call with the values inlined by the server (not prepared)
        cur.execute(psycopg.sql.SQL(sql.replace("%s", "{}")).format(*[psycopg.sql.Literal(p) for p in params])
                    .as_string(conn), prepare=False)
        plain_rows = cur.fetchall()
        ok = prepared_rows == plain_rows and len(plain_rows) > 0
        if expected is not None:
            ok = ok and prepared_rows == expected
        tap(ok, f"prepared {label} (prepare=True) equals the unprepared call", (prepared_rows, plain_rows))
    cur.execute("SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql")
    tap(cur.fetchone()[0] >= len(calls), "the calls are prepared statements on the server")
    conn.commit()

    # hand graph components and degrees, by hand: 3->4 has weight 2
    cur.execute("SELECT * FROM vic.components(%s::vic.graph)", [hand_g], prepare=True)
    comp = dict(cur.fetchall())
    tap(comp[1] == comp[2] == comp[3] == comp[4] and comp[5] == comp[6] and comp[1] != comp[5],
        "components of the hand graph: {1,2,3,4} and {5,6}", comp)
    cur.execute("SELECT * FROM vic.degrees(%s::vic.graph) WHERE node = 3", [hand_g], prepare=True)
    tap(cur.fetchone() == (3, 1, 2, 1.0, 3.0), "degrees of node 3: in 1, out 2, in strength 1, out strength 3")

    # NULL parameters
    cur.execute("SELECT vic.hhi(%s::vic.profile)", [None], prepare=True)
    tap(cur.fetchone() == (None,), "hhi(NULL) is NULL")
    cur.execute("SELECT count(*) FROM vic.members(%s::vic.profile)", [None], prepare=True)
    tap(cur.fetchone() == (0,), "members(NULL) returns no rows (STRICT)")
    cur.execute("SELECT vic.hhi(%s::vic.profile, %s)", [hand0, None], prepare=True)
    tap(cur.fetchone() == (0.625,), "hhi(p, by => NULL) means by industry (doc/profile.md)")
    conn.commit()

    # wrong-typed and out-of-range parameters: the documented SQLSTATE, the connection survives
    bad = [
        ("damping NULL", "SELECT * FROM vic.pagerank(%s::vic.graph, %s)", [hand_g, None], "22023"),
        ("malformed industry text", "SELECT %s::vic.industry", ["X99999"], "22P02"),
        ("malformed profile text", "SELECT %s::vic.profile", ['{"members":'], "22P02"),
        ("malformed graph text", "SELECT %s::vic.graph", ["{1->"], "22P02"),
        ("an integer where a profile is expected", "SELECT vic.hhi(%s)", [42], "42883"),
        ("a float8 where a graph is expected", "SELECT * FROM vic.pagerank(%s::float8)", [1.5], "42883"),
        ("unknown by", "SELECT vic.hhi(%s::vic.profile, %s)", [hand0, "bogus"], "22023"),
        ("level out of range", "SELECT vic.hhi(%s::vic.profile, %s, %s)", [hand0, "industry", 9], "22023"),
        ("damping out of range", "SELECT * FROM vic.pagerank(%s::vic.graph, %s)", [hand_g, 1.5], "22023"),
        ("NaN weight", "SELECT vic.profile_agg(1, 'C3841', 'R', %s::float8)", [float("nan")], "22023"),
    ]
    # binary parameters of vic.profile built from hand0's send bytes
    prof_oid = [t for t in types if t[1] == "vic.profile"][0][0]
    cur.execute("SELECT vic.profile_send(p) FROM profiles WHERE name = 'hand0'")
    prof_send = bytes(cur.fetchone()[0])
    bin_profile = type("BadProfile", (bytes,), {})
    conn.adapters.register_dumper(bin_profile, type("DumpBad", (Dumper,), {
        "format": pq.Format.BINARY, "oid": prof_oid, "dump": lambda self, obj: bytes(obj)}))
    bad += [
        ("binary profile of an unknown version", "SELECT %b::text",
         [bin_profile(b"\x02" + prof_send[1:])], "22P03"),
        ("binary profile with trailing bytes", "SELECT %b::text", [bin_profile(prof_send + b"\x00")], "22P03"),
        # a truncated message: PostgreSQL's own message reader (pq_getmsg*) raises 08P01, as for
        # a truncated int4 or float8 parameter; the connection survives all the same
        ("truncated binary profile", "SELECT %b::text", [bin_profile(prof_send[:-3])], "08P01"),
    ]
    for label, sql, params, state in bad:
        got = sqlstate_of(conn, sql, params, prepare=True)
        cur.execute("SELECT pg_backend_pid(), 1")
        alive = cur.fetchone() == (pid, 1)
        tap(got == state and alive and not conn.closed,
            f"{label}: SQLSTATE {state}, the same connection still answers", got)
    conn.commit()

    # ---- the server's text of every query of QUERIES_FILE: the reference for JDBC and ODBC
    nq = 0
    with open(queries_file, encoding="utf-8") as f, open(ref_out, "w", encoding="utf-8") as out:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            qname, sql = line.rstrip("\n").split("\t", 1)
            cur.execute(sql)
            rows = raw_rows(cur)
            oids = [d.type_code for d in cur.description]
            names = [d.name for d in cur.description]
            cur.execute("SELECT array_agg(format_type(o, NULL) ORDER BY i) "
                        "FROM unnest(%s::oid[]) WITH ORDINALITY AS u(o, i)", [oids])
            tnames = cur.fetchone()[0]
            out.write("Q\t%s\t%d\n" % (qname, len(rows)))
            out.write("C\t" + "\t".join(names) + "\n")
            out.write("T\t" + "\t".join(tnames) + "\n")
            for r in rows:
                out.write("R\t" + "\t".join("\\N" if v is None else v for v in r) + "\n")
            nq += 1
    tap(nq > 0, f"server text of {nq} queries written as the reference for JDBC and ODBC")
    conn.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:          # a crash of the script is a failure, never a silent pass
        tap(False, "clients.py ran to the end", repr(e))
        import traceback
        traceback.print_exc()
        sys.exit(1)
