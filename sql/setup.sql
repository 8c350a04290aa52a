-- Installs vic into the regression database; later files assume it.
CREATE EXTENSION vic;
SELECT extversion = vic.version() AS version_matches FROM pg_extension WHERE extname = 'vic';
SELECT nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'vic';
SELECT extrelocatable FROM pg_extension WHERE extname = 'vic';
