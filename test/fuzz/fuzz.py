#!/usr/bin/python3
"""Robustness fuzzer for vic's SQL-callable functions.

Runs against a cluster where vic is installed (libpq environment: PGHOST, PGPORT, PGUSER,
PGDATABASE).  Every case must end in a result or an ERROR whose SQLSTATE is not class XX
(internal error), 53 (out of memory) or 57014 after the watchdog (an uninterruptible loop);
the connection must survive every case.  Deterministic: --seed fixes every mutation.

Families of cases:
  text    mutated texts thrown at vic.industry / vic.profile / vic.graph input functions;
          accepted values must round-trip (out(in(out(in(x)))) = out(in(x)))
  binary  mutated binary COPY payloads thrown at the recv functions; accepted values must
          round-trip through send/recv and text
  call    every vic function (found in pg_proc) called with random arguments drawn from pools of
          NULLs, empty values, NaN/Infinity, extreme integers, bad arrays and small/medium graphs
          and profiles
  agg     aggregates over bad rows (bad weights, wrong geometry, other SRIDs, NULLs, mixes)
  regress fixed regression cases for bugs found by this harness (test/fuzz/regress.sql)
Prints "N passed, N failed" last.
"""
import argparse
import os
import random
import re
import struct
import sys
import threading
import time

import psycopg

STMT_TIMEOUT_MS = 8000
WATCHDOG_S = 40

# SQLSTATEs that are never acceptable for user input
BAD_CLASSES = ("XX", "53", "58")

# elog(ERROR) the PostgreSQL way for calling a transition function by hand: tolerated
TOLERATED_XX = re.compile(r"non-aggregate context|called in non-aggregate")
# an unknown binary format version is ERRCODE_DATA_CORRUPTED by the project's rule (STYLE.md)
TOLERATED_XX001 = re.compile(r"^unsupported .*version")


class Harness:
    def __init__(self, seed, verbose, maxcases):
        self.rng = random.Random(seed)
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.counts = {}
        self.maxcases = maxcases
        self.failures = []
        self.states = {}
        self.cases = {}
        self.deadline = None
        self.conn = None
        self.connect()
        self.pid = None

    def past_deadline(self):
        return self.deadline is not None and time.time() > self.deadline

    def connect(self):
        self.conn = psycopg.connect(autocommit=True)
        self.conn.execute("SET statement_timeout = %d" % STMT_TIMEOUT_MS)
        self.conn.execute("SET search_path = public")
        self.conn.execute("SET client_min_messages = warning")
        self.pid = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]

    def alive(self):
        try:
            self.conn.execute("SELECT 1").fetchone()
            return True
        except Exception:
            return False

    def record(self, family, ok, desc, detail=""):
        self.counts.setdefault(family, [0, 0])
        if ok:
            self.passed += 1
            self.counts[family][0] += 1
        else:
            self.failed += 1
            self.counts[family][1] += 1
            self.failures.append((family, desc, detail))
            print("not ok - [%s] %s :: %s" % (family, desc[:300], detail[:300]), flush=True)

    def run(self, family, sql, params=None, desc=None, check=None, copy_data=None, must_succeed=False):
        """Run one case; returns (rows or None, sqlstate or None)."""
        desc = desc or sql
        done = threading.Event()
        hung = []

        def watchdog():
            if not done.wait(WATCHDOG_S):
                hung.append(True)
                print("not ok - [%s] HANG (no answer after %ds, statement_timeout %dms ignored): %s"
                      % (family, WATCHDOG_S, STMT_TIMEOUT_MS, desc[:300]), flush=True)
                print("%d passed, %d failed" % (self.passed, self.failed + 1), flush=True)
                os._exit(3)

        t = threading.Thread(target=watchdog, daemon=True)
        t.start()
        rows = None
        state = None
        msg = ""
        t0 = time.time()
        try:
            with self.conn.cursor() as cur:
                if copy_data is not None:
                    with cur.copy(sql) as cp:
                        cp.write(copy_data)
                else:
                    cur.execute(sql, params, prepare=False)
                    if cur.description is not None:
                        rows = cur.fetchall()
        except psycopg.Error as e:
            state = e.sqlstate
            msg = str(e).split("\n")[0]
        except Exception as e:  # decoding errors and the like: a client-side problem, not the server's
            state = "client"
            msg = repr(e)
        finally:
            done.set()
        elapsed = time.time() - t0
        ok = True
        detail = ""
        if state is None and copy_data is None and not self.conn.closed and self.conn.broken:
            ok = False
        if state is not None and state != "client":
            if state.startswith(BAD_CLASSES) and not (state == "XX000" and TOLERATED_XX.search(msg)) \
                    and not (state == "XX001" and copy_data is not None and TOLERATED_XX001.search(msg)):
                ok = False
                detail = "SQLSTATE %s: %s" % (state, msg)
            if state == "57014" and elapsed > STMT_TIMEOUT_MS / 1000.0 * 2:
                ok = False
                detail = "statement_timeout honoured only after %.1fs" % elapsed
        if state is not None and must_succeed:
            ok = False
            detail = "must succeed, got SQLSTATE %s: %s" % (state, msg)
        if state is None and check is not None:
            why = check(rows)
            if why:
                ok = False
                detail = why
        if not self.alive():
            ok = False
            detail = "CONNECTION LOST (backend crash?) %s %s" % (state, msg)
            time.sleep(2)
            for _ in range(30):
                try:
                    self.connect()
                    break
                except Exception:
                    time.sleep(1)
        if state == "client":
            state = None
        key = state or "result"
        self.states.setdefault(family, {}).setdefault(key, 0)
        self.states[family][key] += 1
        if self.verbose:
            print("%s [%s] %s -> %s %s" % ("ok" if ok else "FAIL", family, desc[:160], state, msg[:120]))
        self.record(family, ok, desc, detail)
        return rows, state


# ---------------------------------------------------------------------------
# seeds
# ---------------------------------------------------------------------------

INDUSTRY_SEEDS = ["C3825", "3825", "C", "C38", "C382", "isic4:C2610", "nace2:C26.11",
                  "naics:334413", "naics:33", "A0111", "c1311", "isic4:C", "T9700"]

GRAPH_SEEDS = ["{}", "{1->2}", "{1->2:0.5,2->3,3->1:2}", "{1->1}", "{-5->7:1e-300,7->-5:1e300}",
               "{1->2:0,2->3:3.5,3->4,4->1,1->3}",
               "{-9223372036854775808->9223372036854775807:1}"]

PROFILE_SEEDS = [
    '{"members":[[1,"C13",1,false]],"cells":[["a","C13",1]],"location":[0,0,0,0]}',
]

SPECIAL_TOKENS = ["NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "-0", "0", "-0.0", "1e999",
                  "-1e999", "1e-999", "4.9e-324", "1.7976931348623157e308",
                  "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                  "-9223372036854775809", "2147483648", "99999999999999999999999999999999",
                  "1" * 400, "0x10", "1_000", "+1", ".5", "5.", "1e", "e5", "--1", "null", "true",
                  "false", '""', '"\\u0000"', '"\\ud800"', '"\\uZZZZ"', '"\\', "[", "]", "{", "}",
                  ",", ":", "->", "-", ">", "\u00e9", "\u4e2d\u6587", "\U0001F600", " ", "\t",
                  "\n", '"members"', '"cells"', '"location"', "[[", "]]", "{{", "}}"]


def mutate_text(rng, s):
    """One random mutation of a text."""
    op = rng.randrange(11)
    if not s:
        s = " "
    i = rng.randrange(len(s) + 1)
    if op == 0:                                   # truncation
        return s[:i]
    if op == 1:                                   # byte flip (printable and multibyte)
        c = rng.choice([chr(rng.randrange(1, 127)), chr(rng.randrange(128, 0x800)),
                        chr(rng.randrange(0x800, 0xD800)), chr(rng.randrange(0x10000, 0x10FFFF))])
        return s[:i] + c + s[i + 1:]
    if op == 2:                                   # token insertion
        return s[:i] + rng.choice(SPECIAL_TOKENS) + s[i:]
    if op == 3:                                   # replace a number by a special token
        nums = list(re.finditer(r"-?\d+(\.\d+)?(e-?\d+)?", s))
        if nums:
            m = rng.choice(nums)
            return s[:m.start()] + rng.choice(SPECIAL_TOKENS[:22]) + s[m.end():]
        return s + rng.choice(SPECIAL_TOKENS)
    if op == 4:                                   # duplicate a segment
        j = rng.randrange(i, len(s) + 1)
        return s[:j] + s[i:j] + s[j:]
    if op == 5:                                   # delete a segment
        j = rng.randrange(i, len(s) + 1)
        return s[:i] + s[j:]
    if op == 6:                                   # unbalanced braces / brackets
        return s[:i] + rng.choice("{}[]()\"'") * rng.randrange(1, 4) + s[i:]
    if op == 7:                                   # very long string
        return s[:i] + rng.choice(["9", "a", "[", "{", " ", "1,", "\u00e9"]) * rng.choice([1000, 70000]) + s[i:]
    if op == 8:                                   # deep nesting
        d = rng.choice([100, 5000])
        return "[" * d + s + "]" * d if rng.random() < 0.5 else "{" * d + s + "}" * d
    if op == 9:                                   # swap two characters
        if len(s) > 1:
            a, b = rng.randrange(len(s)), rng.randrange(len(s))
            lst = list(s)
            lst[a], lst[b] = lst[b], lst[a]
            return "".join(lst)
        return s
    return s.upper() if rng.random() < 0.5 else s.lower()


def mutate_bytes(rng, b):
    """One random mutation of a binary payload."""
    b = bytearray(b)
    op = rng.randrange(8)
    n = len(b)
    if op == 0:
        return bytes(b[:rng.randrange(n + 1)])
    if op == 1 and n:
        i = rng.randrange(n)
        b[i] ^= 1 << rng.randrange(8)
        return bytes(b)
    if op == 2 and n:
        i = rng.randrange(n)
        b[i] = rng.choice([0, 0xFF, 0x7F, 0x80, 1, 2])
        return bytes(b)
    if op == 3 and n >= 4:                        # overwrite an int32 with an extreme value
        i = rng.randrange(n - 3)
        v = rng.choice([0, 1, -1, 2, 0x7FFFFFFF, -0x80000000, 0x3FFFFFFF, 0x10000000, n, n // 2])
        b[i:i + 4] = struct.pack(">i", v)
        return bytes(b)
    if op == 4 and n >= 8:                        # overwrite an int64 / float8
        i = rng.randrange(n - 7)
        v = rng.choice([struct.pack(">q", 0x7FFFFFFFFFFFFFFF), struct.pack(">q", -1),
                        struct.pack(">q", 0), struct.pack(">d", float("nan")),
                        struct.pack(">d", float("inf")), struct.pack(">d", -0.0),
                        struct.pack(">d", -1.0), struct.pack(">q", 0x0FFFFFFFFFFFFFFF),
                        struct.pack(">q", n)])
        b[i:i + 8] = v
        return bytes(b)
    if op == 5:
        return bytes(b) + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
    if op == 6 and n:                             # duplicate a chunk (repeated entries)
        i = rng.randrange(n)
        j = rng.randrange(i, n + 1)
        return bytes(b[:j] + b[i:j] + b[j:])
    if op == 7 and n:
        i = rng.randrange(n)
        j = rng.randrange(i, n + 1)
        return bytes(b[:i] + b[j:])
    return bytes(b)


COPY_HDR = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)


def copy_payload(field):
    return COPY_HDR + struct.pack(">hi", 1, len(field)) + field + struct.pack(">h", -1)


def parse_copy_single(data):
    """The first field of the first tuple of a binary COPY."""
    off = len(COPY_HDR)
    nf, ln = struct.unpack(">hi", data[off:off + 6])
    assert nf == 1
    if ln < 0:
        return None
    return data[off + 6:off + 6 + ln]


# ---------------------------------------------------------------------------
# families
# ---------------------------------------------------------------------------

def text_family(h, typ, seeds, count):
    rng = h.rng

    def roundtrip(rows):
        return None

    for k in range(count):
        if h.past_deadline():
            break
        h.cases["text " + typ] = h.cases.get("text " + typ, 0) + 1
        s = rng.choice(seeds)
        for _ in range(rng.randrange(1, 4)):
            s = mutate_text(rng, s)
        s = s.replace("\x00", "")
        rows, state = h.run("text", "SELECT (%%s::text::vic.%s)::text" % typ, (s,),
                            desc="%s input %r" % (typ, s[:200]))
        if state is None and rows:
            out = rows[0][0]
            h.run("text", "SELECT (%%s::text::vic.%s)::text = %%s" % typ, (out, out),
                  desc="%s round trip of %r" % (typ, out[:200]), must_succeed=True,
                  check=lambda r: None if r and r[0][0] else "output does not round-trip")


def binary_family(h, typ, seed_exprs, count, raw_seeds=()):
    rng = h.rng
    h.conn.execute("DROP TABLE IF EXISTS fz_bin_%s" % typ)
    h.conn.execute("CREATE TABLE fz_bin_%s (v vic.%s)" % (typ, typ))
    h.conn.execute("CREATE TABLE IF NOT EXISTS fz_acc_%s (v vic.%s)" % (typ, typ))
    seeds = list(raw_seeds)
    for e in seed_exprs:
        data = b""
        with h.conn.cursor() as cur:
            with cur.copy("COPY (SELECT %s) TO STDOUT (FORMAT binary)" % e) as cp:
                for chunk in cp:
                    data += bytes(chunk)
        f = parse_copy_single(data)
        if f is not None:
            seeds.append(f)
    for k in range(count):
        if h.past_deadline():
            break
        h.cases["binary " + typ] = h.cases.get("binary " + typ, 0) + 1
        f = rng.choice(seeds)
        for _ in range(rng.randrange(1, 3)):
            f = mutate_bytes(rng, f)
        h.conn.execute("TRUNCATE fz_bin_%s" % typ)
        _, state = h.run("binary", "COPY fz_bin_%s FROM STDIN (FORMAT binary)" % typ,
                         desc="%s recv %s" % (typ, f[:120].hex()), copy_data=copy_payload(f))
        if state is None:
            # accepted: it must print, read back, and re-send identically
            h.run("binary",
                  "SELECT bool_and(v::text::vic.%s::text = v::text AND vic.%s_send(v) = vic.%s_send(v::text::vic.%s)) FROM fz_bin_%s"
                  % (typ, typ, typ, typ, typ),
                  desc="%s recv accepted %s: text/send round trip" % (typ, f[:120].hex()), must_succeed=True,
                  check=lambda r: None if r and r[0][0] in (True, None) else "accepted binary value does not round-trip")
            # kept (a few hundred) for the merge family
            if h.conn.execute("SELECT count(*) < 300 FROM fz_acc_%s" % typ).fetchone()[0]:
                h.conn.execute("INSERT INTO fz_acc_%s SELECT v FROM fz_bin_%s" % (typ, typ))
            # and every function of the type must survive it
            for fn in CALLS_ON_ACCEPTED.get(typ, []):
                h.run("binary", fn % ("fz_bin_%s" % typ), desc="%s on recv'd %s" % (fn[:60], f[:60].hex()))


CALLS_ON_ACCEPTED = {
    "graph": [
        "SELECT vic.node_count(v), vic.edge_count(v) FROM %s",
        "SELECT (SELECT count(*) FROM vic.components(v, true)) FROM %s",
        "SELECT (SELECT count(*) FROM vic.pagerank(v)) FROM %s",
        "SELECT (SELECT count(*) FROM vic.betweenness(v)) FROM %s",
        "SELECT (SELECT count(*) FROM vic.communities(v, 'louvain')) FROM %s",
        "SELECT (SELECT count(*) FROM vic.communities(v, 'leiden')) FROM %s",
        "SELECT (SELECT count(*) FROM vic.core_numbers(v)) FROM %s",
        "SELECT (SELECT count(*) FROM vic.bridges(v)) FROM %s",
        "SELECT (SELECT count(*) FROM vic.burt_constraint(v)) FROM %s",
        "SELECT (v OPERATOR(vic.||) v)::text FROM %s",
    ],
    "profile": [
        "SELECT vic.member_count(v), vic.total_weight(v), vic.region_count(v) FROM %s",
        "SELECT vic.hhi(v), vic.entropy(v, 'region'), vic.gini(v) FROM %s",
        "SELECT vic.krugman_index(v, v), vic.hoover_index(v, v), vic.locational_gini(v, v) FROM %s",
        "SELECT (vic.ellison_glaeser(v, v)).* FROM %s",
        "SELECT vic.centroid(v), vic.standard_distance(v) FROM %s",
        "SELECT (v OPERATOR(vic.||) v)::text FROM %s",
        "SELECT (SELECT count(*) FROM vic.location_quotients(v, v)) FROM %s",
        "SELECT vic.related_variety(v, 4, 2), vic.unrelated_variety(v, 2) FROM %s",
        "SELECT vic.multi_membership_share(v) FROM %s",
    ],
    "industry": [
        "SELECT vic.industry_level(v), vic.industry_parent(v), vic.industry_scheme(v), vic.industry_subtree_last(v) FROM %s",
        "SELECT vic.industry_name(v) FROM %s",
    ],
}


# argument pools by type name: SQL expressions
def pools():
    return {
        "vic.graph": ["NULL::vic.graph", "'{}'::vic.graph", "'{1->1}'::vic.graph", "'{1->2}'::vic.graph",
                      "'{1->2:0,2->1:0}'::vic.graph",
                      "'{1->2:0.5,2->3,3->1:2,3->4:1e-300,4->5:1e300}'::vic.graph",
                      "(SELECT g FROM fz_graph WHERE k = 1)", "(SELECT g FROM fz_graph WHERE k = 2)",
                      "(SELECT g FROM fz_graph WHERE k = 3)",
                      "'{-9223372036854775808->9223372036854775807}'::vic.graph",
                      "'{1->2:1e-310,2->1:1e-310,2->3:5e-324,3->1:4.9e-324}'::vic.graph",
                      "'{1->2:1e308,1->3:1e308,2->3:1e308,3->1:1e308,3->2:1.7e308}'::vic.graph",
                      "'{1->2:0,2->3:0,3->1:0}'::vic.graph"],
        "vic.profile": ["NULL::vic.profile"] + ["(SELECT p FROM fz_profile WHERE k = %d)" % i for i in range(1, 11)],
        "vic.profile[]": ["NULL::vic.profile[]", "'{}'::vic.profile[]", "ARRAY[NULL]::vic.profile[]",
                          "(SELECT array_agg(p ORDER BY k) FROM fz_profile)",
                          "(SELECT array_agg(p ORDER BY k) FROM fz_profile WHERE k IN (2, 3))",
                          "(SELECT array_agg(p) FROM fz_profile WHERE k = 2)",
                          "(SELECT array_agg(p ORDER BY k) || NULL::vic.profile FROM fz_profile WHERE k IN (2, 3, 4))"],
        "vic.industry": ["NULL::vic.industry", "'C'::vic.industry", "'C13'::vic.industry",
                         "'C1311'::vic.industry", "'C131'::vic.industry", "'A0111'::vic.industry",
                         "'isic4:C2610'::vic.industry", "'naics:334413'::vic.industry",
                         "'naics:33'::vic.industry", "'nace2:C26.11'::vic.industry", "'T9700'::vic.industry"],
        "integer": ["NULL::int", "(-2147483648)::int", "-1", "0", "1", "2", "3", "4", "5", "6", "7", "100",
                    "2147483647"],
        "bigint": ["NULL::bigint", "(-9223372036854775808)::bigint", "-1::bigint", "0::bigint", "1::bigint",
                   "2::bigint", "3::bigint", "9223372036854775807::bigint"],
        "double precision": ["NULL::float8", "'NaN'::float8", "'Infinity'::float8", "'-Infinity'::float8",
                             "'-0'::float8", "0::float8", "1e-300::float8", "4.9e-324::float8", "0.5::float8",
                             "0.85::float8", "1::float8", "1.0000001::float8", "2::float8", "1e300::float8",
                             "-1::float8"],
        "text": ["NULL::text", "''", "'industry'", "'region'", "'member'", "'members'", "'louvain'",
                 "'leiden'", "'LEIDEN'", "'en'", "'zh'", "'fr'", "'x'", "repeat('industry', 10000)",
                 "'industr\u00e9'"],
        "boolean": ["NULL::boolean", "true", "false"],
        "bigint[]": ["NULL::bigint[]", "'{}'::bigint[]", "'{NULL}'::bigint[]", "'{1}'::bigint[]",
                     "'{1,2}'::bigint[]", "'{1,2,3}'::bigint[]", "'{1,NULL,3}'::bigint[]",
                     "'{{1,2},{3,4}}'::bigint[]", "'{99,98}'::bigint[]", "'{1,1,1}'::bigint[]",
                     "'[5:6]={1,2}'::bigint[]",
                     "(SELECT array_agg(i) FROM generate_series(1, 50) i)",
                     "(SELECT array_agg(0) FROM generate_series(1, 50) i)",
                     "(SELECT array_agg(i % 3) FROM generate_series(1, 50) i)",
                     "(SELECT array_agg(-9223372036854775808) FROM generate_series(1, 5) i)"],
        "geography": ["NULL::geography", "'POINT(120 30)'::geography", "'POINT EMPTY'::geography",
                      "'LINESTRING(0 0,1 1)'::geography", "'SRID=4269;POINT(1 1)'::geography"],
    }


SETUP_SQL = r"""
DROP TABLE IF EXISTS fz_graph, fz_profile, fz_rows;
CREATE TABLE fz_graph (k int, g vic.graph);
SELECT setseed(0.42);
INSERT INTO fz_graph
SELECT 1, vic.graph_agg(s, d, w) FROM (SELECT (random() * 40)::bigint s, (random() * 40)::bigint d,
       random() w FROM generate_series(1, 120)) e;
INSERT INTO fz_graph
SELECT 2, vic.graph_agg(s, d) FROM (SELECT i s, i + 1 d FROM generate_series(1, 300) i
       UNION ALL SELECT i + 1, i FROM generate_series(1, 300) i) e;
INSERT INTO fz_graph   -- two cliques joined by a bridge, plus an isolated pair
SELECT 3, vic.graph_agg(a, b) FROM (SELECT a, b FROM generate_series(1, 6) a, generate_series(1, 6) b WHERE a <> b
       UNION ALL SELECT a + 10, b + 10 FROM generate_series(1, 6) a, generate_series(1, 6) b WHERE a <> b
       UNION ALL VALUES (1, 11), (11, 1), (100, 101)) e(a, b);
CREATE TABLE fz_rows (id bigint, ind vic.industry, region text, loc geography, w float8);
INSERT INTO fz_rows
SELECT i, (ARRAY['C1311','C1312','C2011','C3825','C26','A0111','C1711'])[1 + i % 7]::vic.industry,
       (ARRAY['r1','r2','r3',NULL,'\u00e9t\u00e9'])[1 + i % 5],
       CASE WHEN i % 3 = 0 THEN NULL ELSE ST_SetSRID(ST_MakePoint(100 + i % 17, 20 + i % 11), 4326)::geography END,
       (i % 13)::float8
FROM generate_series(1, 200) i;
CREATE TABLE fz_profile (k int, p vic.profile);
INSERT INTO fz_profile SELECT 1, vic.profile_agg(NULL::bigint, ind, region, w) FROM fz_rows;
INSERT INTO fz_profile SELECT 2, vic.profile_agg(id, ind, region, loc, w) FROM fz_rows;
INSERT INTO fz_profile SELECT 3, vic.profile_agg(id, ind, region, loc, w) FROM fz_rows WHERE id % 2 = 0;
INSERT INTO fz_profile SELECT 4, vic.profile_agg(1, 'C1311', 'r1', 'POINT(0 90)'::geography, 1);
INSERT INTO fz_profile SELECT 5, vic.profile_agg(1, 'C1311', NULL, 0);
INSERT INTO fz_profile SELECT 6, vic.profile_agg(id, ind, region, 0) FROM fz_rows;
INSERT INTO fz_profile SELECT 7, vic.profile_agg(id, 'isic4:C2610', region, loc, w) FROM fz_rows;
INSERT INTO fz_profile VALUES (9, '{"tally":true,"members":[[1,null,2,false],[2,null,1,false]],"cells":[],"location":[0,0,0,0]}');
INSERT INTO fz_profile VALUES (10, '{"tally":true,"members":[],"cells":[],"location":[0,0,0,0]}');
INSERT INTO fz_profile SELECT 8, vic.profile_agg(id, ind, 'r1', 'POINT(180 0)'::geography, 1e300) FROM fz_rows WHERE id < 5;
"""


def finite_floats(rows):
    """A metric never answers NaN or Infinity: it raises an error or returns NULL instead."""
    for r in rows or []:
        for v in r:
            if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
                return "non-finite float %r in row %r" % (v, r)
    return None


def call_family(h, per_function):
    rng = h.rng
    P = pools()
    # every other vic type: NULL and its committed fixtures (test/fixtures/formats)
    for t, (texts, _) in fixture_types().items():
        P.setdefault("vic." + t, ["NULL::vic.%s" % t] + ["'%s'::vic.%s" % (x.replace("'", "''"), t) for x in texts])
    funcs = h.conn.execute("""
        SELECT p.oid::regprocedure::text, p.proname, p.prokind, p.proretset,
               array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t),
               p.pronargs
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'vic' ORDER BY 1""").fetchall()
    for sig, name, kind, retset, argtypes, nargs in funcs:
        if any(t in ("cstring", "internal", "oid") for t in argtypes):
            continue
        if kind == "a":
            continue
        if any(t not in P for t in argtypes):
            print("# no pool for %s" % sig)
            continue
        combos = set()
        tries = 0
        while len(combos) < per_function and tries < per_function * 5:
            tries += 1
            combos.add(tuple(rng.choice(P[t]) for t in argtypes))
        for args in sorted(combos):
            sql = "SELECT * FROM vic.%s(%s) LIMIT 100000" % (name, ", ".join(args))
            # documented: an industry absent from ref has lq = Infinity (src/profile_metrics.c)
            h.run("call", sql, check=None if name == "location_quotients" else finite_floats)


def agg_family(h):
    cases = [
        # profile_agg: bad weights and locations
        "SELECT vic.profile_agg(1, 'C1311', 'A', %s, 1::float8)::text" % g for g in [
            "'LINESTRING(0 0, 1 1)'::geography", "'POLYGON((0 0,1 0,1 1,0 0))'::geography",
            "'POINT EMPTY'::geography", "'MULTIPOINT((1 1),(2 2))'::geography", "'MULTIPOINT EMPTY'::geography",
            "'SRID=4269;POINT(1 1)'::geography", "'GEOMETRYCOLLECTION(POINT(1 1))'::geography",
            "'GEOMETRYCOLLECTION EMPTY'::geography", "'POINT(180 90)'::geography", "'POINT(-180 -90)'::geography",
            "'POINT Z (1 1 1e300)'::geography", "'POINT M (1 1 NaN)'::geography",
            "ST_GeogFromText('POINT(1 1)')", "'SRID=4326;POINT ZM (1 2 3 4)'::geography",
            "'CIRCULARSTRING(0 0,1 1,2 0)'::geometry::geography",
        ]] + [
        "SELECT vic.profile_agg(1, 'C1311', 'A', 'POINT(1 1)'::geography, %s)::text" % w for w in [
            "'NaN'::float8", "'Infinity'::float8", "'-Infinity'::float8", "'-0'::float8", "-1e-300::float8",
            "1e308::float8", "NULL::float8", "4.9e-324::float8"]] + [
        "SELECT vic.profile_agg(id, ind, region, loc, w)::text FROM (VALUES (1::bigint, 'C1311'::vic.industry, 'r'::text, 'POINT(1 1)'::geography, 1e308::float8), (1, 'C1311', 'r', 'POINT(1 1)', 1e308)) v(id, ind, region, loc, w)",
        "SELECT vic.profile_agg(id, ind, region, w)::text FROM (VALUES (1::bigint, 'C1311'::vic.industry, repeat('x', 100000), 1::float8)) v(id, ind, region, w)",
        "SELECT vic.profile_agg(id, ind, region, w)::text FROM (VALUES (1::bigint, 'C1311'::vic.industry, '', 1::float8), (2, 'C1311', NULL, 1)) v(id, ind, region, w)",
        "SELECT vic.profile_agg(-9223372036854775808, 'C1311', 'a', 1) OPERATOR(vic.||) vic.profile_agg(9223372036854775807, 'C1311', 'a', 1)",
        "SELECT vic.merge_agg(p)::text FROM fz_profile",
        "SELECT vic.merge_agg(p)::text FROM (SELECT p FROM fz_profile UNION ALL SELECT NULL) s",
        "SELECT vic.multi_membership_share(p) FROM fz_profile",
        "SELECT vic.multi_membership_share(p) FROM (SELECT NULL::vic.profile p) s",
        "SELECT vic.multi_membership_share(p) FROM (SELECT p FROM fz_profile WHERE k = 1) s",
        "SELECT vic.multi_membership_share(p) FROM (SELECT vic.profile_merge_trans(p, p) p FROM fz_profile WHERE k = 2) s",
        "SELECT vic.multi_membership_final(p) FROM fz_profile",
        "SELECT vic.multi_membership_trans(p, p)::text FROM fz_profile",
        "SELECT vic.multi_membership_final(vic.multi_membership_trans(NULL, p)) FROM fz_profile",
        "SELECT vic.multi_membership_share(s.m) FROM (SELECT vic.multi_membership_trans(p, p) m FROM fz_profile) s",
        "SELECT vic.profile_merge_trans(p, vic.multi_membership_trans(NULL, p))::text FROM fz_profile",
        "SELECT vic.member_count(vic.multi_membership_trans(NULL, p)) FROM fz_profile",
        "SELECT vic.hhi(vic.multi_membership_trans(NULL, p)) FROM fz_profile",
        "SELECT vic.centroid(vic.multi_membership_trans(NULL, p)) FROM fz_profile",
        # graph aggregates
        "SELECT vic.graph_agg(s, d, w)::text FROM (VALUES (1::bigint, 2::bigint, 'NaN'::float8)) v(s, d, w)",
        "SELECT vic.graph_agg(s, d, w)::text FROM (VALUES (1::bigint, 2::bigint, -1::float8)) v(s, d, w)",
        "SELECT vic.graph_agg(s, d, w)::text FROM (VALUES (1::bigint, 2::bigint, 1e308::float8), (1, 2, 1e308)) v(s, d, w)",
        "SELECT vic.graph_agg(s, d, w)::text FROM (VALUES (1::bigint, 2::bigint, NULL::float8), (NULL, 2, 1), (1, NULL, 1)) v(s, d, w)",
        "SELECT vic.graph_agg(s, d)::text FROM (VALUES (NULL::bigint, NULL::bigint)) v(s, d)",
        "SELECT vic.merge_agg(g)::text FROM fz_graph",
        "SELECT vic.merge_agg(g)::text FROM (SELECT g FROM fz_graph UNION ALL SELECT NULL UNION ALL SELECT '{}') s",
        "SELECT ('{1->2:1e308}'::vic.graph OPERATOR(vic.||) '{1->2:1e308}'::vic.graph)::text",
        "SELECT vic.graph_agg_trans(NULL, 1, 2)::text",
        "SELECT vic.graph_agg_trans('{}', 1, 2, 1)::text",
        "SELECT vic.graph_merge_trans('{1->2}', '{2->3}')::text",
        "SELECT vic.graph_merge_trans(NULL, '{2->3}')::text",
        "SELECT vic.graph_merge_trans(g, g)::text FROM fz_graph",
        "SELECT vic.profile_agg_trans(NULL, 1, 'C1311', 'a', 1)::text",
        "SELECT vic.profile_agg_trans(p, 1, 'C1311', 'a', 1)::text FROM fz_profile",
        "SELECT vic.profile_agg_trans(p, 1, 'C1311', 'a', 'POINT(1 1)', 1)::text FROM fz_profile",
        "SELECT vic.profile_merge_trans(p, q)::text FROM fz_profile a(k, p), fz_profile b(j, q)",
        "SELECT vic.graph_agg(i, j)::text IS NOT NULL FROM generate_series(1, 3) i, generate_series(1, 3) j",
        # big but bounded
        "SELECT vic.node_count(vic.graph_agg(i, i + 1)) FROM generate_series(1, 200000) i",
        "SELECT vic.member_count(vic.profile_agg(i, 'C1311', (i % 1000)::text, 1)) FROM generate_series(1, 100000) i",
        # planner support and selectivity of @> / <@ over analysed columns and an index
        "DROP TABLE IF EXISTS fz_ind",
        "CREATE TABLE fz_ind AS SELECT ind AS c FROM fz_rows UNION ALL SELECT 'naics:334413'::vic.industry UNION ALL SELECT 'isic4:C2610' UNION ALL SELECT NULL",
        "ANALYZE fz_ind",
        "SELECT count(*) FROM fz_ind WHERE c OPERATOR(vic.<@) 'C13'",
        "SELECT count(*) FROM fz_ind WHERE c OPERATOR(vic.@>) 'C1311'",
        "SELECT count(*) FROM fz_ind WHERE 'naics:33' OPERATOR(vic.@>) c",
        "SELECT count(*) FROM fz_ind WHERE c OPERATOR(vic.<@) NULL::vic.industry",
        "SELECT count(*) FROM fz_ind a JOIN fz_ind b ON a.c OPERATOR(vic.<@) b.c",
        "CREATE INDEX ON fz_ind (c)",
        "SET enable_seqscan = off",
        "SELECT count(*) FROM fz_ind WHERE c OPERATOR(vic.<@) 'C'",
        "SELECT count(*) FROM fz_ind WHERE c OPERATOR(vic.@>) 'isic4:C2610'",
        "SELECT count(*) FROM fz_ind WHERE c OPERATOR(vic.<@) ANY (ARRAY['C13', NULL, 'naics:33']::vic.industry[])",
        "SELECT count(*) FROM fz_ind WHERE c OPERATOR(vic.@>) (SELECT vic.min(c) FROM fz_ind)",
        "RESET enable_seqscan",
        # parallel plans over the aggregates
        "SET max_parallel_workers_per_gather = 2",
        "SET parallel_setup_cost = 0",
        "SET parallel_tuple_cost = 0",
        "SET min_parallel_table_scan_size = 0",
        "SELECT vic.member_count(vic.profile_agg(id, ind, region, loc, w)) FROM fz_rows",
        "SELECT vic.node_count(vic.graph_agg(id, id % 7)) FROM fz_rows",
        "RESET ALL",
        "SET statement_timeout = %d" % STMT_TIMEOUT_MS,
    ]
    for sql in cases:
        h.run("agg", sql)
    # overflowing sums: every metric of the result must be finite, NULL or an error
    big = ["vic.profile_agg(1, 'C1311', 'a', 'POINT(1 1)', 1.7e308) OPERATOR(vic.||) vic.profile_agg(1, 'C1311', 'a', 'POINT(1 1)', 1.7e308)",
           "vic.profile_agg(1, 'C1311', 'a', 'POINT(1 1)', 1.7e308) OPERATOR(vic.||) vic.profile_agg(2, 'C1312', 'b', 'POINT(2 2)', 1.7e308)",
           "(SELECT vic.profile_agg(i, 'C1311', 'a', 'POINT(1 1)', 1.7e308) FROM generate_series(1, 3) i)",
           "(SELECT vic.profile_agg(i, (ARRAY['C1311', 'C2011'])[1 + i % 2]::vic.industry, (i % 2)::text, 1.7e308) FROM generate_series(1, 4) i)",
           "(SELECT vic.merge_agg(p) FROM (SELECT vic.profile_agg(i, 'C1311', 'a', 1e308) p FROM generate_series(1, 3) i GROUP BY i) s)"]
    metrics = ["vic.total_weight(%s)", "vic.hhi(%s)", "vic.entropy(%s)", "vic.gini(%s)", "vic.hhi(%s, 'region')",
               "vic.krugman_index(%s, %s)", "vic.hoover_index(%s, %s)", "vic.locational_gini(%s, %s)",
               "vic.standard_distance(%s)", "vic.related_variety(%s, 4, 2)", "vic.maurel_sedillot(%s, %s)",
               "(vic.ellison_glaeser(%s, %s)).gamma", "vic.jaccard(%s, %s)", "vic.turnover(%s, %s)",
               "vic.hachman_index(%s, %s)", "ST_X(vic.centroid(%s)::geometry)"]
    for b in big:
        for mtr in metrics:
            expr = mtr.replace("%s", b)
            h.run("agg", "SELECT " + expr, check=finite_floats)
        for srf in ["vic.industry_shares(%s)", "vic.region_shares(%s)", "vic.members(%s)",
                    "vic.shift_share(%s, %s, %s, %s)"]:
            h.run("agg", "SELECT * FROM " + srf.replace("%s", b), check=finite_floats)


def cancel_family(h):
    """Long runs on a large graph and profile must honour statement_timeout promptly."""
    h.conn.execute("SET statement_timeout = 0")
    h.conn.execute("DROP TABLE IF EXISTS fz_big")
    h.conn.execute("""CREATE TABLE fz_big AS
        SELECT vic.graph_agg(i, (i::bigint * 7919 + 13) % 200000, 1 + i % 5) AS g,
               vic.profile_agg(i, (ARRAY['C1311','C1312','C2011','C3825'])[1 + i % 4]::vic.industry,
                               (i % 997)::text, ST_SetSRID(ST_MakePoint(i % 360 - 180, i % 180 - 90), 4326)::geography,
                               1 + i % 3) AS p
        FROM generate_series(1, 400000) i""")
    calls = ["SELECT count(*) FROM vic.betweenness((SELECT g FROM fz_big))",
             "SELECT count(*) FROM vic.betweenness((SELECT g FROM fz_big), false, true, 1000)",
             "SELECT count(*) FROM vic.communities((SELECT g FROM fz_big), 'leiden')",
             "SELECT count(*) FROM vic.communities((SELECT g FROM fz_big), 'louvain', 1e-9)",
             "SELECT count(*) FROM vic.communities((SELECT g FROM fz_big), 'louvain', 1e9)",
             "SELECT count(*) FROM vic.pagerank((SELECT g FROM fz_big), 0.99, NULL, 1e-300, 2147483647)",
             "SELECT count(*) FROM vic.components((SELECT g FROM fz_big), true)",
             "SELECT count(*) FROM vic.burt_constraint((SELECT g FROM fz_big))",
             "SELECT count(*) FROM vic.core_numbers((SELECT g FROM fz_big))",
             "SELECT count(*) FROM vic.bridges((SELECT g FROM fz_big))",
             "SELECT count(*) FROM vic.articulation_points((SELECT g FROM fz_big))",
             "SELECT count(*) FROM vic.downstream((SELECT g FROM fz_big), 1)",
             "SELECT length(((SELECT g FROM fz_big) OPERATOR(vic.||) (SELECT g FROM fz_big))::text)",
             "SELECT vic.modularity(g, (SELECT array_agg(node) FROM vic.degrees(g)), (SELECT array_agg(node % 10) FROM vic.degrees(g))) FROM fz_big",
             "SELECT vic.locational_gini(p, p), vic.gini(p, 'region'), vic.standard_distance(p) FROM fz_big",
             "SELECT vic.coagglomeration(ARRAY[p, p, p, p], p) FROM fz_big",
             "SELECT vic.multi_membership_share(p) FROM (SELECT p FROM fz_big, generate_series(1, 20)) s",
             "SELECT length(p::text) FROM fz_big",
             "SELECT vic.jaccard(p, p), vic.turnover(p, p) FROM fz_big"]
    h.conn.execute("SET statement_timeout = 300")
    for sql in calls:
        t0 = time.time()
        _, state = h.run("cancel", sql)
        dt = time.time() - t0
        if dt > 3.0:
            h.record("cancel", False, sql, "statement_timeout of 0.3s honoured only after %.1fs" % dt)
    h.conn.execute("SET statement_timeout = %d" % STMT_TIMEOUT_MS)


def regress_family(h, path):
    if not os.path.exists(path):
        return
    sql = open(path).read()
    # cases are separated by lines "-- case: <description>"; each case is one statement and must
    # not fail with a bad SQLSTATE; "-- expect: <sqlstate or ok>" pins the outcome
    for block in re.split(r"^-- case: ", sql, flags=re.M)[1:]:
        desc, _, body = block.partition("\n")
        m = re.search(r"^-- expect: (\S+)", body, flags=re.M)
        expect = m.group(1) if m else None
        stmt = "\n".join(l for l in body.splitlines() if not l.startswith("--")).strip().rstrip(";")
        # "-- copy: TYPE HEX" loads a binary value of TYPE into table fz_copy(v) first (the recv
        # function runs there); the statement then reads fz_copy
        c = re.search(r"^-- copy: (\S+) ([0-9a-f]*)$", body, flags=re.M)
        if c:
            h.conn.execute("DROP TABLE IF EXISTS fz_copy")
            h.conn.execute("CREATE TABLE fz_copy (v %s)" % c.group(1))
            _, state = h.run("regress", "COPY fz_copy FROM STDIN (FORMAT binary)", desc="regress: " + desc + " (copy)",
                             copy_data=copy_payload(bytes.fromhex(c.group(2))))
            if state is not None:
                if expect is not None and state != expect:
                    h.record("regress", False, "regress: " + desc, "expected %s, got %s" % (expect, state))
                continue
        rows, state = h.run("regress", stmt, desc="regress: " + desc)
        if expect == "true" and state is None:
            state = None if rows and rows[0][0] is True else "false"
            expect = "ok"
        if expect is not None and (state or "ok") != expect:
            h.record("regress", False, "regress: " + desc, "expected %s, got %s" % (expect, state or "ok"))


def fixture_types():
    """{short type name: (texts, binary send forms)} of test/fixtures/formats/*.tsv"""
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "formats")
    out = {}
    for name in sorted(os.listdir(d)):
        if not name.endswith(".tsv"):
            continue
        texts, sends = [], []
        with open(os.path.join(d, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                _, text, _, send = line.rstrip("\n").split("\t")
                texts.append(text)
                sends.append(bytes.fromhex(send))
        out[name[:-4].replace("vic.", "")] = (texts, sends)
    return out


def merge_family(h, typ, seeds):
    """merges of valid, mutated-but-accepted and mismatched states: || and merge_agg never fail
    badly, and where they succeed they are commutative and associative to the byte"""
    if not h.conn.execute("SELECT 1 FROM pg_proc WHERE proname = 'merge_agg' AND pronamespace = 'vic'::regnamespace"
                          " AND proargtypes[0] = 'vic.%s'::regtype" % typ).fetchone():
        return
    h.conn.execute("CREATE TABLE IF NOT EXISTS fz_acc_%s (v vic.%s)" % (typ, typ))
    for t in seeds:
        h.conn.execute("INSERT INTO fz_acc_%s VALUES (%%s::text::vic.%s)" % (typ, typ), (t,))
    vals = [r[0] for r in h.conn.execute("SELECT v::text FROM fz_acc_%s" % typ)]
    rng = h.rng
    lit = "%%s::text::vic.%s" % typ
    for k in range(min(600, 20 * len(vals))):
        if h.past_deadline():
            break
        a, b, c = rng.choice(vals), rng.choice(vals), rng.choice(vals)
        h.run("merge", "SELECT (%s OPERATOR(vic.||) %s)::text, (%s OPERATOR(vic.||) %s)::text" % (lit, lit, lit, lit),
              (a, b, b, a), desc="%s: a || b = b || a" % typ,
              check=lambda r: None if r and r[0][0] == r[0][1] else "|| is not commutative to the byte")
        h.run("merge", "SELECT ((%s OPERATOR(vic.||) %s) OPERATOR(vic.||) %s)::text, (%s OPERATOR(vic.||) (%s OPERATOR(vic.||) %s))::text"
              % (lit, lit, lit, lit, lit, lit), (a, b, c, a, b, c), desc="%s: (a || b) || c = a || (b || c)" % typ,
              check=lambda r: None if r and r[0][0] == r[0][1] else "|| is not associative to the byte")
    h.run("merge", "SELECT vic.merge_agg(v)::text FROM fz_acc_%s" % typ, desc="%s: merge_agg of every kept state" % typ)
    h.run("merge", "SELECT vic.merge_agg(v ORDER BY v::text DESC)::text = (SELECT vic.merge_agg(v ORDER BY v::text)::text FROM fz_acc_%s) FROM fz_acc_%s" % (typ, typ),
          desc="%s: merge_agg independent of order" % typ,
          check=lambda r: None if r and r[0][0] in (True, None) else "merge_agg depends on the order of its input")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--text", type=int, default=1500, help="mutated texts per type")
    ap.add_argument("--binary", type=int, default=1500, help="mutated binary payloads per type")
    ap.add_argument("--calls", type=int, default=120, help="random argument lists per function")
    ap.add_argument("--only", default="", help="comma separated families")
    ap.add_argument("--seconds", type=float, default=0, help="stop the text, binary and merge loops after this long (0: no bound)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    h = Harness(a.seed, a.verbose, 0)
    only = set(a.only.split(",")) if a.only else None
    here = os.path.dirname(os.path.abspath(__file__))
    t0 = time.time()
    if a.seconds:
        h.deadline = t0 + a.seconds
    started = h.conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]
    fixtures = fixture_types()
    others = [t for t in sorted(fixtures) if t not in ("industry", "profile", "graph")]
    for stmt in SETUP_SQL.split(";\n"):
        if stmt.strip():
            h.conn.execute(stmt)
    if not only or "regress" in only:
        regress_family(h, os.path.join(here, "regress.sql"))
    if not only or "text" in only:
        text_family(h, "industry", INDUSTRY_SEEDS, a.text)
        text_family(h, "graph", GRAPH_SEEDS, a.text)
        seeds = PROFILE_SEEDS + [r[0] for r in h.conn.execute("SELECT p::text FROM fz_profile WHERE k IN (1, 4, 5, 8, 9) AND p IS NOT NULL")]
        seeds += [r[0] for r in h.conn.execute(
            "SELECT vic.profile_agg(id, ind, region, loc, w)::text FROM fz_rows WHERE id < 6")]
        text_family(h, "profile", seeds, a.text)
        for t in others:
            text_family(h, t, fixtures[t][0], a.text)
    if not only or "binary" in only:
        binary_family(h, "industry", ["'C1311'::vic.industry", "'naics:334413'::vic.industry"], a.binary // 4)
        binary_family(h, "graph", ["'{1->2:0.5,2->3,3->1:2}'::vic.graph", "'{}'::vic.graph", "'{5->5}'::vic.graph"],
                      a.binary)
        binary_family(h, "profile", ["(SELECT vic.profile_agg(id, ind, region, loc, w) FROM fz_rows WHERE id < 6)",
                                     "(SELECT p FROM fz_profile WHERE k = 1)",
                                     "(SELECT p FROM fz_profile WHERE k = 5)",
                                     "(SELECT p FROM fz_profile WHERE k = 8)",
                                     "(SELECT p FROM fz_profile WHERE k = 9)"],
                      a.binary)
        for t in others:
            binary_family(h, t, [], a.binary, raw_seeds=fixtures[t][1])
    if not only or "merge" in only:
        for t in ["graph", "profile"] + others:
            merge_family(h, t, fixtures.get(t, ([], []))[0])
    if not only or "call" in only:
        call_family(h, a.calls)
    if not only or "agg" in only:
        agg_family(h)
    if not only or "cancel" in only:
        cancel_family(h)
    print("# %.1fs; per family (passed/failed): %s" % (time.time() - t0,
          ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(h.counts.items()))))
    for fam, st in sorted(h.states.items()):
        print("# %s outcomes: %s" % (fam, ", ".join("%s %d" % kv for kv in sorted(st.items(), key=lambda kv: -kv[1]))))
    print("# cases per type: %s" % ", ".join("%s %d" % kv for kv in sorted(h.cases.items())))
    now = h.conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]
    h.record("postmaster", now == started, "the postmaster never restarted (started %s, now %s)" % (started, now))
    print("%d passed, %d failed" % (h.passed, h.failed))
    sys.exit(1 if h.failed else 0)


if __name__ == "__main__":
    main()
