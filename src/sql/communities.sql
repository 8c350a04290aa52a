
-- ---------------------------------------------------------------------------
-- Communities of the undirected view of vic.graph (doc/communities.md)
-- ---------------------------------------------------------------------------
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
