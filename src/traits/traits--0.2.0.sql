-- ====================================================================
-- vic traits: how virtual an industrial cluster is, from its profile,
-- its links and the reference economy.  See doc/traits.md.
-- ====================================================================

-- --------------------------------------------------------------------
-- The four traits and the virtuality index
-- --------------------------------------------------------------------
-- ratio(a, b): a / b capped to [0, 1]; NULL when either is NULL or b is 0.
CREATE FUNCTION vic.trait_ratio(a float8, b float8) RETURNS float8
AS $$ SELECT CASE WHEN b <= 0 THEN NULL
                  ELSE greatest(0, least(1, a / b)) END $$
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1
SET search_path = pg_catalog;
COMMENT ON FUNCTION vic.trait_ratio(float8, float8) IS 'a / b clamped to [0, 1], NULL when a or b is NULL or b <= 0 (the scale of the traits of vic.traits)';

CREATE FUNCTION vic.traits(p vic.profile, l vic.links, reference vic.profile,
	previous vic.profile DEFAULT NULL, industry_links vic.links DEFAULT NULL,
	OUT cross_regional float8, OUT cross_industry float8, OUT openness float8,
	OUT dispersion float8, OUT virtuality float8, OUT kind text)
RETURNS record
AS $body$
WITH parts AS (
	SELECT
		-- cross-regional: links that cross regions, and members spread over regions like the economy
		vic.cross_region_share(l) AS crs,
		vic.trait_ratio(vic.entropy(p, 'region'), vic.entropy(reference, 'region')) AS spread,
		-- cross-industry: variety across divisions against the economy's, links across industries
		vic.trait_ratio(vic.unrelated_variety(p, 2), vic.unrelated_variety(reference, 2)) AS variety,
		vic.cross_region_share(industry_links) AS cil,
		-- openness: the share of the members of either date not in both (1 - Jaccard)
		CASE WHEN previous IS NULL THEN NULL ELSE 1 - vic.jaccard(previous, p) END AS churn,
		-- dispersion: spatial spread against the economy's
		vic.trait_ratio(vic.standard_distance(p), vic.standard_distance(reference)) AS spread_m
	WHERE p IS NOT NULL AND reference IS NOT NULL
), traits AS (
	SELECT CASE WHEN crs IS NULL AND spread IS NULL THEN NULL
	            ELSE (coalesce(crs, 0) + coalesce(spread, 0)) / ((crs IS NOT NULL)::int + (spread IS NOT NULL)::int) END AS cr,
	       CASE WHEN variety IS NULL AND cil IS NULL THEN NULL
	            ELSE (coalesce(variety, 0) + coalesce(cil, 0)) / ((variety IS NOT NULL)::int + (cil IS NOT NULL)::int) END AS ci,
	       churn AS op, spread_m AS di
	FROM parts
), index AS (
	-- weights: the spatial traits 0.35 each, cross-industry and openness 0.15 each, renormalised
	-- over the traits that are known
	SELECT cr, ci, op, di,
	       (0.35 * coalesce(cr, 0) + 0.15 * coalesce(ci, 0) + 0.15 * coalesce(op, 0) + 0.35 * coalesce(di, 0))
	       / nullif(0.35 * (cr IS NOT NULL)::int + 0.15 * (ci IS NOT NULL)::int
	                + 0.15 * (op IS NOT NULL)::int + 0.35 * (di IS NOT NULL)::int, 0) AS v
	FROM traits
)
SELECT cr, ci, op, di, v,
       CASE WHEN v IS NULL THEN NULL WHEN v < 0.45 THEN 'traditional' WHEN v < 0.65 THEN 'hybrid' ELSE 'virtual' END
FROM index
$body$
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 2000
SET search_path = pg_catalog, vic;
COMMENT ON FUNCTION vic.traits(vic.profile, vic.links, vic.profile, vic.profile, vic.links) IS 'the four traits of a virtual cluster in [0, 1] (cross_regional, cross_industry, openness, dispersion; doc/traits.md), their weighted mean virtuality and kind (traditional < 0.45 <= hybrid < 0.65 <= virtual); openness NULL without previous; all NULL when p or reference is NULL';
