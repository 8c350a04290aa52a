#!/usr/bin/python3
"""test/formats/formats.py: committed fixtures of every vic type's stored and binary forms.

Each fixture (test/fixtures/formats/<type>.tsv, one value per line) holds a value's text form, its
stored bytes (the varlena contents after the length word, whose first byte is the format version;
for the pass-by-value vic.industry, its 8-byte datum) and its binary send form, in hex.  The test:

  1. reads every fixture's stored bytes back (a binary-coercible cast from bytea, made only in this
     test's database) and its send bytes (COPY ... FROM STDIN (FORMAT binary), the path a client
     takes): both give the fixture's text;
  2. builds the value from its text with the current build: when the stored version is the
     fixture's, the stored and send bytes equal the fixture's bit for bit (so a format change
     without a version bump fails); when it is not, a fixture of the new version must exist;
  3. every base type of the extension has a fixture.

python3 test/formats/formats.py --write appends fixtures of the current build's versions for the
values in VALUES (after a deliberate version bump; the old lines stay, so old formats stay read).
Runs inside pg_virtualenv (PG* exported); prints TAP; exit status 0 iff every test passed.
"""
import os
import struct
import sys

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'fixtures', 'formats')
DB = 'vic_formats'

# SQL producing the values whose forms are fixed, per type (one value per row, column v)
VALUES = {
    'vic.industry': [
        "SELECT 'C3841'::vic.industry",
        "SELECT 'C'::vic.industry",
        "SELECT 'naics:334413'::vic.industry",
        "SELECT 'isic4:C2720'::vic.industry",
    ],
    'vic.profile': [
        # located and unlocated members, an unknown region, non-integer weights (exact-sum parts)
        """SELECT vic.profile_agg(id, code::vic.industry, region, location, w) FROM (VALUES
             (1, 'C3841', 'Ningde', ST_SetSRID(ST_MakePoint(119.52, 26.66), 4326)::geography, 120.5),
             (2, 'C3841', 'Ningde', ST_SetSRID(ST_MakePoint(119.55, 26.70), 4326)::geography, 0.1),
             (3, 'C3985', 'Shenzhen', ST_SetSRID(ST_MakePoint(114.06, 22.54), 4326)::geography, 1e16),
             (4, 'C2614', NULL, NULL, 3),
             (9, 'I6510', 'Hangzhou', ST_SetSRID(ST_MakePoint(120.15, 30.28), 4326)::geography, 1)
           ) AS t(id, code, region, location, w)""",
        "SELECT vic.profile_agg(7, 'C3841', 'Wuhan', 1.0)",
    ],
    'vic.iotable': [
        # flows with exact-sum parts, and accounts (total output, final demand, ...)
        """SELECT vic.iotable_agg(f, t, v) FROM (VALUES ('agri', 'agri', 150.0), ('agri', 'manu', 500.0),
             ('manu', 'agri', 200.0), ('manu', 'manu', 100.0), ('manu', 'manu', 0.1), ('manu', 'manu', 0.2)) AS x(f, t, v)""",
        """SELECT vic.iotable_accounts_agg(s, x, f, e, m, va) FROM (VALUES ('agri', 1000.0, 350.0, 0.0, 0.0, 650.0),
             ('manu', 2000.0, 1700.0, 10.0, 5.0, 1400.0)) AS v(s, x, f, e, m, va)""",
    ],
    'vic.points': [
        """SELECT vic.points_agg(id, location, w) FROM (VALUES
             (1, ST_SetSRID(ST_MakePoint(119.52, 26.66), 4326)::geography, 120.5),
             (2, ST_SetSRID(ST_MakePoint(114.06, 22.54), 4326)::geography, 0.1),
             (9, ST_SetSRID(ST_MakePoint(-180, 90), 4326)::geography, 1)) AS t(id, location, w)""",
        "SELECT vic.points_agg(id, ST_MakePoint(id * 1.5, -id)::geometry) FROM generate_series(1, 3) AS id",
    ],
    'vic.space': [
        """SELECT vic.space_agg(u, i::vic.industry, w) FROM (VALUES ('Ningde', 'C3841', 120.5), ('Ningde', 'C3841', 0.1),
             ('Shenzhen', 'C3985', 1e16), ('Shenzhen', 'I6510', 3), ('Hangzhou', 'C2720', 1)) AS t(u, i, w)""",
        "SELECT vic.space_agg(u, 'isic4:C2610'::vic.industry) FROM (VALUES ('a'), ('b'), ('a')) AS t(u)",
    ],
    'vic.links': [
        # geodesic lengths on the sphere, an intra-region link, exact-sum parts in the weights
        """SELECT vic.links_agg(s, d, a, b, w) FROM (VALUES
             ('Fujian', 'Guangdong', ST_SetSRID(ST_MakePoint(119.52, 26.66), 4326)::geography,
              ST_SetSRID(ST_MakePoint(114.06, 22.54), 4326)::geography, 0.1),
             ('Fujian', 'Guangdong', ST_SetSRID(ST_MakePoint(119.52, 26.66), 4326)::geography,
              ST_SetSRID(ST_MakePoint(114.06, 22.54), 4326)::geography, 0.2),
             ('Fujian', 'Fujian', ST_SetSRID(ST_MakePoint(119.52, 26.66), 4326)::geography,
              ST_SetSRID(ST_MakePoint(119.30, 26.08), 4326)::geography, 3)) AS t(s, d, a, b, w)""",
        "SELECT vic.links_agg(s, d, km, 1) FROM (VALUES ('A', 'B', 12.5), ('B', 'A', 0.0)) AS t(s, d, km)",
    ],
    'vic.graph': [
        """SELECT vic.graph_agg(s, d, w) FROM (VALUES (1, 2, 0.1), (1, 2, 0.2), (2, 3, 1e16), (3, 2, 1),
             (3, 1, 2.5), (40, 1, 1)) AS t(s, d, w)""",
        "SELECT vic.graph_agg(5, 6)",
    ],
}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, desc, diag=None):
        self.n += 1
        print(('ok %d - %s' if ok else 'not ok %d - %s') % (self.n, desc))
        if not ok:
            self.failed += 1
            if diag:
                for line in str(diag).splitlines()[:20]:
                    print('# ' + line)
        return ok


def connect(dbname):
    return psycopg.connect(dbname=dbname, autocommit=True)


def setup():
    with connect('postgres') as c:
        c.execute('DROP DATABASE IF EXISTS %s' % DB)
        c.execute('CREATE DATABASE %s' % DB)
    c = connect(DB)
    c.execute('CREATE EXTENSION postgis')
    c.execute('CREATE EXTENSION vic')
    return c


def base_types(c):
    return [r[0] for r in c.execute(
        """SELECT t.oid::regtype::text FROM pg_type t JOIN pg_depend d ON d.objid = t.oid
           AND d.classid = 'pg_type'::regclass AND d.deptype = 'e'
           JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'vic'
           WHERE t.typtype = 'b' AND t.typelem = 0 ORDER BY 1""")]


def raw_cast(c, typ):
    """binary-coercible casts between typ and its stored bytes (this database only): int8 for a
    pass-by-value type; for a varlena, a scratch type with bytea's I/O and typ's alignment"""
    byval, align = c.execute("SELECT typbyval, typalign FROM pg_type WHERE oid = %s::regtype", [typ]).fetchone()
    if byval:
        other = 'int8'
    else:
        other = 'raw_' + typ.replace('vic.', '')
        if not c.execute("SELECT 1 FROM pg_type WHERE typname = %s", [other]).fetchone():
            c.execute('CREATE TYPE %s' % other)
            c.execute("CREATE FUNCTION %s_in(cstring) RETURNS %s AS 'byteain' LANGUAGE internal IMMUTABLE STRICT" % (other, other))
            c.execute("CREATE FUNCTION %s_out(%s) RETURNS cstring AS 'byteaout' LANGUAGE internal IMMUTABLE STRICT" % (other, other))
            c.execute("CREATE TYPE %s (INPUT = %s_in, OUTPUT = %s_out, INTERNALLENGTH = VARIABLE, ALIGNMENT = %s, STORAGE = extended)"
                      % (other, other, other, {'c': 'char', 's': 'int2', 'i': 'int4', 'd': 'double'}[align]))
            c.execute('CREATE CAST (%s AS bytea) WITH INOUT' % other)
            c.execute('CREATE CAST (bytea AS %s) WITH INOUT' % other)
    for a, b in ((typ, other), (other, typ)):
        if not c.execute("SELECT 1 FROM pg_cast WHERE castsource = %s::regtype AND casttarget = %s::regtype",
                         [a, b]).fetchone():
            c.execute('CREATE CAST (%s AS %s) WITHOUT FUNCTION' % (a, b))
    return byval


def raw_name(typ):
    return 'raw_' + typ.replace('vic.', '')


def stored_hex(c, typ, value_sql, byval):
    if byval:
        v = c.execute('SELECT (v)::int8 FROM (%s) AS s(v)' % value_sql).fetchone()[0]
        return struct.pack('<q', v).hex()
    return bytes(c.execute('SELECT (v)::%s::bytea FROM (%s) AS s(v)' % (raw_name(typ), value_sql)).fetchone()[0]).hex()


def forms(c, typ, value_sql, byval):
    """(text, stored hex, send hex) of the value value_sql gives"""
    send = typ.replace('vic.', 'vic.') + '_send'
    text, sendb = c.execute('SELECT v::text, %s(v) FROM (%s) AS s(v)' % (send, value_sql)).fetchone()
    return text, stored_hex(c, typ, value_sql, byval), bytes(sendb).hex()


def version_of(stored, byval):
    return 'byval' if byval else int(stored[0:2], 16)


def copy_binary(c, typ, payload):
    """the value a client's COPY ... (FORMAT binary) of payload makes, as text"""
    c.execute('DROP TABLE IF EXISTS copy_in')
    c.execute('CREATE TEMP TABLE copy_in (v %s)' % typ)
    data = (b'PGCOPY\n\xff\r\n\x00' + struct.pack('!ii', 0, 0) + struct.pack('!h', 1)
            + struct.pack('!i', len(payload)) + payload + struct.pack('!h', -1))
    with c.cursor() as cur:
        with cur.copy('COPY copy_in FROM STDIN (FORMAT binary)') as cp:
            cp.write(data)
    return c.execute('SELECT v::text FROM copy_in').fetchone()[0]


def read_fixtures():
    out = []
    for name in sorted(os.listdir(FIXTURES)):
        if not name.endswith('.tsv'):
            continue
        typ = name[:-4]
        with open(os.path.join(FIXTURES, name), encoding='utf-8') as f:
            for lineno, line in enumerate(f, 1):
                if line.startswith('#') or not line.strip():
                    continue
                version, text, stored, send = line.rstrip('\n').split('\t')
                out.append((typ, lineno, version, text, stored, send))
    return out


def write(c):
    for typ, sqls in VALUES.items():
        byval = raw_cast(c, typ)
        path = os.path.join(FIXTURES, typ + '.tsv')
        have = set()
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                have = {line.rstrip('\n') for line in f}
        new = []
        for sql in sqls:
            text, stored, send = forms(c, typ, sql, byval)
            line = '\t'.join([str(version_of(stored, byval)), text, stored, send])
            if line not in have:
                new.append(line)
        with open(path, 'a', encoding='utf-8') as f:
            if not have:
                f.write('# %s: version<TAB>text<TAB>stored bytes (hex)<TAB>binary send form (hex); '
                        'written by test/formats/formats.py --write, never edited\n' % typ)
            for line in new:
                f.write(line + '\n')
        print('%s: %d new fixture lines' % (typ, len(new)))


def test(c):
    tap = Tap()
    fixtures = read_fixtures()
    byval = {}
    for typ in sorted({f[0] for f in fixtures}):
        byval[typ] = raw_cast(c, typ)
    versions = {}
    for typ, lineno, version, text, stored, send in fixtures:
        versions.setdefault(typ, set()).add(version)
        where = '%s.tsv line %d (version %s)' % (typ, lineno, version)
        try:
            if byval[typ]:
                got = c.execute('SELECT (%s::int8)::%s::text' % (struct.unpack('<q', bytes.fromhex(stored))[0], typ)).fetchone()[0]
            else:
                got = c.execute('SELECT (%%s::bytea)::%s::%s::text' % (raw_name(typ), typ), [bytes.fromhex(stored)]).fetchone()[0]
            tap.check(got == text, '%s: the stored bytes read back as the fixture\'s text' % where,
                      'got %s' % got)
        except psycopg.Error as e:
            tap.check(False, '%s: the stored bytes read back' % where, e)
        try:
            got = copy_binary(c, typ, bytes.fromhex(send))
            tap.check(got == text, '%s: the binary form (COPY FORMAT binary) reads back as the fixture\'s text' % where,
                      'got %s' % got)
        except psycopg.Error as e:
            tap.check(False, '%s: the binary form reads back' % where, e)
        try:
            lit = c.execute('SELECT quote_literal(%s)', [text]).fetchone()[0]
            t2, s2, b2 = forms(c, typ, 'SELECT %s::%s' % (lit, typ), byval[typ])
            cur_version = str(version_of(s2, byval[typ]))
            if cur_version == version:
                tap.check(s2 == stored and b2 == send and t2 == text,
                          '%s: the current build writes the same stored and binary bytes' % where,
                          'stored %s\nsend   %s' % (s2, b2))
            else:
                tap.check(any(f[0] == typ and f[2] == cur_version for f in fixtures),
                          '%s: an older format, still read; the current version %s has its own fixture' % (where, cur_version))
        except psycopg.Error as e:
            tap.check(False, '%s: the text form builds a value' % where, e)
    for typ in base_types(c):
        tap.check(typ in versions, 'type %s has committed format fixtures' % typ)
    print('1..%d' % tap.n)
    return tap.failed == 0


def main():
    c = setup()
    if '--write' in sys.argv:
        write(c)
        return 0
    return 0 if test(c) else 1


if __name__ == '__main__':
    sys.exit(main())
