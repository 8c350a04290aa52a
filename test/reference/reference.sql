-- test/reference/reference.sql: doc/reference.md from the installed catalogue: every type,
-- aggregate, function, operator and cast of schema vic with its signature and its COMMENT, by family
-- (the summary type an aggregate builds, else the first vic type among the arguments, else the
-- result type).  make reference writes it; test/reference/run.sh fails when the committed file
-- differs, so no function is missing from the reference.
WITH routine AS (
	SELECT p.oid, p.proname, p.prokind,
	       coalesce((SELECT t.typname::text FROM pg_type t
	                 WHERE p.prokind = 'a' AND t.oid = p.prorettype AND t.typtype = 'b'
	                   AND t.typnamespace = 'vic'::regnamespace),
	                (SELECT t.typname::text FROM unnest(p.proargtypes) WITH ORDINALITY a(t, i)
	                 JOIN pg_type t ON t.oid = a.t
	                 WHERE t.typtype = 'b' AND t.typnamespace = 'vic'::regnamespace ORDER BY a.i LIMIT 1),
	                (SELECT t.typname::text FROM pg_type t
	                 WHERE t.oid = p.prorettype AND t.typtype = 'b' AND t.typnamespace = 'vic'::regnamespace),
	                'common') AS family,
	       format('%s(%s)', p.proname, pg_get_function_arguments(p.oid)) AS sig,
	       pg_get_function_result(p.oid) AS result,
	       obj_description(p.oid, 'pg_proc') AS comment
	FROM pg_proc p
	WHERE p.pronamespace = 'vic'::regnamespace
	  -- support functions of types and aggregates are listed under their type
	  AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend))
),
fam AS (
	SELECT DISTINCT family, CASE family WHEN 'common' THEN 0 WHEN 'industry' THEN 1 WHEN 'profile' THEN 2
	                                    WHEN 'graph' THEN 3 ELSE 4 END AS ord FROM routine
),
lines AS (
	SELECT 0 AS f, '' AS family, 0 AS k, '' AS key, E'# vic reference\n\nEvery type, aggregate, function, operator and cast of schema `vic`, with its signature and its\ndescription (the `COMMENT` in the install script), by family. Generated from the catalogue by\n`make reference` (`test/reference/reference.sql`); `make test` fails when a function is missing\nhere. Formulas, units and sources are in each family''s page under `doc/`.\n' AS line
	UNION ALL
	SELECT fam.ord, fam.family, 1, '', format(E'\n## %s\n', CASE fam.family WHEN 'common' THEN 'common' ELSE 'vic.' || fam.family END) FROM fam
	UNION ALL
	SELECT fam.ord, fam.family, 2, '', format(E'| type | description |\n|---|---|\n| `vic.%s` | %s |\n', t.typname,
	       replace(coalesce(obj_description(t.oid, 'pg_type'), ''), '|', '\|'))
	FROM fam JOIN pg_type t ON t.typname = fam.family AND t.typnamespace = 'vic'::regnamespace
	UNION ALL
	SELECT fam.ord, fam.family, 3, '', E'\n| aggregate or function | returns | description |\n|---|---|---|' FROM fam
	UNION ALL
	SELECT fam.ord, r.family, 4, r.sig, format('| `%s` %s | %s | %s |', replace(r.sig, '|', '\|'),
	       CASE r.prokind WHEN 'a' THEN '(aggregate)' ELSE '' END, replace(r.result, '|', '\|'),
	       replace(coalesce(r.comment, ''), '|', '\|'))
	FROM routine r JOIN fam USING (family)
	UNION ALL
	SELECT fam.ord, fam.family, 5, '', E'\n| operator | description |\n|---|---|' FROM fam
	WHERE EXISTS (SELECT 1 FROM pg_operator o JOIN pg_type t ON t.oid = o.oprleft
	              WHERE o.oprnamespace = 'vic'::regnamespace AND t.typname = fam.family)
	UNION ALL
	SELECT fam.ord, fam.family, 6, o.oid::regoperator::text,
	       format('| `%s` | %s |', o.oid::regoperator::text, replace(coalesce(obj_description(o.oid, 'pg_operator'), ''), '|', '\|'))
	FROM pg_operator o JOIN pg_type t ON t.oid = o.oprleft JOIN fam ON fam.family = t.typname
	WHERE o.oprnamespace = 'vic'::regnamespace
	UNION ALL
	SELECT fam.ord, fam.family, 7, '', E'\n| cast | description |\n|---|---|' FROM fam
	WHERE EXISTS (SELECT 1 FROM pg_cast c JOIN pg_type t ON t.oid IN (c.castsource, c.casttarget)
	              WHERE t.typnamespace = 'vic'::regnamespace AND t.typname = fam.family)
	UNION ALL
	SELECT fam.ord, fam.family, 8, format('%s %s', c.castsource::regtype, c.casttarget::regtype),
	       format('| `%s` → `%s` | %s |', c.castsource::regtype, c.casttarget::regtype,
	              replace(coalesce(obj_description(c.oid, 'pg_cast'), ''), '|', '\|'))
	FROM pg_cast c JOIN pg_type t ON t.oid IN (c.castsource, c.casttarget) AND t.typnamespace = 'vic'::regnamespace
	JOIN fam ON fam.family = t.typname
)
SELECT line FROM lines ORDER BY f, family, k, key COLLATE "C", line COLLATE "C";
