-- pgTAP: conventions of the install script (doc/architecture.md, "Names" and "Declarations"):
-- every routine documented and honestly marked, every aggregate parallel safe, set-returning
-- functions declared RETURNS TABLE, no routine named by a reserved word, and a name shared by two
-- families only where it means the same thing in both.
BEGIN;
SELECT plan(9);

-- The family of a routine: the first vic type among its arguments, else its result type, else
-- common (vic.version).
CREATE TEMP VIEW routine AS
SELECT p.oid, p.proname, p.prokind, p.proretset, p.provolatile, p.proparallel, p.prolang,
       p.proargmodes, p.oid::regprocedure::text AS sig,
       coalesce((SELECT t.typname FROM unnest(p.proargtypes) WITH ORDINALITY a(t, i)
                 JOIN pg_type t ON t.oid = a.t
                 WHERE t.typname IN ('industry', 'profile', 'graph')
                   AND t.typnamespace = 'vic'::regnamespace
                 ORDER BY a.i LIMIT 1),
                (SELECT t.typname FROM pg_type t
                 WHERE t.oid = p.prorettype AND t.typname IN ('industry', 'profile', 'graph')
                   AND t.typnamespace = 'vic'::regnamespace),
                'common') AS family
FROM pg_proc p
WHERE p.pronamespace = 'vic'::regnamespace;

SELECT is_empty($$SELECT sig FROM routine WHERE obj_description(oid, 'pg_proc') IS NULL$$,
                'every function and aggregate has a COMMENT');

SELECT is_empty($$SELECT o.oid::regoperator::text FROM pg_operator o
                  WHERE o.oprnamespace = 'vic'::regnamespace
                    AND obj_description(o.oid, 'pg_operator') IS NULL$$,
                'every operator has a COMMENT');

SELECT is_empty($$SELECT sig FROM routine WHERE proparallel <> 's'$$,
                'every function and aggregate is PARALLEL SAFE');

SELECT is_empty($$SELECT r.sig FROM routine r JOIN pg_aggregate a ON a.aggfnoid = r.oid
                  WHERE a.aggcombinefn = 0$$,
                'every aggregate has a combine function');

SELECT is_empty($$SELECT sig FROM routine WHERE proretset
                  AND NOT coalesce('t' = ANY (proargmodes), false)$$,
                'every set-returning function is declared RETURNS TABLE');

SELECT is_empty($$SELECT sig FROM routine WHERE NOT proretset AND 't' = ANY (proargmodes)$$,
                'RETURNS TABLE only for set-returning functions');

-- STABLE only where the result reads the database: the catalogue and the planner's statistics.
SELECT set_eq($$SELECT proname::text FROM routine WHERE provolatile <> 'i'$$,
              ARRAY['industry_name', 'industry_contsel'],
              'IMMUTABLE except what reads vic.industry_catalog or statistics');

SELECT is_empty($$SELECT r.sig FROM routine r JOIN pg_get_keywords() k ON k.word = r.proname
                  WHERE k.catcode IN ('R', 'C')$$,
                'no routine is named by a reserved or column-name keyword (callable without the schema)');

-- Names shared across families must mean the same thing everywhere (doc/architecture.md, Names):
-- the merge aggregate, the merge operator and equality; centroid may join them.
SELECT set_eq($$SELECT name FROM (
                  SELECT proname::text AS name, family FROM routine
                  UNION
                  SELECT o.oprname::text, coalesce(
                           (SELECT t.typname::text FROM pg_type t WHERE t.oid = o.oprleft
                              AND t.typnamespace = 'vic'::regnamespace), 'common')
                  FROM pg_operator o WHERE o.oprnamespace = 'vic'::regnamespace) s
                GROUP BY name HAVING count(DISTINCT family) > 1$$,
              ARRAY['merge_agg', '||', '=', '<>'],
              'only merge_agg, ||, = and <> are defined by more than one family');

SELECT * FROM finish();
ROLLBACK;
