#!/usr/bin/python3
"""test/report/report.py: writes the make demo report of the sample economy.

Reads the database that test/demo.sql has just analysed (the sample economy in schema vic_sample and
the report tables that demo.sql keeps in schema vic_report) and writes into one folder:

  report.html     one self-contained page (no network, no script, no external CSS or fonts): an SVG
                  map of firms and links coloured by cluster, the link-length distribution, a chart
                  per membership metric of every cluster and the tables of the text report
  firms.geojson   firms (Points with cluster and industry properties)
  links.geojson   supply and cooperation links (LineStrings from supplier to buyer)
  hulls.geojson   one Polygon per cluster: PostGIS ST_ConvexHull of its current members

The GeoJSON files are RFC 7946 FeatureCollections in WGS84, lon/lat order, written feature by
feature by PostGIS ST_AsGeoJSON (geometry 4326), so QGIS, kepler.gl and Superset open them directly.

Usage: report.py [--out DIR]  (connection from the PG* environment variables; default DIR
./vic-report).  Prints a progress line for every step with its time.

Sections that other families add later have their hook here: section_traits, section_kd,
section_gravity and section_io_key_sectors (each returns the HTML of its section, or None while the
family's functions are not part of this report).
"""

import argparse
import html
import math
import os
import sys
import time

import psycopg

# one colour per cluster, cycled beyond 13 (Tableau 20 and ColorBrewer Dark2 hues)
PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2',
           '#17becf', '#bcbd22', '#393b79', '#e6550d', '#31a354', '#756bb1', '#637939',
           '#843c39', '#7b4173', '#3182bd', '#a55194']
BACKGROUND = '#b8b8b8'

# the map frame (degrees) and the equirectangular projection at its middle latitude
LON0, LON1, LAT0, LAT1 = 73.0, 135.5, 17.5, 54.0
MAP_W = 1000.0
KX = MAP_W / (LON1 - LON0)
KY = KX / math.cos(math.radians((LAT0 + LAT1) / 2))
MAP_H = (LAT1 - LAT0) * KY

# link-length bins (km), log-spaced: the distances of the sample run from a few km (same city) to
# about 3,500 km (Harbin - Kashgar)
LENGTH_BINS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]

# links drawn on the map: the strongest of each cluster (both ends current members)
MAP_LINKS_PER_CLUSTER = 200


def progress(msg):
    """Prints a progress line at once (the demo shows them as they come)."""
    print('  ... ' + msg, flush=True)


class Step:
    """Times a step and prints its progress line with the time it took."""

    def __init__(self, msg):
        self.msg = msg

    def __enter__(self):
        self.t0 = time.monotonic()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            progress('%s (%.1f s)' % (self.msg, time.monotonic() - self.t0))


def esc(x):
    """HTML-escapes a value for text or an attribute."""
    return html.escape(str(x), quote=True)


def colour(cluster_id):
    """The colour of a cluster (None: the background economy)."""
    if cluster_id is None:
        return BACKGROUND
    return PALETTE[(int(cluster_id) - 1) % len(PALETTE)]


def px(lon, lat):
    """Projects lon/lat (degrees) to map pixels."""
    return ((lon - LON0) * KX, (LAT1 - lat) * KY)


def fmt(v):
    """A table cell: numbers as the database prints them, booleans as yes/no, NULL as '-'."""
    if v is None:
        return '-'
    if isinstance(v, bool):
        return 'yes' if v else 'no'
    return str(v)


def have_table(conn, schema, name):
    """Does schema.name exist?"""
    return conn.execute('SELECT to_regclass(%s) IS NOT NULL', ['%s.%s' % (schema, name)]).fetchone()[0]


def have_function(conn, name):
    """Is a function vic.name installed?"""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                        " WHERE n.nspname = 'vic' AND p.proname = %s)", [name]).fetchone()[0]


# ---------------------------------------------------------------------------------------------
# GeoJSON
# ---------------------------------------------------------------------------------------------

def write_features(conn, path, query, name):
    """Streams ST_AsGeoJSON(record) features of query (a server-side cursor) into a FeatureCollection."""
    n = 0
    with open(path, 'w', encoding='utf-8') as out, conn.cursor(name=name) as cur:
        out.write('{"type": "FeatureCollection", "features": [\n')
        cur.itersize = 5000
        cur.execute(query)
        for (feature,) in cur:
            if n:
                out.write(',\n')
            out.write(feature)
            n += 1
        out.write('\n]}\n')
    return n


def prepare(conn):
    """Scratch tables of the report: the clusters of each firm and the length of each link."""
    conn.execute("""
        CREATE TEMP TABLE firm_cluster AS
        SELECT firm_id, min(cluster_id) AS cluster_id, array_agg(cluster_id ORDER BY cluster_id) AS clusters
        FROM vic_sample.membership WHERE left_on IS NULL GROUP BY firm_id""")
    conn.execute('ALTER TABLE firm_cluster ADD PRIMARY KEY (firm_id)')
    # sphere distance (PostGIS use_spheroid => false): enough for a histogram, 3x faster
    conn.execute("""
        CREATE TEMP TABLE link_len AS
        SELECT l.src, l.dst, l.kind, l.weight, l.since,
               CASE WHEN ca.cluster_id = cb.cluster_id THEN ca.cluster_id END AS cluster_id,
               ST_Distance(a.location, b.location, false) / 1000 AS km
        FROM vic_sample.link l
        JOIN vic_sample.firm a ON a.firm_id = l.src
        JOIN vic_sample.firm b ON b.firm_id = l.dst
        LEFT JOIN firm_cluster ca ON ca.firm_id = l.src
        LEFT JOIN firm_cluster cb ON cb.firm_id = l.dst""")
    conn.execute('ANALYZE firm_cluster')
    conn.execute('ANALYZE link_len')


FIRMS_QUERY = """
SELECT ST_AsGeoJSON(t.*, 'geom', 9) FROM (
    SELECT f.firm_id, f.name, f.industry_code AS industry,
           vic.industry_ancestor(f.industry, 2)::text AS division,
           vic.industry_ancestor(f.industry, 1)::text AS section,
           f.province, ci.name_en AS city, f.employees, f.revenue, f.founded, f.chain_leader,
           fc.cluster_id AS cluster, c.name AS cluster_name, c.kind AS cluster_kind,
           coalesce(fc.clusters, '{}') AS clusters,
           f.location::geometry AS geom
    FROM vic_sample.firm f
    JOIN vic_sample.city ci ON ci.city_id = f.city_id
    LEFT JOIN firm_cluster fc ON fc.firm_id = f.firm_id
    LEFT JOIN vic_sample.cluster c ON c.cluster_id = fc.cluster_id
    ORDER BY f.firm_id) t"""

LINKS_QUERY = """
SELECT ST_AsGeoJSON(t.*, 'geom', 9) FROM (
    SELECT l.src, l.dst, l.kind, l.weight, l.since, l.cluster_id AS cluster, round(l.km::numeric, 3) AS length_km,
           ST_MakeLine(a.location::geometry, b.location::geometry) AS geom
    FROM link_len l
    JOIN vic_sample.firm a ON a.firm_id = l.src
    JOIN vic_sample.firm b ON b.firm_id = l.dst) t"""

HULLS_QUERY = """
SELECT ST_AsGeoJSON(t.*, 'geom', 9) FROM (
    SELECT c.cluster_id AS cluster, c.name, c.kind, c.chain, count(*) AS members,
           ST_ForcePolygonCCW(ST_ConvexHull(ST_Collect(f.location::geometry))) AS geom
    FROM vic_sample.cluster c
    JOIN vic_sample.membership m ON m.cluster_id = c.cluster_id AND m.left_on IS NULL
    JOIN vic_sample.firm f ON f.firm_id = m.firm_id
    GROUP BY c.cluster_id, c.name, c.kind, c.chain
    ORDER BY c.cluster_id) t"""


# ---------------------------------------------------------------------------------------------
# SVG pieces
# ---------------------------------------------------------------------------------------------

def svg_map(conn):
    """The map: graticule, cities, cluster hulls, the strongest links of each cluster, every firm."""
    clusters = conn.execute('SELECT cluster_id, name, kind, home_city_id FROM vic_sample.cluster'
                            ' ORDER BY cluster_id').fetchall()
    parts = ['<svg id="map" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d"'
             ' role="img" aria-label="map of firms and links by cluster">'
             % (MAP_W + 260, MAP_H, MAP_W + 260, MAP_H)]
    parts.append('<rect x="0" y="0" width="%.0f" height="%.0f" fill="#f7fbff" stroke="#999"/>' % (MAP_W, MAP_H))
    # graticule every 5 degrees
    g = ['<g class="graticule" stroke="#c9d6e3" stroke-width="0.6" fill="none">']
    lab = ['<g class="graticule-labels" font-size="10" fill="#7a8a9a">']
    lon = math.ceil(LON0 / 5) * 5
    while lon <= LON1:
        x, _ = px(lon, LAT0)
        g.append('<line x1="%.1f" y1="0" x2="%.1f" y2="%.1f"/>' % (x, x, MAP_H))
        lab.append('<text x="%.1f" y="%.1f" text-anchor="middle">%d°E</text>' % (x, MAP_H - 4, lon))
        lon += 5
    lat = math.ceil(LAT0 / 5) * 5
    while lat <= LAT1:
        _, y = px(LON0, lat)
        g.append('<line x1="0" y1="%.1f" x2="%.1f" y2="%.1f"/>' % (y, MAP_W, y))
        lab.append('<text x="4" y="%.1f">%d°N</text>' % (y - 3, lat))
        lat += 5
    parts += g + ['</g>'] + lab + ['</g>']
    # cluster hulls (the same polygons as hulls.geojson)
    hull = ['<g class="hulls" fill="none" stroke-width="0.9" stroke-opacity="0.6" stroke-dasharray="4 3">']
    for cid, kind, ring in conn.execute("""
            SELECT c.cluster_id, c.kind,
                   ST_AsText(ST_ExteriorRing(ST_ConvexHull(ST_Collect(f.location::geometry))))
            FROM vic_sample.cluster c
            JOIN vic_sample.membership m ON m.cluster_id = c.cluster_id AND m.left_on IS NULL
            JOIN vic_sample.firm f ON f.firm_id = m.firm_id
            GROUP BY c.cluster_id, c.kind ORDER BY c.kind DESC, c.cluster_id"""):
        if ring is None:
            continue
        pts = [tuple(map(float, p.split())) for p in ring[ring.index('(') + 1:-1].split(',')]
        d = 'M' + ' L'.join('%.1f %.1f' % px(*p) for p in pts) + 'Z'
        hull.append('<path d="%s" stroke="%s"/>' % (d, colour(cid)))
    parts += hull + ['</g>']
    # links: the strongest MAP_LINKS_PER_CLUSTER of each cluster, both ends its current members
    links = {}
    for cid, x1, y1, x2, y2 in conn.execute("""
            SELECT l.cluster_id, ST_X(a.location::geometry), ST_Y(a.location::geometry),
                   ST_X(b.location::geometry), ST_Y(b.location::geometry)
            FROM (SELECT l.*, row_number() OVER (PARTITION BY cluster_id ORDER BY weight DESC, src, dst) AS rk
                  FROM link_len l WHERE cluster_id IS NOT NULL) l
            JOIN vic_sample.firm a ON a.firm_id = l.src
            JOIN vic_sample.firm b ON b.firm_id = l.dst
            WHERE l.rk <= %s ORDER BY l.cluster_id, l.rk""", [MAP_LINKS_PER_CLUSTER]):
        a, b = px(x1, y1), px(x2, y2)
        links.setdefault(cid, []).append('M%.1f %.1fL%.1f %.1f' % (a + b))
    parts.append('<g class="links" fill="none" stroke-width="0.6" stroke-opacity="0.22">')
    for cid in sorted(links):
        parts.append('<path d="%s" stroke="%s"/>' % (''.join(links[cid]), colour(cid)))
    parts.append('</g>')
    # firms: one path per cluster of zero-length round-capped segments (a dot each)
    dots = {}
    for cid, x, y in conn.execute("""
            SELECT fc.cluster_id, ST_X(f.location::geometry), ST_Y(f.location::geometry)
            FROM vic_sample.firm f LEFT JOIN firm_cluster fc ON fc.firm_id = f.firm_id
            ORDER BY f.firm_id"""):
        dots.setdefault(cid, []).append('M%.1f %.1fh0' % px(x, y))
    parts.append('<g class="firms" fill="none" stroke-linecap="round">')
    kinds = {c[0]: c[2] for c in clusters}
    order = [None] + sorted((c for c in dots if c is not None), key=lambda c: (kinds.get(c) != 'virtual', c))
    for cid in order:
        if cid in dots:
            parts.append('<path d="%s" stroke="%s" stroke-width="%s" stroke-opacity="%s"/>'
                         % (''.join(dots[cid]), colour(cid), '2' if cid is None else '3.2',
                            '0.6' if cid is None else '0.9'))
    parts.append('</g>')
    # cities, the home cities of the clusters named
    homes = {c[3] for c in clusters}
    cg = ['<g class="cities" font-size="10" fill="#222">']
    for city_id, name, province, lon, lat, firms in conn.execute(
            'SELECT c.city_id, c.name_en, c.province_en, c.lon, c.lat, count(f.firm_id) FROM vic_sample.city c'
            ' LEFT JOIN vic_sample.firm f ON f.city_id = c.city_id GROUP BY c.city_id ORDER BY c.city_id'):
        x, y = px(lon, lat)
        cg.append('<circle cx="%.1f" cy="%.1f" r="1.8" fill="none" stroke="#333" stroke-width="0.7">'
                  '<title>%s (%s): %d firms</title></circle>' % (x, y, esc(name), esc(province), firms))
        if city_id in homes:
            cg.append('<text x="%.1f" y="%.1f">%s</text>' % (x + 4, y - 3, esc(name)))
    parts += cg + ['</g>']
    # legend
    lg = ['<g class="legend" font-size="11">']
    y = 18
    lg.append('<text x="%d" y="%d" font-weight="bold">clusters (current members)</text>' % (MAP_W + 12, y))
    for cid, name, kind, _ in clusters[:30]:
        y += 16
        lg.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (MAP_W + 12, y - 9, colour(cid)))
        lg.append('<text x="%d" y="%d">%d %s%s</text>' % (MAP_W + 27, y, cid, esc(name[:27]),
                                                          ' (virtual)' if kind == 'virtual' else ''))
    y += 16
    lg.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (MAP_W + 12, y - 9, BACKGROUND))
    lg.append('<text x="%d" y="%d">background economy</text>' % (MAP_W + 27, y))
    parts += lg + ['</g>', '</svg>']
    return '\n'.join(parts)


def axis_ticks(vmax, n=5):
    """Round tick values from 0 to at least vmax."""
    if vmax <= 0:
        return [0, 1]
    raw = vmax / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw))
    return [i * step for i in range(int(math.ceil(vmax / step)) + 1)]


def tick_label(v):
    """A tick label without a trailing .0."""
    return ('%d' % v) if float(v).is_integer() else ('%g' % v)


def svg_length_histogram(conn):
    """Grouped bars of the link-length distribution, supply against cooperation links."""
    rows = conn.execute("""
        SELECT kind, width_bucket(km, %s::float8[]) AS b, count(*) FROM link_len GROUP BY 1, 2""",
                        [LENGTH_BINS]).fetchall()
    kinds = ['supply', 'cooperation']
    nb = len(LENGTH_BINS)
    counts = {k: [0] * nb for k in kinds}
    for kind, b, n in rows:
        counts.setdefault(kind, [0] * nb)[min(b, nb) - 1] += n
    total = {k: sum(v) for k, v in counts.items()}
    shares = {k: [100.0 * c / total[k] if total[k] else 0 for c in counts[k]] for k in kinds}
    labels = ['%g–%g' % (LENGTH_BINS[i], LENGTH_BINS[i + 1]) for i in range(nb - 1)] + ['> %g' % LENGTH_BINS[-1]]
    W, H, L, B, T = 900, 330, 55, 60, 30
    vmax = max(max(shares[k]) for k in kinds)
    ticks = axis_ticks(vmax)
    top = ticks[-1]
    pw, ph = W - L - 20, H - B - T
    bw = pw / nb
    out = ['<svg id="link-lengths" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d"'
           ' role="img" aria-label="link-length distribution">' % (W, H, W, H)]
    out.append('<g font-size="11" fill="#333">')
    for t in ticks:
        y = T + ph - ph * t / top
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (L, y, W - 20, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s %%</text>' % (L - 5, y + 4, tick_label(t)))
    for i in range(nb):
        for j, k in enumerate(kinds):
            h = ph * shares[k][i] / top
            x = L + i * bw + 4 + j * (bw - 8) / 2
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s km: %d links'
                       ' (%.1f %%)</title></rect>' % (x, T + ph - h, (bw - 8) / 2, h,
                                                      '#4c78a8' if j == 0 else '#f58518', k, labels[i],
                                                      counts[k][i], shares[k][i]))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (L + (i + 0.5) * bw, T + ph + 16,
                                                                            labels[i]))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">great-circle length of the link (km, sphere)</text>'
               % (L + pw / 2, H - 18))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (L, T + ph, W - 20, T + ph))
    for j, k in enumerate(kinds):
        out.append('<rect x="%d" y="8" width="10" height="10" fill="%s"/>' % (L + 10 + j * 330,
                                                                            '#4c78a8' if j == 0 else '#f58518'))
        out.append('<text x="%d" y="17">%s links (%d), share of each length</text>' % (L + 25 + j * 330, k, total[k]))
    out.append('</g></svg>')
    return '\n'.join(out), counts, total


def svg_bars(svg_id, title, rows, fmt_value='%.3g'):
    """A horizontal bar chart of one metric per cluster: rows = [(cluster_id, label, value)]."""
    rows = [r for r in rows if r[2] is not None]
    W, rh, L, T = 420, 17, 150, 24
    H = T + rh * len(rows) + 10
    vmax = max([float(r[2]) for r in rows] + [0.0])
    top = axis_ticks(vmax, 4)[-1] if vmax > 0 else 1
    pw = W - L - 55
    out = ['<svg id="%s" class="metric" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d"'
           ' viewBox="0 0 %d %d" role="img" aria-label="%s">' % (svg_id, W, H, W, H, esc(title))]
    out.append('<g font-size="11" fill="#333"><text x="4" y="15" font-weight="bold">%s</text>' % esc(title))
    for i, (cid, label, v) in enumerate(rows):
        y = T + i * rh
        w = pw * float(v) / top
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (L - 4, y + 12, esc(label)))
        out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %s</title></rect>'
                   % (L, y + 2, w, rh - 4, colour(cid), esc(label), esc(v)))
        out.append('<text x="%.1f" y="%d">%s</text>' % (L + w + 3, y + 12, esc(fmt_value % float(v))))
    out.append('</g></svg>')
    return '\n'.join(out)


def cluster_metric_charts(conn):
    """One bar chart per membership metric the demo computes, every cluster a bar."""
    charts = []
    labels = {}
    for cid, name, kind in conn.execute('SELECT cluster_id, name, kind FROM vic_sample.cluster WHERE cluster_id <= 20'
                                        ' ORDER BY cluster_id'):
        labels[cid] = '%d %s%s' % (cid, name[:16], ' (v)' if kind == 'virtual' else '')
    specs = [
        ('structure', 'hhi_ind', 'HHI of industries (employment)', '%.3f'),
        ('structure', 'entropy_bits', 'Entropy of industries (bits)', '%.2f'),
        ('structure', 'hhi_prov', 'HHI of provinces', '%.3f'),
        ('structure', 'provinces', 'Provinces with members', '%.0f'),
        ('structure', 'std_dist_km', 'Standard distance (km)', '%.0f'),
        ('specialisation', 'lq', 'Location quotient of the main class', '%.1f'),
        ('specialisation', 'classes_lq_ge_1', 'Classes with LQ >= 1', '%.0f'),
        ('cluster_leaders', 'pagerank_permille', 'PageRank of the chain leader (per mille)', '%.3f'),
        ('cluster_communities', 'communities', 'Leiden communities holding its members', '%.0f'),
        ('cluster_communities', 'share_in_top_community', 'Share of members in its top community', '%.2f'),
    ]
    for n, (table, col, title, f) in enumerate(specs):
        if not have_table(conn, 'vic_report', table):
            continue
        rows = conn.execute('SELECT id, %s FROM vic_report.%s ORDER BY id' % (col, table)).fetchall()
        charts.append(svg_bars('metric-%s' % col, title, [(cid, labels.get(cid, str(cid)), v) for cid, v in rows], f))
    return charts


# ---------------------------------------------------------------------------------------------
# Hook points: sections the lead adds after merging the other families.  Each returns the HTML of
# its section (an <h2>, SVG charts and tables, built like the sections above) or None, and the page
# leaves out a section that returns None.
# ---------------------------------------------------------------------------------------------

def section_traits(conn):
    """The four virtual-cluster traits per cluster (cross_regional, cross_industry, openness,
    dispersion) and virtuality, from vic.traits (test/demo.sql, section 6): one bar chart each."""
    if not have_table(conn, 'vic_report', 'traits'):
        return None
    rows = conn.execute('SELECT id, name, planted, cross_regional, cross_industry, openness, dispersion,'
                        ' virtuality, kind FROM vic_report.traits ORDER BY id').fetchall()
    if not rows:
        return None
    charts = []
    for col, title in ((7, 'Virtuality (traditional < 0.45 <= hybrid < 0.65 <= virtual)'),
                       (3, 'Cross-regional'), (4, 'Cross-industry'), (5, 'Openness'), (6, 'Dispersion')):
        charts.append(svg_bars('trait-%d' % col, title,
                               [(r[0], '%d %s%s' % (r[0], r[1][:16], ' (v)' if r[2] == 'virtual' else ''), r[col])
                                for r in rows], '%.2f'))
    return ('<h2>How virtual each cluster is</h2>\n<p>The four traits of <code>vic.traits</code> '
            '(doc/traits.md), each from 0 (as a traditional cluster) to 1 (as spread as the whole economy), '
            'and their weighted mean, virtuality. (v) marks a planted platform.</p>\n<div class="charts">'
            + '\n'.join(charts) + '</div>')


def section_kd(conn):
    """Hook: Kd curves of the clusters with their simulation envelopes and verdicts (points family)."""
    return None


def section_gravity(conn):
    """Hook: the top cross-region cooperation pairs with their gravity scores (links family)."""
    return None


def section_io_key_sectors(conn):
    """Hook: input-output key sectors (backward and forward linkages) of the sample economy."""
    return None


# ---------------------------------------------------------------------------------------------
# Tables of the text report
# ---------------------------------------------------------------------------------------------

def html_table(conn, name):
    """A vic_report table as an HTML table, rows in stored (printed) order."""
    cur = conn.execute('SELECT * FROM vic_report.%s' % psycopg.sql.Identifier(name).as_string(conn))
    cols = [d.name for d in cur.description]
    out = ['<table id="t-%s"><thead><tr>' % esc(name) + ''.join('<th>%s</th>' % esc(c) for c in cols) + '</tr></thead><tbody>']
    for row in cur:
        out.append('<tr>' + ''.join('<td%s>%s</td>' % (' class="n"' if isinstance(v, (int, float)) or
                                                       type(v).__name__ == 'Decimal' else '', esc(fmt(v)))
                                    for v in row) + '</tr>')
    out.append('</tbody></table>')
    return '\n'.join(out)


def report_tables(conn):
    """The sections of the text report (vic_report.toc, in print order) as HTML."""
    if not have_table(conn, 'vic_report', 'toc'):
        return '<p>The report tables of test/demo.sql are missing (run it first).</p>'
    out = []
    for section, kind, name, title, body in conn.execute(
            'SELECT section, kind, name, title, body FROM vic_report.toc ORDER BY ord'):
        if kind == 'section':
            out.append('<h3 id="s%d">%d. %s</h3>' % (section, section, esc(title)))
        elif kind == 'table':
            out.append('<h4>%s</h4>' % esc(title.rstrip(':')))
            out.append(html_table(conn, name))
        else:
            out.append('<p class="reading">%s</p>' % esc(body).replace('\n', ' '))
    return '\n'.join(out)


CSS = """
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1320px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; }
h3 { font-size: 16px; margin-top: 24px; } h4 { font-size: 13px; margin: 14px 0 4px; }
table { border-collapse: collapse; font-size: 12px; margin-bottom: 8px; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
th { background: #f0f3f6; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
p.note, p.reading { font-size: 12px; color: #555; max-width: 1000px; }
p.reading { font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 18px; }
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='vic-report', help='folder of report.html and the GeoJSON files')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.monotonic()
    with psycopg.connect(autocommit=True) as conn:
        conn.execute('SET search_path = public, vic')
        conn.execute('SET client_min_messages = warning')
        conn.execute('SET extra_float_digits = 0')
        with Step('report: clusters of each firm, length of each link'):
            prepare(conn)
        conn.autocommit = False  # named cursors need a transaction
        with Step('report: firms.geojson') as s:
            nf = write_features(conn, os.path.join(args.out, 'firms.geojson'), FIRMS_QUERY, 'firms')
            s.msg += ' (%d firms)' % nf
        with Step('report: links.geojson') as s:
            nl = write_features(conn, os.path.join(args.out, 'links.geojson'), LINKS_QUERY, 'links')
            s.msg += ' (%d links)' % nl
        with Step('report: hulls.geojson') as s:
            nh = write_features(conn, os.path.join(args.out, 'hulls.geojson'), HULLS_QUERY, 'hulls')
            s.msg += ' (%d cluster hulls)' % nh
        conn.commit()
        with Step('report: the SVG map'):
            the_map = svg_map(conn)
        with Step('report: charts and tables'):
            hist, counts, total = svg_length_histogram(conn)
            metrics = cluster_metric_charts(conn)
            tables = report_tables(conn)
            hooks = [h(conn) for h in (section_traits, section_kd, section_gravity, section_io_key_sectors)]
            ncities = conn.execute('SELECT count(*) FROM vic_sample.city').fetchone()[0]
            nclusters = conn.execute('SELECT count(*) FROM vic_sample.cluster').fetchone()[0]
            version = conn.execute('SELECT vic.version()').fetchone()[0]
        conn.commit()
    page = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
            '<title>vic demo report: virtual industrial clusters of the sample economy</title>',
            '<style>%s</style></head><body>' % CSS,
            '<h1>vic demo report: virtual industrial clusters of the sample economy</h1>',
            '<p class="note">vic %s; sample economy of test/fixtures/sample.sql: %d firms, %d links, %d clusters, '
            '%d cities. Written by test/report/report.py after test/demo.sql; the same folder holds '
            'firms.geojson, links.geojson and hulls.geojson (RFC 7946, WGS84).</p>'
            % (esc(version), nf, nl, nclusters, ncities),
            '<h2 id="map-section">Map of firms and links by cluster</h2>', the_map,
            '<p class="note">Background: a 5° graticule and the positions of the %d cities of the sample '
            '(approximate city centres, the sample\'s own compilation). No province outlines are drawn: '
            'Natural Earth admin-1 (public domain) could not be downloaded here and no outlines are shipped. '
            'Equirectangular projection at %.2f°N. Dots: every firm, coloured by its cluster (the lowest '
            'cluster id among its current memberships; grey: the background economy); platforms (virtual '
            'clusters) are drawn under the traditional ones. Dashed outlines: the convex hull of each '
            'cluster\'s current members (hulls.geojson; the few members of a traditional cluster outside its home region stretch its hull). Lines: the %d '
            'strongest links (by weight) of each cluster whose both ends are its current members; '
            'links.geojson holds all %d.</p>' % (ncities, (LAT0 + LAT1) / 2, MAP_LINKS_PER_CLUSTER, nl),
            '<h2 id="lengths">Link-length distribution</h2>', hist,
            '<p class="note">Share of the supply and of the cooperation links in each length class '
            '(great-circle distance between the two firms on the sphere, PostGIS ST_Distance with '
            'use_spheroid false). Counts: %s.</p>' % esc(', '.join('%s %d' % (k, total[k]) for k in total)),
            '<h2 id="metrics">Membership metrics per cluster</h2>',
            '<p class="note">From the tables below: HHI and entropy of the members\' industries '
            '(employment-weighted), HHI of provinces, standard distance, the location quotient of the main '
            'class (Balassa 1965), the PageRank of the chain leader, and the Leiden communities of the '
            'firm network that hold the cluster\'s members. (v): a platform (virtual cluster).</p>',
            '<div class="charts">'] + metrics + ['</div>']
    page += [h for h in hooks if h]
    page += ['<h2 id="tables">Tables of the text report</h2>', tables, '</body></html>']
    path = os.path.join(args.out, 'report.html')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(page) + '\n')
    progress('report written in %.1f s' % (time.monotonic() - t0))
    print('report: %s' % os.path.abspath(path))
    for n in ('firms', 'links', 'hulls'):
        print('geojson: %s' % os.path.abspath(os.path.join(args.out, n + '.geojson')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
