-- pgTAP: conventions of the install script (doc/architecture.md, "Names" and "Declarations"):
-- every routine documented and honestly marked, every aggregate parallel safe, set-returning
-- functions declared RETURNS TABLE, no routine named by a reserved word, and a name shared by two
-- families only where it means the same thing in both.
BEGIN;
SELECT plan(13);

-- The family of a routine: for an aggregate, the summary type it builds; otherwise the first vic
-- base type among its arguments, else its result type, else common (vic.version).
CREATE TEMP VIEW routine AS
SELECT p.oid, p.proname, p.prokind, p.proretset, p.provolatile, p.proparallel, p.prolang,
       p.proargmodes, p.proisstrict, p.prosecdef, p.proconfig, p.pronargdefaults, p.proargdefaults, p.oid::regprocedure::text AS sig,
       coalesce((SELECT t.typname FROM pg_type t
                 WHERE p.prokind = 'a' AND t.oid = p.prorettype AND t.typtype = 'b'
                   AND t.typnamespace = 'vic'::regnamespace),
                (SELECT t.typname FROM unnest(p.proargtypes) WITH ORDINALITY a(t, i)
                 JOIN pg_type t ON t.oid = a.t
                 WHERE t.typtype = 'b' AND t.typnamespace = 'vic'::regnamespace
                 ORDER BY a.i LIMIT 1),
                (SELECT t.typname FROM pg_type t
                 WHERE t.oid = p.prorettype AND t.typtype = 'b'
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
-- the merge aggregate, the merge operator, equality and centroid, nothing else.
SELECT is_empty($$SELECT name FROM (
                  SELECT proname::text AS name, family FROM routine
                  UNION
                  SELECT o.oprname::text, coalesce(
                           (SELECT t.typname::text FROM pg_type t WHERE t.oid = o.oprleft
                              AND t.typnamespace = 'vic'::regnamespace), 'common')
                  FROM pg_operator o WHERE o.oprnamespace = 'vic'::regnamespace) s
                GROUP BY name HAVING count(DISTINCT family) > 1
                EXCEPT SELECT unnest(ARRAY['merge_agg', '||', '=', '<>', 'centroid'])$$,
              'only merge_agg, ||, =, <> and centroid are defined by more than one family');

-- Security (doc/architecture.md, Declarations): no routine runs with its owner's rights, every
-- routine not written in C pins its search_path, and the extension is not trusted.
SELECT is_empty($$SELECT sig FROM routine WHERE prosecdef$$,
                'no routine is SECURITY DEFINER');

SELECT is_empty($$SELECT r.sig FROM routine r JOIN pg_language l ON l.oid = r.prolang
                  WHERE l.lanname NOT IN ('c', 'internal')
                    AND NOT coalesce(EXISTS (SELECT 1 FROM unnest(r.proconfig) c
                                              WHERE c LIKE 'search\_path=%'), false)$$,
                'every routine not written in C is pinned with SET search_path');

SELECT is(
    (SELECT bool_or(trusted) FROM pg_available_extension_versions WHERE name = 'vic'),
    false, 'no version of the extension is trusted');

-- Strictness is deliberate: a function is non-strict only when an argument may be NULL by
-- design (it has a DEFAULT NULL) or when it supports an aggregate (a state may be NULL).
SELECT is_empty($$SELECT r.sig FROM routine r
                  WHERE r.prokind = 'f' AND NOT r.proisstrict
                    AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
                                    WHERE r.oid IN (a.aggtransfn, a.aggcombinefn, a.aggfinalfn))
                    AND NOT coalesce(pg_get_function_arguments(r.oid) LIKE '%DEFAULT NULL%', false)$$,
                'a function is non-strict only for a DEFAULT NULL argument or as aggregate support');

SELECT * FROM finish();
ROLLBACK;
