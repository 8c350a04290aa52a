-- test/upgrade/catalog.sql: every object of extension vic, one line each with what defines it
-- (markings, signatures, support functions, comments), with no OIDs, so two databases compare as
-- text.  Used by test/upgrade/run.sh to compare an updated 0.1.0 install with a fresh one.
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'vic'),
mem AS (
	SELECT d.classid, d.objid
	FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
)
SELECT line FROM (
	-- functions and aggregates
	SELECT format('function %s(%s) returns %s | vol=%s strict=%s par=%s cost=%s rows=%s secdef=%s leak=%s config=%s support=%s lang=%s src=%s | %s',
		p.oid::regproc, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
		p.provolatile, p.proisstrict, p.proparallel, p.procost, p.prorows, p.prosecdef,
		p.proleakproof, p.proconfig, p.prosupport, l.lanname,
		CASE WHEN l.lanname = 'c' THEN p.prosrc ELSE md5(p.prosrc) END,
		coalesce(obj_description(p.oid, 'pg_proc'), '<no comment>')) AS line
	FROM mem JOIN pg_proc p ON mem.classid = 'pg_proc'::regclass AND p.oid = mem.objid
	JOIN pg_language l ON l.oid = p.prolang
	UNION ALL
	SELECT format('aggregate %s(%s) | trans=%s combine=%s final=%s serial=%s deserial=%s stype=%s sspace=%s init=%s finalextra=%s finalmodify=%s mtrans=%s sortop=%s',
		a.aggfnoid::regproc, pg_get_function_arguments(a.aggfnoid), a.aggtransfn, a.aggcombinefn,
		a.aggfinalfn, a.aggserialfn, a.aggdeserialfn, a.aggtranstype::regtype, a.aggtransspace,
		a.agginitval, a.aggfinalextra, a.aggfinalmodify, a.aggmtransfn, a.aggsortop::regoperator)
	FROM mem JOIN pg_aggregate a ON mem.classid = 'pg_proc'::regclass AND a.aggfnoid = mem.objid
	UNION ALL
	-- types
	SELECT format('type %s | len=%s byval=%s align=%s storage=%s cat=%s pref=%s in=%s out=%s recv=%s send=%s typmodin=%s analyze=%s subscript=%s elem=%s array=%s collatable=%s | %s',
		t.oid::regtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory,
		t.typispreferred, t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin,
		t.typanalyze, t.typsubscript, t.typelem::regtype, t.typarray::regtype, t.typcollation <> 0,
		coalesce(obj_description(t.oid, 'pg_type'), '<no comment>'))
	FROM mem JOIN pg_type t ON mem.classid = 'pg_type'::regclass AND t.oid = mem.objid
	UNION ALL
	-- operators
	SELECT format('operator %s | code=%s com=%s neg=%s rest=%s join=%s hash=%s merge=%s | %s',
		o.oid::regoperator, o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator,
		o.oprrest, o.oprjoin, o.oprcanhash, o.oprcanmerge,
		coalesce(obj_description(o.oid, 'pg_operator'), '<no comment>'))
	FROM mem JOIN pg_operator o ON mem.classid = 'pg_operator'::regclass AND o.oid = mem.objid
	UNION ALL
	-- casts
	SELECT format('cast %s -> %s | func=%s context=%s method=%s | %s',
		c.castsource::regtype, c.casttarget::regtype, c.castfunc::regprocedure, c.castcontext,
		c.castmethod, coalesce(obj_description(c.oid, 'pg_cast'), '<no comment>'))
	FROM mem JOIN pg_cast c ON mem.classid = 'pg_cast'::regclass AND c.oid = mem.objid
	UNION ALL
	-- operator classes and families, with their members
	SELECT format('opclass %s using %s | type=%s default=%s family=%s',
		oc.opcname, am.amname, oc.opcintype::regtype, oc.opcdefault, of.opfname)
	FROM mem JOIN pg_opclass oc ON mem.classid = 'pg_opclass'::regclass AND oc.oid = mem.objid
	JOIN pg_am am ON am.oid = oc.opcmethod JOIN pg_opfamily of ON of.oid = oc.opcfamily
	UNION ALL
	SELECT format('opfamily %s using %s | ops=%s procs=%s', of.opfname, am.amname,
		(SELECT string_agg(format('%s:%s', ao.amopstrategy, ao.amopopr::regoperator), ',' ORDER BY ao.amopstrategy, ao.amopopr::regoperator::text)
		 FROM pg_amop ao WHERE ao.amopfamily = of.oid),
		(SELECT string_agg(format('%s:%s', ap.amprocnum, ap.amproc::regprocedure), ',' ORDER BY ap.amprocnum, ap.amproc::regprocedure::text)
		 FROM pg_amproc ap WHERE ap.amprocfamily = of.oid))
	FROM mem JOIN pg_opfamily of ON mem.classid = 'pg_opfamily'::regclass AND of.oid = mem.objid
	JOIN pg_am am ON am.oid = of.opfmethod
	UNION ALL
	-- tables, views and sequences, with their columns
	SELECT format('relation %s kind=%s | %s | %s', r.oid::regclass, r.relkind,
		(SELECT string_agg(format('%s %s%s', a.attname, format_type(a.atttypid, a.atttypmod),
		                          CASE WHEN a.attnotnull THEN ' not null' ELSE '' END), ', ' ORDER BY a.attnum)
		 FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
		coalesce(obj_description(r.oid, 'pg_class'), '<no comment>'))
	FROM mem JOIN pg_class r ON mem.classid = 'pg_class'::regclass AND r.oid = mem.objid
	UNION ALL
	-- anything else the extension owns, by its description
	SELECT 'object ' || pg_describe_object(mem.classid, mem.objid, 0)
	FROM mem
	WHERE mem.classid NOT IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass,
	                          'pg_cast'::regclass, 'pg_opclass'::regclass, 'pg_opfamily'::regclass,
	                          'pg_class'::regclass)
	UNION ALL
	-- constraints and indexes of the extension's tables, and the dump configuration
	SELECT format('constraint %s on %s | %s', co.conname, co.conrelid::regclass, pg_get_constraintdef(co.oid))
	FROM mem JOIN pg_constraint co ON mem.classid = 'pg_class'::regclass AND co.conrelid = mem.objid
	UNION ALL
	SELECT format('index %s', pg_get_indexdef(i.indexrelid))
	FROM mem JOIN pg_index i ON mem.classid = 'pg_class'::regclass AND i.indrelid = mem.objid
	UNION ALL
	SELECT format('config_dump %s | %s', c::regclass, cond)
	FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(c, cond)
	WHERE e.extname = 'vic'
) s
ORDER BY line COLLATE "C";
