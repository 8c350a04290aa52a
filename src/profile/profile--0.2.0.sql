-- ====================================================================
-- vic.profile in 0.2.0: a readable JSON form for BI tools and drivers.
-- ====================================================================

-- --------------------------------------------------------------------
-- JSON
-- --------------------------------------------------------------------
-- The body calls PostGIS (ST_X, ST_Y of the centroid); its search_path is pinned to pg_catalog,
-- vic and the schema PostGIS is installed in, found when this script runs.
DO $do$
BEGIN
	EXECUTE format($f$
CREATE FUNCTION vic.profile_jsonb(p vic.profile) RETURNS jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 500
SET search_path = pg_catalog, vic, %I
AS $body$
SELECT jsonb_build_object(
	'members', vic.member_count(p),
	'located', vic.located_count(p),
	'total_weight', vic.total_weight(p),
	'region_count', vic.region_count(p),
	'industries', (SELECT coalesce(jsonb_agg(jsonb_build_object('industry', s.industry::text, 'weight', s.weight, 'share', s.share)
	                                         ORDER BY s.weight DESC, s.industry), '[]'::jsonb)
	               FROM vic.industry_shares(p) AS s),
	'regions', (SELECT coalesce(jsonb_agg(jsonb_build_object('region', s.region, 'weight', s.weight, 'share', s.share)
	                                      ORDER BY s.weight DESC, s.region), '[]'::jsonb)
	            FROM vic.region_shares(p) AS s),
	'centroid', (SELECT CASE WHEN c IS NULL THEN NULL
	                         ELSE jsonb_build_object('lon', ST_X(c::geometry), 'lat', ST_Y(c::geometry)) END
	             FROM vic.centroid(p) AS c),
	'standard_distance_m', vic.standard_distance(p))
$body$$f$, (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'));
END
$do$;
COMMENT ON FUNCTION vic.profile_jsonb(vic.profile) IS 'readable JSON of a profile: member, located and region counts, total weight, industries and regions with weights and shares (largest first), centroid (lon, lat in degrees, null when no member is located), standard distance in metres; not the storage format';

CREATE FUNCTION vic.profile_json(p vic.profile) RETURNS json
AS 'SELECT vic.profile_jsonb(p)::json'
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 500
SET search_path = pg_catalog, vic;
COMMENT ON FUNCTION vic.profile_json(vic.profile) IS 'readable JSON of a profile (as vic.profile_jsonb, typed json)';

CREATE CAST (vic.profile AS jsonb) WITH FUNCTION vic.profile_jsonb(vic.profile);
CREATE CAST (vic.profile AS json) WITH FUNCTION vic.profile_json(vic.profile);
COMMENT ON CAST (vic.profile AS jsonb) IS 'readable JSON of a profile (vic.profile_jsonb)';
COMMENT ON CAST (vic.profile AS json) IS 'readable JSON of a profile (vic.profile_json)';
