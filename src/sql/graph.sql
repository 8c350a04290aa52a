
-- ---------------------------------------------------------------------------
-- vic.graph: a directed, weighted graph over bigint node ids (supplier -> buyer)
-- ---------------------------------------------------------------------------
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

CREATE FUNCTION vic.graph_concat(vic.graph, vic.graph) RETURNS vic.graph
AS 'MODULE_PATHNAME', 'vic_graph_concat'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION vic.graph_concat(vic.graph, vic.graph) IS 'union of two graphs, weights of common edges summed (the || operator)';

CREATE OPERATOR vic.|| (
    LEFTARG = vic.graph,
    RIGHTARG = vic.graph,
    FUNCTION = vic.graph_concat,
    COMMUTATOR = OPERATOR(vic.||)
);
COMMENT ON OPERATOR vic.|| (vic.graph, vic.graph) IS 'union of two graphs, weights of common edges summed';

CREATE FUNCTION vic.node_count(g vic.graph) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_node_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.node_count(vic.graph) IS 'number of nodes (every node has at least one edge)';

CREATE FUNCTION vic.edge_count(g vic.graph) RETURNS bigint
AS 'MODULE_PATHNAME', 'vic_edge_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.edge_count(vic.graph) IS 'number of distinct directed edges (self-loops included)';

CREATE FUNCTION vic.edges(g vic.graph, OUT src bigint, OUT dst bigint, OUT weight float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'vic_edges'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 1000;
COMMENT ON FUNCTION vic.edges(vic.graph) IS 'the edges of a graph as rows (src, dst, weight) in (src, dst) order';
