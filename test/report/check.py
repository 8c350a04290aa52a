#!/usr/bin/python3
"""test/report/check.py: the report suite (called by test/report/run.sh inside make test's cluster).

Builds the demo report on a small sample economy (VIC_REPORT_FIRMS firms, default 5,000) in its own
database, then checks:
  - test/demo.sql runs and keeps its tables in vic_report; test/report/report.py writes report.html
    and the three GeoJSON files;
  - the GeoJSON files: RFC 7946 structure (FeatureCollection of Features, geometry types and
    positions, no "crs" member, closed counterclockwise polygon rings), coordinates in range and in
    lon/lat order, counts and coordinates equal to the database's (to 1e-9 degree: 9 decimals are
    written), each hull containing every current member of its cluster;
  - report.html: self-contained (no script, stylesheet, font or image from elsewhere), every table of
    vic_report in it with its rows, the hook points of the generator present;
  - headless Chromium: renders it with no console message, the screenshot is not blank, and every
    SVG of the rendered DOM has child shapes.  The three detectors are tried on a blank page, an
    empty SVG and a page with console errors, which they must flag.
Prints TAP; exit status 0 iff every test passed.
"""

import html.parser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
import struct

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
DB = 'vic_report_test'
FIRMS = int(os.environ.get('VIC_REPORT_FIRMS', '5000'))
EPS = 1e-9          # coordinates are written with 9 decimals: rounding is below 5e-10
# the sample's cities lie in lon 84..127, lat 18..48 (test/fixtures/sample.sql): a swapped pair
# (lat, lon) falls outside this box, whatever the firm
CHINA = (73.0, 136.0, 17.0, 54.0)

n = 0
failed = 0


def tap(ok, name, diag=None):
    """Prints one TAP line (and diagnostics as # lines)."""
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, name), flush=True)
    if not ok:
        failed += 1
        for line in str(diag or '').splitlines()[:20]:
            print('# ' + line)
    return ok


def run(cmd, **kw):
    """Runs a command, returns (status, stdout, stderr)."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------------------------------------
# chromium and the PNG
# ---------------------------------------------------------------------------------------------

def chromium(url, mode_args, work):
    """Runs headless Chromium on url with a fresh profile; returns (status, stdout, stderr)."""
    profile = tempfile.mkdtemp(dir=work, prefix='chromium-profile-')
    cmd = ['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--user-data-dir=' + profile, '--window-size=1400,2000', '--enable-logging=stderr', '--v=0'] + mode_args + [url]
    try:
        return run(cmd, timeout=180)
    except subprocess.TimeoutExpired:
        return 124, '', 'chromium timed out after 180 s'


def console_messages(stderr):
    """The console messages Chromium logged (the page has no script: any message is an error)."""
    return [l for l in stderr.splitlines() if ':CONSOLE' in l or 'Uncaught' in l or 'Failed to load resource' in l]


def png_pixels(path):
    """Decodes a PNG (8-bit RGB or RGBA, non-interlaced, as Chromium writes) with zlib: returns
    (width, height, rows of bytes, bytes per pixel).  PIL is not needed."""
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', chunk)
        elif kind == b'IDAT':
            idat += chunk
        pos += 12 + length
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError('unsupported PNG: depth %d colour type %d interlace %d' % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def blankness(path):
    """Share of the screenshot's pixels in its most common colour, and the number of colours (a
    sample of every 4th pixel of every 4th row)."""
    try:
        from PIL import Image  # python3-pil when installed: faster
        im = Image.open(path).convert('RGB')
        w, h = im.size
        px = im.load()
        sample = [px[x, y] for y in range(0, h, 4) for x in range(0, w, 4)]
    except ImportError:
        w, h, rows, bpp = png_pixels(path)
        sample = [rows[y][x * bpp:x * bpp + 3] for y in range(0, h, 4) for x in range(0, w, 4)]
    counts = {}
    for c in sample:
        counts[c] = counts.get(c, 0) + 1
    return max(counts.values()) / len(sample), len(counts)


class SvgShapes(html.parser.HTMLParser):
    """Counts, for every <svg> of a DOM dump, the shapes inside it."""
    SHAPES = {'path', 'rect', 'circle', 'line', 'polyline', 'polygon', 'ellipse'}

    def __init__(self):
        super().__init__()
        self.svgs = []   # [id, shapes]
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == 'svg':
            self.svgs.append([dict(attrs).get('id', '(no id)'), 0])
            self.depth += 1
        elif self.depth and tag in self.SHAPES:
            self.svgs[-1][1] += 1

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == 'svg':
            self.depth -= 1


def empty_svgs(dom):
    """The ids of the SVGs of a DOM dump that hold no shape, and the number of SVGs."""
    p = SvgShapes()
    p.feed(dom)
    return [i for i, k in p.svgs if k == 0], len(p.svgs)


def render(path, work, tag):
    """Renders a page: screenshot and DOM dump; returns (png path, dom, console messages, error)."""
    png = os.path.join(work, tag + '.png')
    st1, _, err1 = chromium('file://' + path, ['--screenshot=' + png], work)
    st2, dom, err2 = chromium('file://' + path, ['--dump-dom'], work)
    err = None
    if st1 != 0 or not os.path.exists(png):
        err = 'screenshot failed (%d): %s' % (st1, err1[-2000:])
    elif st2 != 0 or '<html' not in dom:
        err = 'dump-dom failed (%d): %s' % (st2, err2[-2000:])
    return png, dom, console_messages(err1) + console_messages(err2), err


# ---------------------------------------------------------------------------------------------
# GeoJSON
# ---------------------------------------------------------------------------------------------

def is_position(p):
    """An RFC 7946 position: two (or three) numbers, not booleans."""
    return isinstance(p, list) and len(p) in (2, 3) and all(isinstance(c, (int, float)) and not isinstance(c, bool)
                                                             for c in p)


def in_range(p):
    """Longitude, latitude within WGS84 ranges and within the sample's country (lon/lat order)."""
    return -180 <= p[0] <= 180 and -90 <= p[1] <= 90 and CHINA[0] <= p[0] <= CHINA[1] and CHINA[2] <= p[1] <= CHINA[3]


def ring_area(ring):
    """Signed (shoelace) area of a ring in degrees^2: > 0 counterclockwise."""
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2


def structure_errors(fc, geom_type, npos=None):
    """RFC 7946 structure errors of a FeatureCollection of one geometry type (at most 5)."""
    errs = []
    if not isinstance(fc, dict) or fc.get('type') != 'FeatureCollection' or not isinstance(fc.get('features'), list):
        return ['not a FeatureCollection with a features array']
    if 'crs' in fc:
        errs.append('a "crs" member (RFC 7946 section 4 removed it)')
    for i, f in enumerate(fc['features']):
        if len(errs) >= 5:
            break
        if not isinstance(f, dict) or f.get('type') != 'Feature':
            errs.append('feature %d is not a Feature' % i)
            continue
        g, props = f.get('geometry'), f.get('properties')
        if not isinstance(props, dict):
            errs.append('feature %d has no properties object' % i)
        if 'crs' in f or (isinstance(g, dict) and 'crs' in g):
            errs.append('feature %d has a "crs" member' % i)
        if not isinstance(g, dict) or g.get('type') != geom_type:
            errs.append('feature %d: geometry is not a %s: %r' % (i, geom_type, g and g.get('type')))
            continue
        c = g.get('coordinates')
        if geom_type == 'Point':
            pts = [c] if is_position(c) else None
        elif geom_type == 'LineString':
            pts = c if isinstance(c, list) and len(c) >= 2 and all(is_position(p) for p in c) else None
            if pts is not None and npos and len(pts) != npos:
                errs.append('feature %d: %d positions, not %d' % (i, len(pts), npos))
        else:
            ok = isinstance(c, list) and len(c) >= 1 and all(
                isinstance(r, list) and len(r) >= 4 and all(is_position(p) for p in r) and r[0] == r[-1] for r in c)
            pts = [p for r in c for p in r] if ok else None
            if ok and ring_area(c[0]) <= 0:
                errs.append('feature %d: exterior ring not counterclockwise (RFC 7946 section 3.1.6)' % i)
        if pts is None:
            errs.append('feature %d: malformed %s coordinates' % (i, geom_type))
        elif not all(in_range(p) for p in pts):
            errs.append('feature %d: a position out of range or not lon/lat: %r' % (i, pts[:2]))
    return errs


def convex_contains(ring, p, eps=2e-9):
    """Is p inside the counterclockwise convex ring, or within eps degree of it (the vertices are
    rounded to 9 decimals)?  The signed distance to each edge's line must be >= -eps."""
    for i in range(len(ring) - 1):
        (x1, y1), (x2, y2) = ring[i][:2], ring[i + 1][:2]
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        if length > 0 and ((x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1)) / length < -eps:
            return False
    return True


# ---------------------------------------------------------------------------------------------

def main():
    work = tempfile.mkdtemp(prefix='vic-report-test-')
    os.chmod(work, 0o755)
    # the screenshot outlives the suite (make test removes its log folder)
    keep = os.environ.get('VIC_REPORT_KEEP') or tempfile.gettempdir()
    out = os.path.join(work, 'out')
    try:
        return suite(work, out, keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def suite(work, out, keep):
    env = dict(os.environ, PGDATABASE=DB)
    with psycopg.connect(dbname='postgres', autocommit=True) as c:
        c.execute('DROP DATABASE IF EXISTS ' + DB)
        c.execute('CREATE DATABASE ' + DB)
    psql = ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1']
    st, o, e = run(psql + ['-c', 'CREATE EXTENSION postgis', '-c', 'CREATE EXTENSION vic',
                           '-c', 'SET client_min_messages = warning', '-f', os.path.join(TOP, 'test/fixtures/sample.sql'),
                           '-c', 'SELECT count(*) FROM vic_sample.generate(%d)' % FIRMS], env=env)
    if not tap(st == 0, 'the sample economy of %d firms loads' % FIRMS, e):
        return finish()

    # 1. the demo's analysis and the generator
    st, o, e = run(psql + ['-f', os.path.join(TOP, 'test/demo.sql')], env=env, cwd=TOP)
    sections = [s for s in range(6) if re.search(r'^--- %d\. ' % s, o, re.M)]
    tap(st == 0 and sections == list(range(6)) and 'skipped' not in o,
        'test/demo.sql runs on the small sample and prints its six sections (found %s)' % sections, e[-2000:])
    progress = re.findall(r'^  \.\.\. .*$', o, re.M)
    tap(len(progress) >= 5, 'test/demo.sql prints a progress line before each slow step (%d)' % len(progress))

    db = psycopg.connect(dbname=DB, autocommit=True)
    db.execute('SET search_path = public, vic')
    toc = db.execute("SELECT name, title FROM vic_report.toc WHERE kind = 'table' ORDER BY ord").fetchall()
    missing = [t for t, _ in toc if not db.execute('SELECT to_regclass(%s) IS NOT NULL', ['vic_report.' + t]).fetchone()[0]]
    tap(len(toc) >= 20 and not missing, 'vic_report.toc lists the %d tables of the text report, all kept' % len(toc),
        'missing: %s' % missing)

    st, o, e = run(['/usr/bin/python3', os.path.join(HERE, 'report.py'), '--out', out], env=env)
    files = ['report.html', 'firms.geojson', 'links.geojson', 'hulls.geojson']
    have = [f for f in files if os.path.isfile(os.path.join(out, f))]
    m = re.search(r'^report: (.*)$', o, re.M)
    tap(st == 0 and have == files and m and os.path.samefile(m.group(1), os.path.join(out, 'report.html')),
        'report.py writes report.html and the three GeoJSON files and prints the path of the report',
        (o + e)[-2000:])
    steps = re.findall(r'^  \.\.\. report: .*\(\d+\.\d s\)$', o, re.M)
    tap(len(steps) >= 5, 'report.py prints a timed progress line for each step (%d)' % len(steps), o)
    if have != files:
        return finish()

    # 2. GeoJSON
    def load(name):
        try:
            with open(os.path.join(out, name), encoding='utf-8') as f:
                return json.load(f)
        except ValueError as ex:
            return ex
    firms, links, hulls = load('firms.geojson'), load('links.geojson'), load('hulls.geojson')
    for name, fc, gt, npos in (('firms', firms, 'Point', None), ('links', links, 'LineString', 2),
                               ('hulls', hulls, 'Polygon', None)):
        errs = [str(fc)] if isinstance(fc, Exception) else structure_errors(fc, gt, npos)
        tap(not errs, '%s.geojson: an RFC 7946 FeatureCollection of %s features, positions in range and in lon/lat order'
            % (name, gt), '\n'.join(errs))
    if any(isinstance(x, Exception) for x in (firms, links, hulls)):
        return finish()

    pos = {r[0]: (r[1], r[2]) for r in db.execute(
        'SELECT firm_id, ST_X(location::geometry), ST_Y(location::geometry) FROM vic_sample.firm')}
    cl = dict(db.execute('SELECT firm_id, min(cluster_id) FROM vic_sample.membership WHERE left_on IS NULL GROUP BY firm_id'))
    ind = dict(db.execute('SELECT firm_id, industry_code FROM vic_sample.firm'))
    feats = firms['features']
    ids = [f['properties'].get('firm_id') for f in feats]
    tap(len(feats) == len(pos) and set(ids) == set(pos),
        'firms.geojson holds every firm once (%d features, %d firms in the database)' % (len(feats), len(pos)))
    bad = [f['properties'].get('firm_id') for f in feats
           if f['properties'].get('firm_id') not in pos
           or max(abs(a - b) for a, b in zip(f['geometry']['coordinates'], pos[f['properties']['firm_id']])) > EPS]
    tap(not bad, 'every firm point equals the database location (lon = ST_X, lat = ST_Y, to 1e-9 degree)',
        'differing: %s' % bad[:10])
    bad = [f['properties']['firm_id'] for f in feats if f['properties'].get('firm_id') in pos and
           (f['properties'].get('cluster') != cl.get(f['properties']['firm_id'])
            or f['properties'].get('industry') != ind[f['properties']['firm_id']])]
    tap(not bad and sum(1 for f in feats if f['properties'].get('cluster') is not None) == len(cl),
        'every firm carries its cluster (lowest current membership, %d firms in one) and industry' % len(cl),
        'differing: %s' % bad[:10])

    dbl = {}
    for s, d, k in db.execute('SELECT src, dst, kind FROM vic_sample.link'):
        dbl[(s, d, k)] = dbl.get((s, d, k), 0) + 1
    gl, bad = {}, []
    for f in links['features']:
        p = f['properties']
        key = (p.get('src'), p.get('dst'), p.get('kind'))
        gl[key] = gl.get(key, 0) + 1
        c = f['geometry']['coordinates']
        if key[0] not in pos or key[1] not in pos or max(
                abs(c[0][0] - pos[key[0]][0]), abs(c[0][1] - pos[key[0]][1]),
                abs(c[1][0] - pos[key[1]][0]), abs(c[1][1] - pos[key[1]][1])) > EPS:
            bad.append(key)
    tap(gl == dbl, 'links.geojson holds every link of the database once (%d features, %d links)'
        % (len(links['features']), sum(dbl.values())))
    tap(not bad, 'every link runs from its source firm to its destination firm (database coordinates, 1e-9 degree)',
        'differing: %s' % bad[:10])

    members = {}
    for cid, fid in db.execute('SELECT cluster_id, firm_id FROM vic_sample.membership WHERE left_on IS NULL'):
        members.setdefault(cid, []).append(fid)
    hf = {f['properties'].get('cluster'): f for f in hulls['features']}
    tap(sorted(hf) == sorted(members) and len(hf) == len(hulls['features']),
        'hulls.geojson holds one polygon per cluster with current members (%d)' % len(members))
    bad = []
    for cid, fids in members.items():
        f = hf.get(cid)
        if f is None:
            continue
        ring = f['geometry']['coordinates'][0]
        outside = [x for x in fids if not convex_contains(ring, pos[x])]
        verts = set(map(tuple, ring))
        # a vertex of the convex hull is a member's location (PostGIS keeps input points)
        foreign = [v for v in verts if not any(abs(v[0] - pos[x][0]) <= EPS and abs(v[1] - pos[x][1]) <= EPS for x in fids)]
        if outside or foreign or f['properties'].get('members') != len(fids):
            bad.append((cid, len(outside), len(foreign), f['properties'].get('members'), len(fids)))
    tap(not bad, 'each hull is convex, contains every current member of its cluster and has members as vertices',
        'cluster, members outside, foreign vertices, members property, members: %s' % bad)

    # 3. the page itself
    page = open(os.path.join(out, 'report.html'), encoding='utf-8').read()
    ext = re.findall(r'<script|<link\b|<img\b|<iframe|@import|url\(|@font-face|(?:src|href)\s*=', page, re.I)
    urls = set(re.findall(r'(?:https?|ftp)://[^\s"\'<>)]+', page)) - {'http://www.w3.org/2000/svg'}
    tap(not ext and not urls, 'report.html is self-contained: no script, stylesheet, font, image or link to fetch',
        'found: %s %s' % (ext[:5], sorted(urls)[:5]))
    ids = set(re.findall(r'<svg id="([^"]+)"', page))
    need = {'map', 'link-lengths'}
    metrics = [i for i in ids if i.startswith('metric-')]
    tap(need <= ids and len(metrics) >= 8,
        'report.html has the SVG map, the link-length chart and a chart per cluster metric (%d)' % len(metrics),
        'svgs: %s' % sorted(ids))
    bad = []
    for t, _ in toc:
        m = re.search(r'<table id="t-%s">(.*?)</table>' % re.escape(t), page, re.S)
        rows = db.execute('SELECT count(*) FROM vic_report.%s' % t).fetchone()[0]
        if not m or m.group(1).count('<tr>') != rows + 1:
            bad.append((t, rows, m and m.group(1).count('<tr>') - 1))
    tap(not bad, 'every table of the text report is in report.html with all its rows (%d tables)' % len(toc),
        'table, rows, rows in the page: %s' % bad)
    n_map = len(re.findall(r'h0', page.split('<svg id="map"')[1].split('</svg>')[0]))
    tap(n_map == len(pos), 'the map draws every firm (%d dots)' % n_map)
    spec = importlib.util.spec_from_file_location('report', os.path.join(HERE, 'report.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    hooks = ['section_traits', 'section_kd', 'section_gravity', 'section_io_key_sectors']
    tap(all(callable(getattr(mod, h, None)) for h in hooks), 'the generator has its hook points: ' + ', '.join(hooks))

    # 4. headless Chromium: the detectors first, on pages they must flag
    if shutil.which('chromium') is None:
        tap(False, 'chromium is installed (test/report/run.sh installs it)')
        return finish()
    bad_pages = {
        'blank': '<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>',
        'empty-svg': '<!DOCTYPE html><html><head><meta charset="utf-8"><title>e</title></head><body><h1>Title</h1>'
                     '<p>text and more text</p><svg id="empty" width="300" height="200"><g></g></svg></body></html>',
        'console': '<!DOCTYPE html><html><head><meta charset="utf-8"><title>c</title></head><body><p>x</p>'
                   '<script>console.error("vic report test: a console error"); undefined_function();</script></body></html>',
    }
    verdict = {}
    for tag, text in bad_pages.items():
        path = os.path.join(work, tag + '.html')
        with open(path, 'w') as f:
            f.write(text)
        png, dom, msgs, err = render(path, work, tag)
        share = blankness(png)[0] if not err else None
        empty = empty_svgs(dom)[0] if not err else None
        verdict[tag] = (err, share, empty, msgs)
    v = verdict['blank']
    tap(v[0] is None and v[1] > 0.995, 'the blank-page detector flags a blank page (one colour: %s of the pixels)'
        % (v[1] and '%.4f' % v[1]), v[0])
    v = verdict['empty-svg']
    tap(v[0] is None and v[2] == ['empty'], 'the empty-SVG detector flags an SVG without shapes', v)
    v = verdict['console']
    tap(v[0] is None and len(v[3]) >= 2, 'the console detector catches console.error and an uncaught exception (%d)'
        % len(v[3]), v)

    path = os.path.join(out, 'report.html')
    png, dom, msgs, err = render(path, work, 'report')
    tap(err is None, 'headless Chromium renders report.html (screenshot and DOM dump)', err)
    if err is None:
        shot = os.path.join(keep, 'vic-report-screenshot-%s.png' % os.environ.get('PGPORT', 'x'))
        shutil.copy(png, shot)
        print('# screenshot of report.html: %s' % shot)
        share, ncol = blankness(png)
        tap(share < 0.9 and ncol > 50, 'the screenshot is not blank (most common colour %.1f %% of the pixels, %d colours)'
            % (100 * share, ncol))
        empty, nsvg = empty_svgs(dom)
        tap(not empty and nsvg >= 10, 'every SVG of the rendered page has shapes (%d SVGs)' % nsvg, 'empty: %s' % empty)
        tap(not msgs, 'the console shows no error or message', '\n'.join(msgs))
        tap('Tables of the text report' in dom and dom.count('<table') == len(toc),
            'the rendered DOM holds the %d tables' % len(toc))
    db.close()
    return finish()


def finish():
    print('1..%d' % n)
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
