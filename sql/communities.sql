-- vic.communities and vic.modularity: published results and peer-checked values.
-- Peers: networkx 2.8.8 and python3-igraph 0.10.2 (Debian 12), run with /usr/bin/python3.
SET extra_float_digits = 0;

-- Zachary's karate club (Zachary 1977), the 78 edges of networkx's karate_club_graph(),
-- node numbers as in networkx (0..33), taken UNWEIGHTED (weight 1 each; recent networkx
-- versions attach a 'weight' attribute that we ignore, as igraph's Graph.Famous("Zachary") does).
CREATE TABLE cm_karate (src bigint, dst bigint);
INSERT INTO cm_karate VALUES
 (0,1),(0,2),(0,3),(0,4),(0,5),(0,6),(0,7),(0,8),(0,10),(0,11),(0,12),(0,13),(0,17),(0,19),
 (0,21),(0,31),(1,2),(1,3),(1,7),(1,13),(1,17),(1,19),(1,21),(1,30),(2,3),(2,7),(2,8),(2,9),
 (2,13),(2,27),(2,28),(2,32),(3,7),(3,12),(3,13),(4,6),(4,10),(5,6),(5,10),(5,16),(6,16),
 (8,30),(8,32),(8,33),(9,33),(13,33),(14,32),(14,33),(15,32),(15,33),(18,32),(18,33),(19,33),
 (20,32),(20,33),(22,32),(22,33),(23,25),(23,27),(23,29),(23,32),(23,33),(24,25),(24,27),
 (24,31),(25,31),(26,29),(26,33),(27,33),(28,31),(28,33),(29,32),(29,33),(30,32),(30,33),
 (31,32),(31,33),(32,33);
CREATE TABLE cm_karate_graph AS SELECT vic.graph_agg(src, dst) AS g FROM cm_karate;

-- Modularity of the two factions after the split (networkx node attribute 'club':
-- 'Mr. Hi' = nodes 0-8, 10-13, 16, 17, 19, 21).  networkx.community.modularity(G, club,
-- weight=None) = 0.3582347140039448.
SELECT round(vic.modularity((SELECT g FROM cm_karate_graph), array_agg(n ORDER BY n),
                            array_agg(CASE WHEN n IN (0,1,2,3,4,5,6,7,8,10,11,12,13,16,17,19,21)
                                           THEN 0 ELSE 1 END ORDER BY n))::numeric, 12) AS club_split
FROM generate_series(0, 33) AS n;

-- The same split at resolution 0.5: networkx modularity(..., resolution=0.5) = 0.6086045364891519.
SELECT round(vic.modularity((SELECT g FROM cm_karate_graph), array_agg(n ORDER BY n),
                            array_agg(CASE WHEN n IN (0,1,2,3,4,5,6,7,8,10,11,12,13,16,17,19,21)
                                           THEN 0 ELSE 1 END ORDER BY n), 0.5)::numeric, 12) AS club_split_half
FROM generate_series(0, 33) AS n;

-- Leiden finds the optimum: igraph's community_optimal_modularity (exact, by integer
-- programming) gives Q = 0.4197896120973046 with 4 communities; igraph's community_multilevel
-- reaches 0.4188034188034188 at best (0.392 to 0.4188 over random seeds).
CREATE TABLE cm_karate_leiden AS
SELECT c.* FROM cm_karate_graph, vic.communities(g) AS c;
SELECT round(vic.modularity((SELECT g FROM cm_karate_graph), array_agg(node),
                            array_agg(community))::numeric, 12) AS leiden_q,
       count(DISTINCT community) AS communities
FROM cm_karate_leiden;
-- The optimal partition (communities labelled by their smallest node id); igraph's
-- community_optimal_modularity gives the same four groups.
SELECT community, array_agg(node ORDER BY node) AS members
FROM cm_karate_leiden GROUP BY community ORDER BY community;

-- Louvain with the default seed reaches at least igraph's multilevel result.
SELECT round(q::numeric, 12) AS louvain_q, q >= 0.4188034188 AS at_least_igraph
FROM (SELECT vic.modularity((SELECT g FROM cm_karate_graph), array_agg(node), array_agg(community)) AS q
      FROM vic.communities((SELECT g FROM cm_karate_graph), 'louvain')) AS r;

-- Leiden reaches the optimum for every seed tried.
SELECT count(*) AS seeds, min(round(q::numeric, 12)) AS worst
FROM (SELECT s, vic.modularity((SELECT g FROM cm_karate_graph), array_agg(node), array_agg(community)) AS q
      FROM generate_series(1, 20) AS s,
           LATERAL vic.communities((SELECT g FROM cm_karate_graph), 'leiden', 1.0, s)
      GROUP BY s) AS runs;

-- Resolution: leidenalg 0.9.1 RBConfigurationVertexPartition (n_iterations=-1, seeds 0-19) on the
-- karate club reaches Q_0.5 = 0.6217948717948718 (every seed) and Q_2 = 0.16452991452991456 at
-- best (0.16354372123602892 at worst), Q_gamma scored by networkx.community.modularity(resolution);
-- vic's Leiden (seed 0) matches the first and lies inside the range of the second.
SELECT r, round(vic.modularity((SELECT g FROM cm_karate_graph), array_agg(node), array_agg(community), r)::numeric, 12) AS q,
       count(DISTINCT community) AS communities
FROM (VALUES (0.5), (2.0)) AS rr(r),
     LATERAL vic.communities((SELECT g FROM cm_karate_graph), 'leiden', r)
GROUP BY r ORDER BY r;

-- Determinism: the same seed gives the same rows, whatever the order of the input rows.
SELECT count(*) AS differing_rows FROM (
  (SELECT * FROM vic.communities((SELECT vic.graph_agg(src, dst) FROM cm_karate), 'louvain', 1.0, 7)
   EXCEPT
   SELECT * FROM vic.communities((SELECT vic.graph_agg(src, dst ORDER BY md5(src::text || dst::text))
                                  FROM cm_karate), 'louvain', 1.0, 7))
  UNION ALL
  (SELECT * FROM vic.communities((SELECT vic.graph_agg(src, dst) FROM cm_karate), 'leiden', 1.0, 7)
   EXCEPT
   SELECT * FROM vic.communities((SELECT vic.graph_agg(src, dst ORDER BY src DESC, dst DESC)
                                  FROM cm_karate), 'leiden', 1.0, 7))) AS d;
-- Edge directions do not matter: the reversed graph has the same communities.
SELECT count(*) AS differing_rows FROM (
  SELECT * FROM vic.communities((SELECT g FROM cm_karate_graph), 'leiden', 1.0, 3)
  EXCEPT
  SELECT * FROM vic.communities((SELECT vic.graph_agg(dst, src) FROM cm_karate), 'leiden', 1.0, 3)) AS d;

-- Planted partition: two 5-cliques joined by one edge -> exactly the two cliques
-- (Q = 2 * (10/21 - (21/42)^2) = 0.452380952381 by hand: 21 edges, each clique holds 10 of
-- them and half of the strength).
CREATE TABLE cm_two_cliques AS
SELECT vic.graph_agg(a, b) AS g
FROM (SELECT a, b FROM generate_series(1, 5) a, generate_series(1, 5) b WHERE a < b
      UNION ALL
      SELECT a, b FROM generate_series(6, 10) a, generate_series(6, 10) b WHERE a < b
      UNION ALL
      SELECT 5, 6) AS e;
SELECT m, community, array_agg(node ORDER BY node) AS members
FROM (VALUES ('leiden'), ('louvain')) AS mm(m),
     LATERAL vic.communities((SELECT g FROM cm_two_cliques), m) AS c
GROUP BY m, community ORDER BY m, community;
SELECT round(vic.modularity((SELECT g FROM cm_two_cliques), array_agg(node),
                            array_agg(community))::numeric, 12) AS q
FROM vic.communities((SELECT g FROM cm_two_cliques));

-- Ring of 8 cliques K6 joined by single edges (Fortunato & Barthelemy 2007): at resolution 1
-- modularity prefers the cliques (8 communities; by hand: m = 8*15 + 8 = 128, each clique
-- holds 15 edges and strength 32, Q = 8 * (15/128 - (32/256)^2) = 0.8125).
CREATE TABLE cm_ring AS
SELECT vic.graph_agg(a, b) AS g
FROM (SELECT 6 * c + i AS a, 6 * c + j AS b
      FROM generate_series(0, 7) c, generate_series(0, 5) i, generate_series(0, 5) j WHERE i < j
      UNION ALL
      SELECT 6 * c + 5, 6 * ((c + 1) % 8) FROM generate_series(0, 7) c) AS e;
SELECT m, count(DISTINCT community) AS communities,
       bool_and(community = node - node % 6) AS cliques,
       round(vic.modularity((SELECT g FROM cm_ring), array_agg(node), array_agg(community))::numeric, 12) AS q
FROM (VALUES ('leiden'), ('louvain')) AS mm(m),
     LATERAL vic.communities((SELECT g FROM cm_ring), m) AS c
GROUP BY m ORDER BY m;
-- At resolution 0.05 the cliques merge into larger groups (by hand: pairs of cliques give
-- Q_0.05 = 4 * (31/128 - 0.05 * (64/256)^2) = 0.95625 > 0.93125 for the single cliques).
SELECT count(DISTINCT community) < 8 AS merged
FROM cm_ring, vic.communities(g, 'leiden', 0.05);

-- A small weighted directed graph with a loop, a reciprocal pair and a node with only a loop.
-- Symmetrised: w(u,v) = w(u->v) + w(v->u); networkx.Graph built that way (loop 6-6 weight 1,
-- loop 9-9 weight 3).  igraph's community_optimal_modularity(weights='weight') on it gives
-- {1,2,3} {4,5,6} {7,8} {9} with Q = 0.6807954710407896, and networkx.community.modularity
-- of that partition is 0.6807954710407896 (resolution 1) and 0.385687327623748 (resolution 2).
CREATE TABLE cm_small AS
SELECT vic.graph_agg(src, dst, w) AS g
FROM (VALUES (1,2,3.0),(2,1,1.0),(2,3,2.0),(3,1,1.5),(3,4,0.5),(4,5,2.0),(5,6,1.0),(6,4,2.5),
             (6,6,1.0),(5,4,0.25),(7,8,1.0),(8,7,2.0),(9,9,3.0)) AS e(src, dst, w);
SELECT m, community, array_agg(node ORDER BY node) AS members
FROM (VALUES ('leiden'), ('louvain')) AS mm(m),
     LATERAL vic.communities((SELECT g FROM cm_small), m) AS c
GROUP BY m, community ORDER BY m, community;
SELECT round(vic.modularity((SELECT g FROM cm_small), array_agg(node),
                            array_agg(community))::numeric, 12) AS q,
       round(vic.modularity((SELECT g FROM cm_small), array_agg(node),
                            array_agg(community), 2.0)::numeric, 12) AS q_res2
FROM vic.communities((SELECT g FROM cm_small));

DROP TABLE cm_karate, cm_karate_graph, cm_karate_leiden, cm_two_cliques, cm_ring, cm_small;
