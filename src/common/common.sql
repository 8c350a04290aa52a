\echo Use "CREATE EXTENSION vic" to load this file. \quit

-- ====================================================================
-- vic: the core shared by every family (src/common)
-- ====================================================================
CREATE FUNCTION vic.version() RETURNS text
AS 'MODULE_PATHNAME', 'vic_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.version() IS 'version of the vic shared library (matches default_version in vic.control)';
