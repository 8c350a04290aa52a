-- ====================================================================
-- vic.graph in 0.2.0: a readable JSON form for BI tools and drivers.
-- ====================================================================

-- --------------------------------------------------------------------
-- JSON
-- --------------------------------------------------------------------
CREATE FUNCTION vic.graph_jsonb(g vic.graph) RETURNS jsonb
AS $body$
SELECT jsonb_build_object(
	'nodes', vic.node_count(g),
	'edges', vic.edge_count(g),
	'total_weight', (SELECT coalesce(sum(d.out_strength), 0) FROM vic.degrees(g) AS d),
	'weak_components', (SELECT count(DISTINCT c.component) FROM vic.components(g) AS c),
	'strong_components', (SELECT count(DISTINCT c.component) FROM vic.components(g, true) AS c),
	'top_nodes', (SELECT coalesce(jsonb_agg(jsonb_build_object('node', t.node, 'in_degree', t.in_degree,
	                                                        'out_degree', t.out_degree, 'in_strength', t.in_strength,
	                                                        'out_strength', t.out_strength)
	                                     ORDER BY t.in_strength + t.out_strength DESC, t.node), '[]'::jsonb)
	              FROM (SELECT * FROM vic.degrees(g) AS d
	                    ORDER BY d.in_strength + d.out_strength DESC, d.node LIMIT 10) AS t))
$body$
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
SET search_path = pg_catalog, vic;
COMMENT ON FUNCTION vic.graph_jsonb(vic.graph) IS 'readable JSON of a graph: node and edge counts, total weight, weak and strong component counts, the ten nodes of largest strength (in + out) with degrees and strengths; not the storage format';

CREATE FUNCTION vic.graph_json(g vic.graph) RETURNS json
AS 'SELECT vic.graph_jsonb(g)::json'
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
SET search_path = pg_catalog, vic;
COMMENT ON FUNCTION vic.graph_json(vic.graph) IS 'readable JSON of a graph (as vic.graph_jsonb, typed json)';

CREATE CAST (vic.graph AS jsonb) WITH FUNCTION vic.graph_jsonb(vic.graph);
CREATE CAST (vic.graph AS json) WITH FUNCTION vic.graph_json(vic.graph);
COMMENT ON CAST (vic.graph AS jsonb) IS 'readable JSON of a graph (vic.graph_jsonb)';
COMMENT ON CAST (vic.graph AS json) IS 'readable JSON of a graph (vic.graph_json)';

-- --------------------------------------------------------------------
-- Modularity without weight
-- --------------------------------------------------------------------
-- 0.2.0: NULL (was NaN) for a graph without edge weight; 22003 when the total weight overflows.
COMMENT ON FUNCTION vic.modularity(vic.graph, bigint[], bigint[], float8) IS 'modularity Q = sum_c [L_c/m - resolution (K_c/2m)^2] (Newman & Girvan 2004) of the partition putting nodes[i] in communities[i], on the symmetrised graph; a self-loop counts twice in the strength; NULL when the graph has no edge weight, 22003 when its total weight exceeds double precision';
