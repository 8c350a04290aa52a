-- vic.graph: the summary type, its aggregates and the graph algorithms.
-- Independent sources for every number are named next to the query.
SET extra_float_digits = 0;

-- ---------------------------------------------------------------- I/O
-- Parallel edges are summed (1.5 + 0.5 = 2), weight defaults to 1, output sorted by (src, dst).
SELECT '{1->2:1.5, 2->3, 1->2:0.5, 3->3:2}'::vic.graph;
SELECT '{}'::vic.graph AS empty, vic.node_count('{}'), vic.edge_count('{}');
-- Shortest exact floats round-trip bit for bit; 0.1 + 0.2 is exactly 0.30000000000000004 - 2^-55
-- (Python: math.fsum([0.1, 0.2]), then Fraction), written c1~c2.
SELECT g, g::text::vic.graph::text = g::text AS round_trip
FROM (SELECT '{-7->3:1e+300,1->2:0.1,1->2:0.2,9223372036854775807->-9223372036854775808:5e-324}'::vic.graph AS g) x;
SELECT * FROM vic.edges('{5->4:1,4->5:2,-1->5:3}');
SELECT vic.node_count(g), vic.edge_count(g) FROM (SELECT '{1->2,2->1,1->1,3->1}'::vic.graph g) x;
SELECT '{1->2:1}'::vic.graph OPERATOR(vic.||) '{2->1:1,1->2:2}';

-- ---------------------------------------------------------------- aggregates
-- NULL ends are skipped; parallel edges summed exactly and rounded once, whatever the row order.
SELECT vic.graph_agg(s, d, w)
FROM (VALUES (3,1,0.1::float8),(1,2,0.2),(3,1,0.2),(NULL,5,1),(4,NULL,1),(-7,3,1e300)) v(s,d,w);
SELECT vic.graph_agg(s, d) FROM (VALUES (1,2),(1,2),(2,1)) v(s,d);
SELECT vic.graph_agg(s, d) IS NULL AS no_rows_is_null FROM (VALUES (1::bigint,2::bigint)) v(s,d) WHERE false;
SELECT vic.merge_agg(g) FROM (VALUES ('{1->2:1}'::vic.graph), ('{2->3:1}'), (NULL), ('{1->2:2}')) v(g);
-- Grouped aggregation keeps one expanded state per group.
SELECT k, vic.graph_agg(i, i + 1) FROM generate_series(1, 6) i, LATERAL (SELECT i % 2) x(k) GROUP BY k ORDER BY k;

-- Serial and forced-parallel plans give the same graph.
CREATE TABLE ge AS
SELECT (i % 1000)::bigint s, ((i * 7919) % 1003)::bigint d, (i % 5)::float8 w FROM generate_series(1, 100000) i;
CREATE TEMP TABLE serial AS SELECT vic.graph_agg(s, d, w) g FROM ge;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT vic.graph_agg(s, d, w) FROM ge;
SELECT vic.node_count(p.g), vic.edge_count(p.g), p.g::text = s.g::text AS parallel_equals_serial
FROM (SELECT vic.graph_agg(s, d, w) g FROM ge) p, serial s;
RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------- small hand-computed cases
-- 3-cycle 1->2->3->1 with tail 3->4->5 and a separate edge 7->6.
-- Weak: {1..5} and {6,7}; strong: {1,2,3}, {4}, {5}, {6}, {7} (hand computation).
SELECT * FROM vic.components('{1->2,2->3,3->1,3->4,4->5,7->6}') ORDER BY node;
SELECT * FROM vic.components('{1->2,2->3,3->1,3->4,4->5,7->6}', strong => true) ORDER BY node;
-- Degrees: the self-loop 1->1 counts once as in- and once as out-arc (hand computation).
SELECT * FROM vic.degrees('{1->1:0.5,1->2:2,2->1:3,3->1:1}') ORDER BY node;
-- Tiers along the chain 1->2->3->4->5 with the cycle 4->2: suppliers of 5 are 4 (1), 3 (2), 2 (3), 1 (4);
-- customers of 2 are 3 (1), 4 (2), 5 (3); 2 itself is not listed even though the cycle returns to it.
SELECT * FROM vic.upstream('{1->2,2->3,3->4,4->5,4->2}', 5) ORDER BY tier, node;
SELECT * FROM vic.upstream('{1->2,2->3,3->4,4->5,4->2}', 5, max_tier => 2) ORDER BY tier, node;
SELECT * FROM vic.downstream('{1->2,2->3,3->4,4->5,4->2}', 2) ORDER BY tier, node;
SELECT count(*) AS unknown_node FROM vic.downstream('{1->2}', 99);
-- Path 1-2-3-4 (directions mixed): every edge is a bridge, 2 and 3 are articulation points.
SELECT * FROM vic.bridges('{1->2,3->2,3->4}');
SELECT * FROM vic.articulation_points('{1->2,3->2,3->4}');
-- A triangle with a loop has no bridge or articulation point; its core number is 2 (loop ignored).
SELECT count(*) AS bridges FROM vic.bridges('{1->2,2->3,3->1,1->1}');
SELECT * FROM vic.core_numbers('{1->2,2->3,3->1,1->1,3->4}') ORDER BY node;

-- ---------------------------------------------------------------- pgRouting sample data
-- pgRouting 3.4 documentation, "Sample Data": edges (id, source, target, cost, reverse_cost).
-- Documented results: pgr_connectedComponents -> components {1,3,5,6,7,8,9,10,11,12,15,16,17}, {2,4},
-- {13,14} (component = smallest node); pgr_articulationPoints -> 3, 6, 7, 8;
-- pgr_bridges -> edges 1, 6, 7, 14, 17, 18 = (5,6), (1,3), (3,7), (8,9), (2,4), (13,14).
-- (Confirmed by running pgRouting 3.4.2 on this table.)
CREATE TABLE pgr_edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8);
INSERT INTO pgr_edges VALUES
(1, 5, 6, 1, 1), (2, 6, 10, -1, 1), (3, 10, 15, -1, 1), (4, 6, 7, 1, 1), (5, 10, 11, 1, -1),
(6, 1, 3, 1, 1), (7, 3, 7, 1, 1), (8, 7, 11, 1, 1), (9, 11, 16, 1, 1), (10, 7, 8, 1, 1),
(11, 11, 12, 1, -1), (12, 8, 12, 1, -1), (13, 12, 17, 1, -1), (14, 8, 9, 1, 1), (15, 16, 17, 1, 1),
(16, 15, 16, 1, 1), (17, 2, 4, 1, 1), (18, 13, 14, 1, 1);
CREATE TABLE pgr_graph AS SELECT vic.graph_agg(source, target) g FROM pgr_edges;
SELECT component, array_agg(node ORDER BY node) FROM pgr_graph, vic.components(g) GROUP BY component ORDER BY component;
SELECT array_agg(node ORDER BY node) AS articulation_points FROM pgr_graph, vic.articulation_points(g);
SELECT b.* FROM pgr_graph, vic.bridges(g) b ORDER BY src, dst;
-- Directed reading (an arc where cost > 0, a reverse arc where reverse_cost > 0): pgr_strongComponents
-- (pgRouting 3.4.2, run on this table) gives the same three components {1,3,5,...,17}, {2,4}, {13,14}.
SELECT component, array_agg(node ORDER BY node)
FROM vic.components((SELECT vic.graph_agg(s, d) FROM pgr_edges,
                     LATERAL (VALUES (source, target, cost), (target, source, reverse_cost)) e(s, d, c) WHERE c > 0),
                    strong => true)
GROUP BY component ORDER BY component;

-- ---------------------------------------------------------------- Zachary's karate club
-- networkx 2.8.8: G = nx.karate_club_graph() (Zachary 1977; 34 nodes, 78 weighted edges)
CREATE TABLE karate (u bigint, v bigint, w float8);
INSERT INTO karate VALUES
(0,1,4),
(0,2,5),
(0,3,3),
(0,4,3),
(0,5,3),
(0,6,3),
(0,7,2),
(0,8,2),
(0,10,2),
(0,11,3),
(0,12,1),
(0,13,3),
(0,17,2),
(0,19,2),
(0,21,2),
(0,31,2),
(1,2,6),
(1,3,3),
(1,7,4),
(1,13,5),
(1,17,1),
(1,19,2),
(1,21,2),
(1,30,2),
(2,3,3),
(2,7,4),
(2,8,5),
(2,9,1),
(2,13,3),
(2,27,2),
(2,28,2),
(2,32,2),
(3,7,3),
(3,12,3),
(3,13,3),
(4,6,2),
(4,10,3),
(5,6,5),
(5,10,3),
(5,16,3),
(6,16,3),
(8,30,3),
(8,32,3),
(8,33,4),
(9,33,2),
(13,33,3),
(14,32,3),
(14,33,2),
(15,32,3),
(15,33,4),
(18,32,1),
(18,33,2),
(19,33,1),
(20,32,3),
(20,33,1),
(22,32,2),
(22,33,3),
(23,25,5),
(23,27,4),
(23,29,3),
(23,32,5),
(23,33,4),
(24,25,2),
(24,27,3),
(24,31,2),
(25,31,7),
(26,29,4),
(26,33,2),
(27,33,4),
(28,31,2),
(28,33,2),
(29,32,4),
(29,33,2),
(30,32,3),
(30,33,3),
(31,32,4),
(31,33,4),
(32,33,5);
-- nx.pagerank(G, alpha=0.85, weight='weight', tol=1e-12, max_iter=1000)
CREATE TABLE nx_pagerank (node bigint, pagerank float8);
INSERT INTO nx_pagerank VALUES (0, 0.088500315437669161), (1, 0.057412319366804479), (2, 0.062765623850085953), (3, 0.037210034820908608), (4, 0.02050080108399285), (5, 0.033803873058535508), (6, 0.031523018970865548), (7, 0.026463202687973839), (8, 0.033382483464395749), (9, 0.0094634949504705627), (10, 0.02068568469851827), (11, 0.0097849981433580108), (12, 0.011474264118137283), (13, 0.033472924967110948), (14, 0.012942403847141824), (15, 0.016377443780423391), (16, 0.016752260141580967), (17, 0.0096766952088956464), (18, 0.0095453377084898875), (19, 0.013076990053565954), (20, 0.011224883880501042), (21, 0.011359470086925168), (22, 0.012961390744456638), (23, 0.041149758197680533), (24, 0.016635732754069526), (25, 0.028676448850014268), (26, 0.015241717406830238), (27, 0.027237726786994512), (28, 0.014479228223015676), (29, 0.028274666465736439), (30, 0.023032846089445419), (31, 0.041988177757812016), (32, 0.075934419572524045), (33, 0.096989362825069883);
-- nx.betweenness_centrality(G, normalized=True) (undirected, unweighted)
CREATE TABLE nx_betw_u (node bigint, betweenness float8);
INSERT INTO nx_betw_u VALUES (0, 0.43763528138528146), (1, 0.053936688311688304), (2, 0.14365680615680618), (3, 0.011909271284271283), (4, 0.00063131313131313126), (5, 0.02998737373737374), (6, 0.029987373737373736), (7, 0), (8, 0.055926827801827811), (9, 0.00084776334776334782), (10, 0.00063131313131313126), (11, 0), (12, 0), (13, 0.045863395863395863), (14, 0), (15, 0), (16, 0), (17, 0), (18, 0), (19, 0.032475048100048108), (20, 0), (21, 0), (22, 0), (23, 0.017613636363636363), (24, 0.0022095959595959595), (25, 0.0038404882154882154), (26, 0), (27, 0.02233345358345358), (28, 0.0017947330447330447), (29, 0.0029220779220779218), (30, 0.014411976911976909), (31, 0.13827561327561325), (32, 0.14524711399711401), (33, 0.30407497594997596);
-- nx.betweenness_centrality(G.to_directed(), normalized=False)
CREATE TABLE nx_betw_d (node bigint, betweenness float8);
INSERT INTO nx_betw_d VALUES (0, 462.14285714285722), (1, 56.957142857142848), (2, 151.70158730158732), (3, 12.576190476190474), (4, 0.66666666666666663), (5, 31.666666666666668), (6, 31.666666666666664), (7, 0), (8, 59.058730158730164), (9, 0.89523809523809528), (10, 0.66666666666666663), (11, 0), (12, 0), (13, 48.43174603174603), (14, 0), (15, 0), (16, 0), (17, 0), (18, 0), (19, 34.293650793650798), (20, 0), (21, 0), (22, 0), (23, 18.599999999999998), (24, 2.333333333333333), (25, 4.0555555555555554), (26, 0), (27, 23.584126984126978), (28, 1.8952380952380952), (29, 3.0857142857142854), (30, 15.219047619047615), (31, 146.01904761904757), (32, 153.38095238095238), (33, 321.10317460317458);
-- nx.core_number(G)
CREATE TABLE nx_core (node bigint, core bigint);
INSERT INTO nx_core VALUES (0, 4), (1, 4), (2, 4), (3, 4), (4, 3), (5, 3), (6, 3), (7, 4), (8, 4), (9, 2), (10, 3), (11, 1), (12, 2), (13, 4), (14, 2), (15, 2), (16, 2), (17, 2), (18, 2), (19, 3), (20, 2), (21, 2), (22, 2), (23, 3), (24, 3), (25, 3), (26, 2), (27, 3), (28, 3), (29, 3), (30, 4), (31, 3), (32, 4), (33, 4);
-- nx.constraint(G, weight='weight'), nx.effective_size(G, weight='weight')
CREATE TABLE nx_constraint (node bigint, con float8, eff float8);
INSERT INTO nx_constraint VALUES (0, 0.19062348905638032, 13.775000000000002), (1, 0.34090198312855607, 6.4672413793103445), (2, 0.25565383909645606, 7.9469696969696972), (3, 0.41222261561155932, 3.6333333333333333), (4, 0.50808856965493299, 2.2250000000000001), (5, 0.49112922777491624, 2.9428571428571431), (6, 0.5314047216519745, 2.7846153846153845), (7, 0.52708195041634498, 1.4615384615384617), (8, 0.33441475635875212, 3.3960784313725489), (9, 0.55555555555555558, 2), (10, 0.53049764827806123, 2.1499999999999999), (11, 1, 1), (12, 0.73022959183673475, 1.3), (13, 0.38274862431566081, 2.9235294117647062), (14, 0.64112669282856261, 1), (15, 0.63239434739731526, 1), (16, 0.93974912450187176, 1), (17, 0.66533140758835785, 1.288888888888889), (18, 0.66707758370096781, 1), (19, 0.43910936391996358, 2.4133333333333331), (20, 0.72382134707313783, 1), (21, 0.6236083811249431, 1.2666666666666666), (22, 0.63983422783933519, 1), (23, 0.31277396116556261, 3.7238095238095239), (24, 0.51247165532879813, 2.4285714285714288), (25, 0.45631449858855111, 2.6258503401360542), (26, 0.65316243881948999, 1.5666666666666669), (27, 0.32221014638597067, 3.5076923076923077), (28, 0.39898274124464594, 2.5428571428571427), (29, 0.43892519735387908, 2.4923076923076923), (30, 0.39449117072400652, 2.6909090909090909), (31, 0.27549883512679191, 5.1410430839002261), (32, 0.25825614048375373, 10.089285714285714), (33, 0.18628728563229374, 15.22891865079365);
-- sorted(nx.articulation_points(G)) = [0]; sorted(nx.bridges(G)) = [(0, 11)]
CREATE TABLE karate_graph AS
SELECT vic.graph_agg(s, d, w) AS g FROM karate, LATERAL (VALUES (u, v), (v, u)) e(s, d);
SELECT vic.node_count(g), vic.edge_count(g) FROM karate_graph;
SELECT count(DISTINCT component) AS components FROM karate_graph, vic.components(g);
-- PageRank: every node within 1e-10 of networkx.
SELECT count(*), max(abs(p.pagerank - n.pagerank)) < 1e-10 AS matches_networkx
FROM karate_graph, vic.pagerank(g, tolerance => 1e-13, max_iterations => 1000) p JOIN nx_pagerank n USING (node);
-- python3-igraph 0.10.2 (PRPACK): g = igraph.Graph(n=34, edges=..., directed=False);
-- g.pagerank(weights=[karate weights], damping=0.85): every node within 1e-11 of vic as well.
CREATE TABLE igraph_pagerank (node bigint, pagerank float8);
INSERT INTO igraph_pagerank VALUES (0, 0.088500315428021614), (1, 0.057412319362886204), (2, 0.062765623848089994), (3, 0.037210034817963693), (4, 0.020500801080598329), (5, 0.033803873051631392), (6, 0.031523018964506294), (7, 0.026463202686026938), (8, 0.033382483465546835), (9, 0.0094634949508391464), (10, 0.020685684694909189), (11, 0.0097849981425836667), (12, 0.011474264117327646), (13, 0.033472924965476908), (14, 0.012942403848310476), (15, 0.01637744378202859), (16, 0.016752260138269467), (17, 0.0096766952082275922), (18, 0.0095453377091704681), (19, 0.013076990052964347), (20, 0.011224883881451419), (21, 0.011359470086105291), (22, 0.01296139074559953), (23, 0.041149758203041918), (24, 0.01663573275578516), (25, 0.028676448853554651), (26, 0.01524171740848012), (27, 0.027237726789705416), (28, 0.014479228223760635), (29, 0.028274666469245729), (30, 0.02303284609075695), (31, 0.041988177761964014), (32, 0.07593441958077661), (33, 0.096989362834393786);
SELECT count(*), max(abs(p.pagerank - i.pagerank)) < 1e-11 AS matches_igraph
FROM karate_graph, vic.pagerank(g, tolerance => 1e-13, max_iterations => 1000) p JOIN igraph_pagerank i USING (node);
SELECT node, round(pagerank::numeric, 10) FROM karate_graph, vic.pagerank(g) ORDER BY pagerank DESC LIMIT 3;
-- Betweenness, undirected normalized and directed raw.
SELECT count(*), max(abs(b.betweenness - n.betweenness)) < 1e-12 AS matches_networkx
FROM karate_graph, vic.betweenness(g, directed => false, normalized => true) b JOIN nx_betw_u n USING (node);
SELECT count(*), max(abs(b.betweenness - n.betweenness)) < 1e-9 AS matches_networkx
FROM karate_graph, vic.betweenness(g) b JOIN nx_betw_d n USING (node);
SELECT node, round(betweenness::numeric, 10) FROM karate_graph, vic.betweenness(g, false, true) ORDER BY betweenness DESC LIMIT 3;
-- Sampling every node is the exact computation.
SELECT bool_and(a.betweenness = b.betweenness) AS all_sources_exact
FROM karate_graph, vic.betweenness(g, samples => 34) a JOIN vic.betweenness(g) b USING (node);
-- Core numbers, constraint and effective size.
SELECT count(*), bool_and(c.core = n.core) AS matches_networkx
FROM karate_graph, vic.core_numbers(g) c JOIN nx_core n USING (node);
SELECT count(*), max(abs(c."constraint" - n.con)) < 1e-12 AS constraint_matches,
       max(abs(c.effective_size - n.eff)) < 1e-12 AS effective_size_matches
FROM karate_graph, vic.burt_constraint(g) c JOIN nx_constraint n USING (node);
SELECT array_agg(node) AS articulation_points FROM karate_graph, vic.articulation_points(g);
SELECT b.* FROM karate_graph, vic.bridges(g) b;

-- ---------------------------------------------------------------- directed PageRank
-- networkx 2.8.8: D = nx.DiGraph(); D.add_weighted_edges_from([(1,2,1),(1,3,2),(2,3,1),(3,1,1),(4,3,1),(3,5,0.5)])
-- a = nx.pagerank(D, tol=1e-13, max_iter=10000); b = nx.pagerank(D, personalization={1:1, 4:1}, tol=1e-13, max_iter=10000)
-- (node 5 is dangling, node 4 has no in-arc)
CREATE TABLE nx_pr_directed (node bigint, plain float8, personalized float8);
INSERT INTO nx_pr_directed VALUES (1, 0.26985587243175069, 0.32414398701964986), (2, 0.13431462741494207, 0.091840796322223611), (3, 0.37411836859856723, 0.3626110181001948), (4, 0.057855463559243092, 0.11866441009621301), (5, 0.16385566799549692, 0.10273978846171841);
SELECT n.node, round(a.pagerank::numeric, 10) AS plain, abs(a.pagerank - n.plain) < 1e-11 AS plain_ok,
       round(b.pagerank::numeric, 10) AS personalized, abs(b.pagerank - n.personalized) < 1e-11 AS personalized_ok
FROM nx_pr_directed n
JOIN vic.pagerank('{1->2:1,1->3:2,2->3:1,3->1:1,4->3:1,3->5:0.5}', tolerance => 1e-14, max_iterations => 1000) a USING (node)
JOIN vic.pagerank('{1->2:1,1->3:2,2->3:1,3->1:1,4->3:1,3->5:0.5}', personalization => '{4,1,4}', tolerance => 1e-14, max_iterations => 1000) b USING (node)
ORDER BY node;
-- Too few iterations: a warning and the last iterate.
SELECT count(*) FROM vic.pagerank('{1->2:1,1->3:2,2->3:1,3->1:1,4->3:1,3->5:0.5}', max_iterations => 2);
