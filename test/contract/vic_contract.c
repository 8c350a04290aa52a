/*-------------------------------------------------------------------------
 *
 * vic_contract.c
 *		Test-only module (never installed with vic): a pair of wrapper
 *		aggregates that call another aggregate's support functions the way
 *		Citus's distributed aggregation does (worker_partial_agg /
 *		coord_combine_agg in Citus's src/backend/distributed/utils/
 *		aggregate_utils.c), so that vic's aggregates can be tested under that
 *		calling contract without Citus, which Debian 12 does not package.
 *
 *		This is an independent implementation of the same behaviour, written
 *		for vic's tests (PostgreSQL License); no Citus code is copied.
 *
 * The contract, as Citus implements it and as emulated here:
 *
 *	worker side   contract.partial_agg(aggfnoid oid, arg anyelement) -> cstring
 *		arg is the aggregate's only argument, or ROW(arg1, ..., argN) for an
 *		aggregate of N > 1 arguments (Citus wraps them the same way).  The
 *		state is a box in the outer aggregate's memory context; every row the
 *		inner transition function is looked up again (fmgr_info into a
 *		FmgrInfo on the stack, so fn_extra is NULL on every call and fn_mcxt
 *		is the outer aggregate's per-row context) and called through a fresh
 *		FunctionCallInfo whose context is the OUTER AggState (whose plan and
 *		Aggref are the wrapper's, not the inner aggregate's).  The final
 *		function never calls the inner final function: it emits the inner
 *		state through the state type's output function.
 *
 *	coordinator   contract.combine_agg(aggfnoid oid, part cstring,
 *								   null_tag anyelement) -> anyelement
 *		every part is parsed with the state type's input function and folded
 *		into the box with the inner combine function (again a fresh FmgrInfo
 *		per call); the final function applies the inner final function (or
 *		returns the state when there is none).  null_tag is a NULL of the
 *		aggregate's result type, which fixes the polymorphic result type
 *		(Citus's planner passes the same null constant).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/regproc.h"
#include "utils/datum.h"
#include "utils/expandeddatum.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

PG_MODULE_MAGIC;

/* the aggregate's arguments of one row: one value, or the fields of a ROW() */
typedef struct ContractArgs
{
	int			nargs;
	bool		from_record;
	TupleDesc	tupdesc;		/* copy in the aggregate context, from_record only */
	Datum	   *values;
	bool	   *nulls;
} ContractArgs;

/* the wrapper's state: the inner aggregate's state plus what is needed to handle it */
typedef struct ContractBox
{
	Oid			aggfnoid;
	Oid			transtype;
	int16		translen;
	bool		transbyval;
	Datum		value;
	bool		isnull;
	bool		started;		/* value holds an initial value or a first input */
	ContractArgs *args;			/* worker side only */
} ContractBox;

PG_FUNCTION_INFO_V1(contract_partial_sfunc);
PG_FUNCTION_INFO_V1(contract_partial_ffunc);
PG_FUNCTION_INFO_V1(contract_combine_sfunc);
PG_FUNCTION_INFO_V1(contract_combine_ffunc);

static inline void
set_arg(FunctionCallInfo f, int i, Datum v, bool isnull)
{
	f->args[i].value = v;
	f->args[i].isnull = isnull;
}

/* the aggregate context of the outer (wrapper) aggregate */
static MemoryContext
outer_agg_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "vic_contract: called outside an aggregate");
	return aggcxt;
}

static HeapTuple
lookup_aggregate(Oid aggfnoid, Form_pg_aggregate *form)
{
	HeapTuple	tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggfnoid));

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("vic_contract: %u is not an aggregate", aggfnoid)));
	*form = (Form_pg_aggregate) GETSTRUCT(tup);
	return tup;
}

static void
check_execute(Oid fn, ObjectType kind)
{
	AclResult	r;

	if (!OidIsValid(fn))
		return;
#if PG_VERSION_NUM >= 160000
	r = object_aclcheck(ProcedureRelationId, fn, GetUserId(), ACL_EXECUTE);
#else
	r = pg_proc_aclcheck(fn, GetUserId(), ACL_EXECUTE);
#endif
	if (r != ACLCHECK_OK)
		aclcheck_error(r, kind, get_func_name(fn));
}

/*
 * Fill in a new box from the aggregate's catalogue row: the permission checks
 * nodeAgg.c would make, the state type, and the initial value (parsed from
 * agginitval in the aggregate context, or NULL and not started).
 */
static void
box_init(FunctionCallInfo fcinfo, ContractBox *box, HeapTuple aggtup)
{
	Form_pg_aggregate agg = (Form_pg_aggregate) GETSTRUCT(aggtup);
	Datum		initval;
	bool		noinit;

	check_execute(agg->aggfnoid, OBJECT_AGGREGATE);
	check_execute(agg->aggtransfn, OBJECT_FUNCTION);
	check_execute(agg->aggfinalfn, OBJECT_FUNCTION);
	check_execute(agg->aggcombinefn, OBJECT_FUNCTION);
	check_execute(agg->aggserialfn, OBJECT_FUNCTION);
	check_execute(agg->aggdeserialfn, OBJECT_FUNCTION);

	box->transtype = agg->aggtranstype;
	get_typlenbyval(box->transtype, &box->translen, &box->transbyval);
	initval = SysCacheGetAttr(AGGFNOID, aggtup, Anum_pg_aggregate_agginitval, &noinit);
	box->isnull = noinit;
	box->started = !noinit;
	box->value = (Datum) 0;
	if (!noinit)
	{
		MemoryContext old = MemoryContextSwitchTo(outer_agg_context(fcinfo));
		Oid			typinput;
		Oid			typioparam;
		char	   *s = TextDatumGetCString(initval);

		getTypeInputInfo(box->transtype, &typinput, &typioparam);
		box->value = OidInputFunctionCall(typinput, s, typioparam, -1);
		pfree(s);
		MemoryContextSwitchTo(old);
	}
}

/*
 * For the final functions, called without a state when the wrapper aggregate
 * saw no row: a box built from the Aggref's first argument, which must be a
 * constant aggregate oid; NULL otherwise.
 */
static ContractBox *
box_from_aggref(FunctionCallInfo fcinfo)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	TargetEntry *te;
	Const	   *c;
	ContractBox *box;
	Form_pg_aggregate agg;
	HeapTuple	tup;

	if (aggref == NULL || aggref->args == NIL)
		return NULL;
	te = linitial_node(TargetEntry, aggref->args);
	if (!IsA(te->expr, Const))
		return NULL;
	c = (Const *) te->expr;
	if (c->constisnull || (c->consttype != OIDOID && c->consttype != REGPROCEDUREOID))
		return NULL;
	box = MemoryContextAllocZero(outer_agg_context(fcinfo), sizeof(ContractBox));
	box->aggfnoid = DatumGetObjectId(c->constvalue);
	tup = lookup_aggregate(box->aggfnoid, &agg);
	box_init(fcinfo, box, tup);
	ReleaseSysCache(tup);
	return box;
}

/* the shape of the aggregate's arguments, from the first row's argument argno */
static ContractArgs *
args_create(FunctionCallInfo fcinfo, int argno)
{
	MemoryContext aggcxt = outer_agg_context(fcinfo);
	ContractArgs *a = MemoryContextAllocZero(aggcxt, sizeof(ContractArgs));

	if (get_fn_expr_argtype(fcinfo->flinfo, argno) == RECORDOID)
	{
		HeapTupleHeader th;
		TupleDesc	td;

		if (PG_ARGISNULL(argno))
			ereport(ERROR, (errmsg("vic_contract: the ROW() of the arguments is NULL")));
		th = PG_GETARG_HEAPTUPLEHEADER(argno);
		td = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th),
									HeapTupleHeaderGetTypMod(th));
		a->tupdesc = MemoryContextAlloc(aggcxt, TupleDescSize(td));
		TupleDescCopy(a->tupdesc, td);
		ReleaseTupleDesc(td);
		a->from_record = true;
		a->nargs = a->tupdesc->natts;
	}
	else
		a->nargs = 1;
	a->values = MemoryContextAllocZero(aggcxt, sizeof(Datum) * a->nargs);
	a->nulls = MemoryContextAllocZero(aggcxt, sizeof(bool) * a->nargs);
	return a;
}

/* this row's argument values (pointing into the row: valid for this call only) */
static void
args_read(FunctionCallInfo fcinfo, int argno, ContractArgs *a)
{
	if (!a->from_record)
	{
		a->values[0] = PG_GETARG_DATUM(argno);
		a->nulls[0] = PG_ARGISNULL(argno);
		return;
	}
	if (PG_ARGISNULL(argno))
	{
		for (int i = 0; i < a->nargs; i++)
		{
			a->values[i] = (Datum) 0;
			a->nulls[i] = true;
		}
		return;
	}
	{
		HeapTupleHeader th = DatumGetHeapTupleHeader(PG_GETARG_DATUM(argno));
		HeapTupleData tuple;

		if (HeapTupleHeaderGetNatts(th) != a->nargs ||
			HeapTupleHeaderGetTypeId(th) != a->tupdesc->tdtypeid ||
			HeapTupleHeaderGetTypMod(th) != a->tupdesc->tdtypmod)
			ereport(ERROR, (errmsg("vic_contract: a row's ROW() of arguments changed shape")));
		tuple.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&tuple.t_self);
		tuple.t_tableOid = InvalidOid;
		tuple.t_data = th;
		heap_deform_tuple(&tuple, a->tupdesc, a->values, a->nulls);
	}
}

/*
 * The arguments given to partial_agg have the types of the aggregate's
 * declared arguments (exact type oids, as Citus checks).
 */
static void
args_typecheck(FunctionCallInfo fcinfo, ContractBox *box, int argno)
{
	Oid		   *argtypes;
	int			nargs;

	get_func_signature(box->aggfnoid, &argtypes, &nargs);
	if (nargs != box->args->nargs)
		ereport(ERROR,
				(errmsg("vic_contract: aggregate %s takes %d arguments, got %d",
						format_procedure(box->aggfnoid), nargs, box->args->nargs)));
	for (int i = 0; i < nargs; i++)
	{
		Oid			t = box->args->from_record ?
			TupleDescAttr(box->args->tupdesc, i)->atttypid :
			get_fn_expr_argtype(fcinfo->flinfo, argno);

		if (t != argtypes[i])
			ereport(ERROR,
					(errmsg("vic_contract: argument %d of %s is %s, got %s", i + 1,
							format_procedure(box->aggfnoid),
							format_type_be(argtypes[i]), format_type_be(t))));
	}
	pfree(argtypes);
}

/* the first input becomes the state of a strict function with no initial value */
static void
box_start_with(FunctionCallInfo fcinfo, ContractBox *box, Datum v)
{
	MemoryContext old = MemoryContextSwitchTo(outer_agg_context(fcinfo));

	box->value = datumCopy(v, box->transbyval, box->translen);
	MemoryContextSwitchTo(old);
	box->isnull = false;
	box->started = true;
}

/*
 * Call the prepared inner transition or combine function and keep its result
 * as nodeAgg does: a new pass-by-reference result is copied into the
 * aggregate context unless it is a read-write expanded object that already
 * lives there (its context a child of the aggregate context), and the old
 * state is freed.
 */
static void
box_advance(FunctionCallInfo fcinfo, ContractBox *box, FunctionCallInfo inner)
{
	Datum		r = FunctionCallInvoke(inner);
	bool		rnull = inner->isnull;

	if (!box->transbyval && DatumGetPointer(r) != DatumGetPointer(box->value))
	{
		if (!rnull)
		{
			MemoryContext aggcxt = outer_agg_context(fcinfo);
			MemoryContext old = MemoryContextSwitchTo(aggcxt);

			if (!(DatumIsReadWriteExpandedObject(r, false, box->translen) &&
				  MemoryContextGetParent(DatumGetEOHP(r)->eoh_context) == aggcxt))
				r = datumCopy(r, box->transbyval, box->translen);
			MemoryContextSwitchTo(old);
		}
		if (!box->isnull)
		{
			if (DatumIsReadWriteExpandedObject(box->value, false, box->translen))
				DeleteExpandedObject(box->value);
			else
				pfree(DatumGetPointer(box->value));
		}
	}
	box->value = r;
	box->isnull = rnull;
}

/* the aggregate's state type, checked for what a partial result needs */
static Oid
partial_transtype(ContractBox *box, const char *who)
{
	Form_pg_aggregate agg;
	HeapTuple	tup = lookup_aggregate(box->aggfnoid, &agg);
	Oid			t = agg->aggtranstype;
	Oid			combine = agg->aggcombinefn;

	ReleaseSysCache(tup);
	if (!OidIsValid(combine))
		ereport(ERROR, (errmsg("vic_contract: %s needs an aggregate with a COMBINEFUNC", who)));
	if (t == INTERNALOID)
		ereport(ERROR, (errmsg("vic_contract: %s does not take aggregates with an internal state", who)));
	return t;
}

/*
 * partial_agg transition: box.value = transfn(box.value, args...), the
 * transition function looked up afresh for this row.
 */
Datum
contract_partial_sfunc(PG_FUNCTION_ARGS)
{
	LOCAL_FCINFO(inner, FUNC_MAX_ARGS);
	FmgrInfo	flinfo;
	ContractBox *box;
	Form_pg_aggregate agg;
	HeapTuple	tup;
	Oid			transfn;
	bool		first = PG_ARGISNULL(0);

	if (first)
	{
		if (PG_ARGISNULL(1))
			ereport(ERROR, (errmsg("vic_contract: the aggregate oid is NULL")));
		box = MemoryContextAllocZero(outer_agg_context(fcinfo), sizeof(ContractBox));
		box->aggfnoid = PG_GETARG_OID(1);
		box->args = args_create(fcinfo, 2);
	}
	else
		box = (ContractBox *) PG_GETARG_POINTER(0);

	tup = lookup_aggregate(box->aggfnoid, &agg);
	transfn = agg->aggtransfn;
	if (first)
		box_init(fcinfo, box, tup);
	ReleaseSysCache(tup);
	if (first)
		args_typecheck(fcinfo, box, 2);

	args_read(fcinfo, 2, box->args);

	/* a fresh lookup every row: fn_extra NULL, fn_mcxt the per-row context */
	fmgr_info(transfn, &flinfo);
	if (flinfo.fn_strict)
	{
		for (int i = 0; i < box->args->nargs; i++)
			if (box->args->nulls[i])
				PG_RETURN_POINTER(box);
		if (!box->started)
		{
			box_start_with(fcinfo, box, box->args->values[0]);
			PG_RETURN_POINTER(box);
		}
		if (box->isnull)
			PG_RETURN_POINTER(box);
	}

	InitFunctionCallInfoData(*inner, &flinfo, box->args->nargs + 1,
							 fcinfo->fncollation, fcinfo->context, fcinfo->resultinfo);
	set_arg(inner, 0, box->value, box->isnull);
	for (int i = 0; i < box->args->nargs; i++)
		set_arg(inner, i + 1, box->args->values[i], box->args->nulls[i]);
	box_advance(fcinfo, box, inner);
	PG_RETURN_POINTER(box);
}

/* partial_agg final: the inner state through its type's output function */
Datum
contract_partial_ffunc(PG_FUNCTION_ARGS)
{
	LOCAL_FCINFO(inner, 1);
	FmgrInfo	flinfo;
	ContractBox *box = PG_ARGISNULL(0) ? NULL : (ContractBox *) PG_GETARG_POINTER(0);
	Oid			typoutput;
	bool		varlena;
	Datum		r;

	if (box == NULL)
		box = box_from_aggref(fcinfo);
	if (box == NULL || box->isnull)
		PG_RETURN_NULL();

	getTypeOutputInfo(partial_transtype(box, "partial_agg"), &typoutput, &varlena);
	fmgr_info(typoutput, &flinfo);
	InitFunctionCallInfoData(*inner, &flinfo, 1, fcinfo->fncollation,
							 fcinfo->context, fcinfo->resultinfo);
	set_arg(inner, 0, box->value, box->isnull);
	r = FunctionCallInvoke(inner);
	if (inner->isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(r);
}

/*
 * combine_agg transition: box.value = combinefn(box.value, input(part)), the
 * input and combine functions looked up afresh for this call.
 */
Datum
contract_combine_sfunc(PG_FUNCTION_ARGS)
{
	LOCAL_FCINFO(inner, 3);
	FmgrInfo	flinfo;
	ContractBox *box;
	Form_pg_aggregate agg;
	HeapTuple	tup;
	Oid			combinefn;
	Oid			typinput;
	Oid			typioparam;
	Datum		part;
	bool		partnull = PG_ARGISNULL(2);
	bool		first = PG_ARGISNULL(0);

	if (first)
	{
		box = MemoryContextAllocZero(outer_agg_context(fcinfo), sizeof(ContractBox));
		box->aggfnoid = PG_GETARG_OID(1);
	}
	else
		box = (ContractBox *) PG_GETARG_POINTER(0);

	tup = lookup_aggregate(box->aggfnoid, &agg);
	combinefn = agg->aggcombinefn;
	if (!OidIsValid(combinefn))
		ereport(ERROR, (errmsg("vic_contract: combine_agg needs an aggregate with a COMBINEFUNC")));
	if (agg->aggtranstype == INTERNALOID)
		ereport(ERROR, (errmsg("vic_contract: combine_agg does not take aggregates with an internal state")));
	if (first)
		box_init(fcinfo, box, tup);
	ReleaseSysCache(tup);

	/* the partial state from its text form, in the current (per-row) context */
	getTypeInputInfo(box->transtype, &typinput, &typioparam);
	fmgr_info(typinput, &flinfo);
	if (partnull && flinfo.fn_strict)
		part = (Datum) 0;
	else
	{
		InitFunctionCallInfoData(*inner, &flinfo, 3, fcinfo->fncollation,
								 fcinfo->context, fcinfo->resultinfo);
		set_arg(inner, 0, PG_GETARG_DATUM(2), partnull);
		set_arg(inner, 1, ObjectIdGetDatum(typioparam), false);
		set_arg(inner, 2, Int32GetDatum(-1), false);
		part = FunctionCallInvoke(inner);
		partnull = inner->isnull;
	}

	fmgr_info(combinefn, &flinfo);
	if (flinfo.fn_strict)
	{
		if (partnull)
			PG_RETURN_POINTER(box);
		if (!box->started)
		{
			box_start_with(fcinfo, box, part);
			PG_RETURN_POINTER(box);
		}
		if (box->isnull)
			PG_RETURN_POINTER(box);
	}
	InitFunctionCallInfoData(*inner, &flinfo, 2, fcinfo->fncollation,
							 fcinfo->context, fcinfo->resultinfo);
	set_arg(inner, 0, box->value, box->isnull);
	set_arg(inner, 1, part, partnull);
	box_advance(fcinfo, box, inner);
	PG_RETURN_POINTER(box);
}

/* combine_agg final: the inner final function of the combined state */
Datum
contract_combine_ffunc(PG_FUNCTION_ARGS)
{
	LOCAL_FCINFO(inner, FUNC_MAX_ARGS);
	FmgrInfo	flinfo;
	ContractBox *box = PG_ARGISNULL(0) ? NULL : (ContractBox *) PG_GETARG_POINTER(0);
	Form_pg_aggregate agg;
	HeapTuple	tup;
	Oid			finalfn;
	bool		finalextra;
	Aggref	   *aggref;
	TargetEntry *tag;
	Oid			restype;
	int			nargs;
	Datum		r;

	if (box == NULL)
		box = box_from_aggref(fcinfo);
	if (box == NULL)
		PG_RETURN_NULL();

	tup = lookup_aggregate(box->aggfnoid, &agg);
	finalfn = agg->aggfinalfn;
	finalextra = agg->aggfinalextra;
	ReleaseSysCache(tup);

	/* the null tag is a constant of the aggregate's result type */
	restype = OidIsValid(finalfn) ? get_func_rettype(finalfn) : box->transtype;
	aggref = AggGetAggref(fcinfo);
	if (aggref == NULL || list_length(aggref->args) != 3)
		ereport(ERROR, (errmsg("vic_contract: combine_agg takes (oid, cstring, null tag)")));
	tag = (TargetEntry *) lthird(aggref->args);
	if (tag == NULL || !IsA(tag->expr, Const) || ((Const *) tag->expr)->consttype != restype)
		ereport(ERROR,
				(errmsg("vic_contract: the null tag of combine_agg must be a NULL::%s",
						format_type_be(restype))));

	if (!OidIsValid(finalfn))
	{
		if (box->isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(box->value);
	}
	if (func_strict(finalfn) && box->isnull)
		PG_RETURN_NULL();

	nargs = finalextra ? PG_NARGS() : 1;
	fmgr_info(finalfn, &flinfo);
	InitFunctionCallInfoData(*inner, &flinfo, nargs, fcinfo->fncollation,
							 fcinfo->context, fcinfo->resultinfo);
	set_arg(inner, 0, box->value, box->isnull);
	for (int i = 1; i < nargs; i++)
		set_arg(inner, i, (Datum) 0, true);
	r = FunctionCallInvoke(inner);
	fcinfo->isnull = inner->isnull;
	return r;
}
