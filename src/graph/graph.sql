-- ====================================================================
-- vic.graph: a directed, weighted graph over bigint node ids (supplier
-- -> buyer), its aggregates and the algorithms that read it.  See
-- doc/graph.md and doc/communities.md.
-- ====================================================================

-- --------------------------------------------------------------------
-- Type and I/O
-- --------------------------------------------------------------------
CREATE TYPE vic.graph;

CREATE FUNCTION vic.graph_in(cstring) RETURNS vic.graph
AS 'MODULE_PATHNAME', 'vic_graph_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.graph_in(cstring) IS 'text input of vic.graph: {src->dst:weight,...}; weight defaults to 1, parallel edges are summed';

CREATE FUNCTION vic.graph_out(vic.graph) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_graph_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.graph_out(vic.graph) IS 'canonical text output of vic.graph, edges in (src, dst) order, shortest exact weights';

CREATE FUNCTION vic.graph_recv(internal) RETURNS vic.graph
AS 'MODULE_PATHNAME', 'vic_graph_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.graph_recv(internal) IS 'binary input of vic.graph (validates every count and invariant)';

CREATE FUNCTION vic.graph_send(vic.graph) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_graph_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 50;
COMMENT ON FUNCTION vic.graph_send(vic.graph) IS 'binary output of vic.graph';

CREATE TYPE vic.graph (
	INPUT = vic.graph_in,
	OUTPUT = vic.graph_out,
	RECEIVE = vic.graph_recv,
	SEND = vic.graph_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE vic.graph IS 'directed weighted graph over bigint node ids (supplier -> buyer): sorted node ids and edges as compressed sparse rows, parallel edges summed';

-- --------------------------------------------------------------------
-- Building, merging, comparing and reading
-- --------------------------------------------------------------------
CREATE FUNCTION vic.graph_agg_trans(vic.graph, bigint, bigint) RETURNS vic.graph
AS 'MODULE_PATHNAME', 'vic_graph_agg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.graph_agg_trans(vic.graph, bigint, bigint) IS 'transition function of vic.graph_agg(src, dst): appends an edge of weight 1 to the expanded state';

CREATE FUNCTION vic.graph_agg_trans(vic.graph, bigint, bigint, float8) RETURNS vic.graph
AS 'MODULE_PATHNAME', 'vic_graph_agg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.graph_agg_trans(vic.graph, bigint, bigint, float8) IS 'transition function of vic.graph_agg(src, dst, weight): appends an edge to the expanded state';

CREATE FUNCTION vic.graph_merge_trans(vic.graph, vic.graph) RETURNS vic.graph
AS 'MODULE_PATHNAME', 'vic_graph_merge_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.graph_merge_trans(vic.graph, vic.graph) IS 'transition function of vic.merge_agg and combine function of the graph aggregates';

CREATE AGGREGATE vic.graph_agg(src bigint, dst bigint) (
	SFUNC = vic.graph_agg_trans,
	STYPE = vic.graph,
	COMBINEFUNC = vic.graph_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.graph_agg(bigint, bigint) IS 'directed graph of the edges src -> dst, each of weight 1 (parallel edges summed, rows with a NULL end skipped)';

CREATE AGGREGATE vic.graph_agg(src bigint, dst bigint, weight float8) (
	SFUNC = vic.graph_agg_trans,
	STYPE = vic.graph,
	COMBINEFUNC = vic.graph_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.graph_agg(bigint, bigint, float8) IS 'directed weighted graph of the edges src -> dst (parallel edges summed, rows with a NULL end skipped; weight must be finite and >= 0)';

CREATE AGGREGATE vic.merge_agg(vic.graph) (
	SFUNC = vic.graph_merge_trans,
	STYPE = vic.graph,
	COMBINEFUNC = vic.graph_merge_trans,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.merge_agg(vic.graph) IS 'union of graphs, weights of common edges summed';

CREATE FUNCTION vic.graph_merge(vic.graph, vic.graph) RETURNS vic.graph
AS 'MODULE_PATHNAME', 'vic_graph_concat'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.graph_merge(vic.graph, vic.graph) IS 'union of two graphs, weights of common edges summed (the || operator)';

CREATE OPERATOR vic.|| (
	LEFTARG = vic.graph,
	RIGHTARG = vic.graph,
	FUNCTION = vic.graph_merge,
	COMMUTATOR = OPERATOR(vic.||)
);
COMMENT ON OPERATOR vic.|| (vic.graph, vic.graph) IS 'union of two graphs, weights of common edges summed';

CREATE FUNCTION vic.graph_eq(vic.graph, vic.graph) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_graph_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.graph_eq(vic.graph, vic.graph) IS 'true when two graphs have the same nodes, edges and weights (the = operator)';

CREATE FUNCTION vic.graph_ne(vic.graph, vic.graph) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_graph_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 10;
COMMENT ON FUNCTION vic.graph_ne(vic.graph, vic.graph) IS 'true when two graphs differ (the <> operator)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.graph,
	RIGHTARG = vic.graph,
	FUNCTION = vic.graph_eq,
	COMMUTATOR = OPERATOR(vic.=),
	NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel,
	JOIN = eqjoinsel
);
COMMENT ON OPERATOR vic.= (vic.graph, vic.graph) IS 'same nodes, edges and weights';

CREATE OPERATOR vic.<> (
	LEFTARG = vic.graph,
	RIGHTARG = vic.graph,
	FUNCTION = vic.graph_ne,
	COMMUTATOR = OPERATOR(vic.<>),
	NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.graph, vic.graph) IS 'graphs differ in a node, edge or weight';

CREATE FUNCTION vic.node_count(g vic.graph) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_node_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.node_count(vic.graph) IS 'number of nodes (every node has at least one edge)';

CREATE FUNCTION vic.edge_count(g vic.graph) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_edge_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.edge_count(vic.graph) IS 'number of distinct directed edges (self-loops included)';

CREATE FUNCTION vic.edges(g vic.graph)
RETURNS TABLE (src bigint, dst bigint, weight float8)
AS 'MODULE_PATHNAME', 'vic_edges'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 1000;
COMMENT ON FUNCTION vic.edges(vic.graph) IS 'the edges of a graph as rows (src, dst, weight) in (src, dst) order';

-- --------------------------------------------------------------------
-- Structure
-- --------------------------------------------------------------------
CREATE FUNCTION vic.components(g vic.graph, strong boolean DEFAULT false)
RETURNS TABLE (node bigint, component bigint)
AS 'MODULE_PATHNAME', 'vic_components'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION vic.components(vic.graph, boolean) IS 'weakly (default) or strongly connected components; component = smallest node id in it';

CREATE FUNCTION vic.degrees(g vic.graph)
RETURNS TABLE (node bigint, in_degree bigint, out_degree bigint, in_strength float8, out_strength float8)
AS 'MODULE_PATHNAME', 'vic_degrees'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION vic.degrees(vic.graph) IS 'in/out degree (distinct neighbours) and in/out strength (sum of weights) per node; a self-loop counts once in each';

CREATE FUNCTION vic.articulation_points(g vic.graph)
RETURNS TABLE (node bigint)
AS 'MODULE_PATHNAME', 'vic_articulation_points'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000 ROWS 100;
COMMENT ON FUNCTION vic.articulation_points(vic.graph) IS 'nodes whose removal disconnects their component of the undirected view (Hopcroft & Tarjan 1973)';

CREATE FUNCTION vic.bridges(g vic.graph)
RETURNS TABLE (src bigint, dst bigint)
AS 'MODULE_PATHNAME', 'vic_bridges'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000 ROWS 100;
COMMENT ON FUNCTION vic.bridges(vic.graph) IS 'edges of the undirected view whose removal disconnects their component, as (src, dst) with src < dst';

CREATE FUNCTION vic.core_numbers(g vic.graph)
RETURNS TABLE (node bigint, core bigint)
AS 'MODULE_PATHNAME', 'vic_core_numbers'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION vic.core_numbers(vic.graph) IS 'k-core number of each node in the loop-free undirected view (Batagelj & Zaversnik 2003)';

-- --------------------------------------------------------------------
-- Tiers
-- --------------------------------------------------------------------
CREATE FUNCTION vic.upstream(g vic.graph, focal bigint, max_tier integer DEFAULT NULL)
RETURNS TABLE (node bigint, tier integer)
AS 'MODULE_PATHNAME', 'vic_upstream'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 100;
COMMENT ON FUNCTION vic.upstream(vic.graph, bigint, integer) IS 'tier-k suppliers of a firm: nodes with a path to it, tier = fewest hops (>= 1), up to max_tier (NULL = no limit)';

CREATE FUNCTION vic.downstream(g vic.graph, focal bigint, max_tier integer DEFAULT NULL)
RETURNS TABLE (node bigint, tier integer)
AS 'MODULE_PATHNAME', 'vic_downstream'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 100;
COMMENT ON FUNCTION vic.downstream(vic.graph, bigint, integer) IS 'tier-k customers of a firm: nodes reachable from it, tier = fewest hops (>= 1), up to max_tier (NULL = no limit)';

-- --------------------------------------------------------------------
-- Centrality and brokerage
-- --------------------------------------------------------------------
CREATE FUNCTION vic.pagerank(g vic.graph, damping float8 DEFAULT 0.85,
	personalization bigint[] DEFAULT NULL, tolerance float8 DEFAULT 1e-10,
	max_iterations integer DEFAULT 100)
RETURNS TABLE (node bigint, pagerank float8)
AS 'MODULE_PATHNAME', 'vic_pagerank'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10000 ROWS 1000;
COMMENT ON FUNCTION vic.pagerank(vic.graph, float8, bigint[], float8, integer) IS 'weighted (personalised) PageRank by power iteration as networkx (Brin & Page 1998); dangling mass goes to the personalization vector';

CREATE FUNCTION vic.betweenness(g vic.graph, directed boolean DEFAULT true,
	normalized boolean DEFAULT false, samples integer DEFAULT NULL, seed bigint DEFAULT 0)
RETURNS TABLE (node bigint, betweenness float8)
AS 'MODULE_PATHNAME', 'vic_betweenness'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100000 ROWS 1000;
COMMENT ON FUNCTION vic.betweenness(vic.graph, boolean, boolean, integer, bigint) IS 'betweenness over hop-count shortest paths (Brandes 2001), exact or from a seeded sample of sources (Brandes & Pich 2007)';

CREATE FUNCTION vic.burt_constraint(g vic.graph)
RETURNS TABLE (node bigint, "constraint" float8, effective_size float8)
AS 'MODULE_PATHNAME', 'vic_burt_constraint'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000 ROWS 1000;
COMMENT ON FUNCTION vic.burt_constraint(vic.graph) IS 'Burt''s (1992) constraint and effective size on the weighted undirected view, as networkx''s constraint and effective_size';

-- --------------------------------------------------------------------
-- Communities of the undirected view
-- --------------------------------------------------------------------
CREATE FUNCTION vic.communities(g vic.graph, method text DEFAULT 'leiden',
	resolution float8 DEFAULT 1.0, seed bigint DEFAULT 0)
RETURNS TABLE (node bigint, community bigint)
AS 'MODULE_PATHNAME', 'vic_communities'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100000 ROWS 1000;
COMMENT ON FUNCTION vic.communities(vic.graph, text, float8, bigint) IS 'communities maximising modularity with resolution on the symmetrised graph (weights of both directions summed): method leiden (Traag, Waltman & van Eck 2019) or louvain (Blondel et al. 2008); community = smallest node id in it; deterministic for a seed';

CREATE FUNCTION vic.modularity(g vic.graph, nodes bigint[], communities bigint[],
	resolution float8 DEFAULT 1.0)
RETURNS float8
AS 'MODULE_PATHNAME', 'vic_modularity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION vic.modularity(vic.graph, bigint[], bigint[], float8) IS 'modularity Q = sum_c [L_c/m - resolution (K_c/2m)^2] (Newman & Girvan 2004) of the partition putting nodes[i] in communities[i], on the symmetrised graph; a self-loop counts twice in the strength; NaN when the graph has no edge weight';
