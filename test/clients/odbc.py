#!/usr/bin/python3
"""test/clients/odbc.py: vic through ODBC: unixODBC with psqlODBC (Debian's odbc-postgresql, the
driver Excel, Power BI and Tableau use), driven by python3-pyodbc.  Prints TAP lines "ok - ..." /
"not ok - ..." (run.sh numbers them).

Usage: odbc.py WORKDIR QUERIES_FILE REFERENCE_FILE
Writes WORKDIR/odbcinst.ini (the Unicode driver psqlodbcw.so) and WORKDIR/odbc.ini (a DSN "vic"
for PGHOST/PGPORT/PGDATABASE), points ODBCSYSINI and ODBCINI at them, and compares every value of
every query of QUERIES_FILE with the server's text in REFERENCE_FILE (written by clients.py).
"""
import math
import os
import subprocess
import sys

results = []


def tap(ok, desc, diag=None):
    """prints one TAP line (and diagnostics on failure)"""
    results.append(bool(ok))
    print(("ok - " if ok else "not ok - ") + desc)
    if not ok and diag is not None:
        for line in str(diag).splitlines()[:10]:
            print("# " + line)
    sys.stdout.flush()


def find_driver():
    """the psqlODBC Unicode driver installed by odbc-postgresql"""
    for d in ("/usr/lib/x86_64-linux-gnu/odbc", "/usr/lib/aarch64-linux-gnu/odbc", "/usr/lib/odbc"):
        p = os.path.join(d, "psqlodbcw.so")
        if os.path.exists(p):
            return p
    out = subprocess.run(["dpkg", "-L", "odbc-postgresql"], capture_output=True, text=True).stdout
    return next((l for l in out.splitlines() if l.endswith("/psqlodbcw.so")), None)


# the DSN options: BoolsAsChar=0 returns booleans as SQL_BIT; UnknownsAsLongVarchar=1 and
# TextAsLongVarchar=1 hand vic's types, json and text over as SQL_LONGVARCHAR, read in full by
# SQLGetData whatever their length (the default 255-character varchar would cut a profile's text);
# UseDeclareFetch=0 reads results whole
DSN_OPTIONS = {
    "BoolsAsChar": "0",
    "UnknownsAsLongVarchar": "1",
    "TextAsLongVarchar": "1",
    "MaxLongVarcharSize": "1073741823",
    "UseDeclareFetch": "0",
    "SSLMode": "disable",
}


def read_reference(path):
    """{name: (columns, server type names, rows of text or None)} from clients.py's file"""
    refs = {}
    cur = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            tag, rest = fields[0], fields[1:]
            if tag == "Q":
                cur = refs[rest[0]] = ([], [], [])
            elif tag == "C":
                cur[0].extend(rest)
            elif tag == "T":
                cur[1].extend(rest)
            elif tag == "R":
                cur[2].append([None if v == "\\N" else v for v in rest])
    return refs


def same(value, server_type, text):
    """does a pyodbc value equal the server's text of a field of server_type?"""
    if text is None:
        return value is None
    if value is None:
        return False
    if server_type in ("bigint", "integer", "smallint"):
        return isinstance(value, int) and value == int(text)
    if server_type == "double precision":
        want = float(text)
        return isinstance(value, float) and (value == want or (math.isnan(value) and math.isnan(want)))
    if server_type == "boolean":
        return isinstance(value, bool) and value == (text == "t")
    return isinstance(value, str) and value == text     # text, json, jsonb and every vic type


def main():
    work, queries_file, ref_file = sys.argv[1:4]
    driver = find_driver()
    tap(driver is not None, f"psqlODBC Unicode driver found: {driver}")
    if driver is None:
        return 1
    with open(os.path.join(work, "odbcinst.ini"), "w") as f:
        f.write(f"[PostgreSQL Unicode]\nDescription=psqlODBC (odbc-postgresql)\nDriver={driver}\n")
    host = os.environ.get("PGHOST", "localhost")
    with open(os.path.join(work, "odbc.ini"), "w") as f:
        f.write("[vic]\nDriver=PostgreSQL Unicode\n"
                f"Servername={host}\nPort={os.environ.get('PGPORT', '5432')}\n"
                f"Database={os.environ['PGDATABASE']}\nUsername={os.environ.get('PGUSER', 'postgres')}\n")
        for k, v in DSN_OPTIONS.items():
            f.write(f"{k}={v}\n")
    os.environ["ODBCSYSINI"] = work
    os.environ["ODBCINI"] = os.path.join(work, "odbc.ini")
    import pyodbc                   # after ODBCSYSINI/ODBCINI: unixODBC reads them on first use

    # the password goes in the connection string, never in a file
    conn = pyodbc.connect("DSN=vic;Pwd=" + os.environ.get("PGPASSWORD", ""), autocommit=True)
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchone()[0]
    tap(pid > 0, f"pyodbc connects through the DSN vic (driver {conn.getinfo(pyodbc.SQL_DRIVER_NAME)} "
        f"{conn.getinfo(pyodbc.SQL_DRIVER_VER)})")

    def alive():
        """the same backend still answers"""
        try:
            cur.execute("SELECT pg_backend_pid()")
            return cur.fetchone()[0] == pid
        except pyodbc.Error:
            return False

    # every base type of schema vic, with its format fixtures' values (loaded by clients.py)
    cur.execute("""SELECT n.nspname || '.' || t.typname FROM pg_type t
                   JOIN pg_namespace n ON n.oid = t.typnamespace
                   WHERE n.nspname = 'vic' AND t.typtype = 'b' AND t.typelem = 0 ORDER BY 1""")
    types = [r[0] for r in cur.fetchall()]
    for t in types:
        cur.execute(f"SELECT txt::{t}, (txt::{t})::text FROM fixture_values WHERE typname = ? ORDER BY id", t)
        rows = cur.fetchall()
        tap(len(rows) > 0 and all(isinstance(a, str) and a == b for a, b in rows)
            and cur.description[0][1] is str,
            f"{t}: ODBC returns the server's text as a Python str ({len(rows)} fixture values)",
            [(a, b) for a, b in rows if a != b][:2])
        # UnknownsAsLongVarchar=1: described as long varchar, not the default VARCHAR(255)
        tap(cur.description[0][3] >= 1 << 20,
            f"{t}: described with the DSN's long varchar size ({cur.description[0][3]}), not 255", cur.description)

    # every reference query
    refs = read_reference(ref_file)
    with open(queries_file, encoding="utf-8") as f:
        queries = [l.rstrip("\n").split("\t", 1) for l in f if not l.startswith("#") and "\t" in l]
    for name, sql in queries:
        cols, stypes, want = refs[name]
        cur.execute(sql)
        got = cur.fetchall()
        names = [d[0] for d in cur.description]
        why = None
        if names != cols:
            why = f"columns {names} <> {cols}"
        elif len(got) != len(want):
            why = f"{len(got)} rows <> {len(want)}"
        else:
            for i, (g, w) in enumerate(zip(got, want)):
                bad = [c for c in range(len(cols)) if not same(g[c], stypes[c], w[c])]
                if bad:
                    c = bad[0]
                    why = f"row {i + 1} column {cols[c]} ({stypes[c]}): {g[c]!r} <> {w[c]!r}"
                    break
        tap(why is None, f"{name}: ODBC gives the server's values ({len(want)} rows; {', '.join(cols)})", why)

    # parameters through ODBC (SQLBindParameter): text of a profile, NULL, bad values
    cur.execute("SELECT p::text FROM profiles WHERE name = 'hand0'")
    hand0 = cur.fetchone()[0]
    cur.execute("SELECT vic.hhi(?::vic.profile)", hand0)
    # hand0 = C3841 weight 3, C3985 weight 1: (3/4)^2 + (1/4)^2 = 0.625 (hand computation)
    tap(cur.fetchone()[0] == 0.625, "parameter: vic.hhi(?::vic.profile) of hand0 = 0.625")
    cur.execute("SELECT vic.hhi(?::vic.profile)", None)
    tap(cur.fetchone()[0] is None, "NULL parameter: vic.hhi(NULL) is NULL")
    bad = [
        ("malformed industry", "SELECT ?::vic.industry", ["X99999"], "22P02"),
        ("unknown by", "SELECT vic.hhi(?::vic.profile, ?)", [hand0, "bogus"], "22023"),
        ("an integer where a profile is expected", "SELECT vic.hhi(?::integer)", [42], "42883"),
        ("damping NULL", "SELECT * FROM vic.pagerank((SELECT g FROM graphs WHERE name = 'hand'), ?::float8)",
         [None], "22023"),
    ]
    for label, sql, params, state in bad:
        got = None
        try:
            cur.execute(sql, *params)
            cur.fetchall()
        except pyodbc.Error as e:
            got = e.args[0]         # psqlODBC passes the server's SQLSTATE on as the ODBC state
        tap(got == state and alive(), f"{label}: SQLSTATE {state} through ODBC, the connection still answers", got)
    conn.close()

    # isql, the unixODBC command line client, on the same DSN
    env = dict(os.environ)
    p = subprocess.run(["isql", "-b", "-d|", "vic", os.environ.get("PGUSER", "postgres"),
                        os.environ.get("PGPASSWORD", "")],
                       input="SELECT vic.hhi(p), vic.member_count(p) FROM profiles WHERE name = 'hand0'\n",
                       capture_output=True, text=True, env=env, timeout=60)
    lines = [l for l in p.stdout.splitlines() if l.strip()]
    tap(p.returncode == 0 and "0.625|3" in [l.strip() for l in lines],
        "isql on the DSN: vic.hhi and member_count of hand0 are 0.625 and 3", p.stdout + p.stderr)
    return 0 if all(results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:          # a crash of the script is a failure, never a silent pass
        tap(False, "odbc.py ran to the end", repr(e))
        import traceback
        traceback.print_exc()
        sys.exit(1)
