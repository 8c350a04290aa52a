/*
 * industry_ops.c
 *		vic.industry: hierarchy functions, the @> / <@ operators, their
 *		planner support (btree range index conditions) and selectivity.
 *
 * Equality, ordering and hashing need no code here: the type is an int64
 * whose plain order is the hierarchical order (see vic.h), so the SQL script
 * binds those operators to PostgreSQL's own int8 functions.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"

#include "common/args.h"
#include "industry.h"

/*
 * Selectivity of "x <@ const" or "x @> const" when no statistics help: about
 * one division's share of a mixed table.
 */
#define VIC_INDUSTRY_DEFAULT_CONTSEL 0.005

/* join selectivity of containment, as PostgreSQL's contjoinsel */
#define DEFAULT_INDUSTRY_JOINSEL 0.001

/* in industry.c, which holds the section tables */
extern VicIndustry industry_subtree_last(VicIndustry c);

PG_FUNCTION_INFO_V1(vic_industry_level);
PG_FUNCTION_INFO_V1(vic_industry_parent);
PG_FUNCTION_INFO_V1(vic_industry_ancestor);
PG_FUNCTION_INFO_V1(vic_industry_scheme);
PG_FUNCTION_INFO_V1(vic_industry_lca);
PG_FUNCTION_INFO_V1(vic_industry_subtree_last);
PG_FUNCTION_INFO_V1(vic_industry_distance);
PG_FUNCTION_INFO_V1(vic_industry_contains);
PG_FUNCTION_INFO_V1(vic_industry_contained);
PG_FUNCTION_INFO_V1(vic_industry_contains_support);
PG_FUNCTION_INFO_V1(vic_industry_contained_support);
PG_FUNCTION_INFO_V1(vic_industry_contsel);

/* industry_level(c): 1 = section (NAICS: sector) ... 4 (NAICS: 5) */
Datum
vic_industry_level(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(industry_level(PG_GETARG_VIC_INDUSTRY(0)));
}

/* industry_parent(c): the code one level up, NULL for a level-1 code */
Datum
vic_industry_parent(PG_FUNCTION_ARGS)
{
	VicIndustry c = PG_GETARG_VIC_INDUSTRY(0);
	int			level = industry_level(c);

	if (level <= 1)
		PG_RETURN_NULL();
	PG_RETURN_VIC_INDUSTRY(industry_ancestor(c, level - 1));
}

/* industry_ancestor(c, level): c's ancestor at level, c itself if c is not deeper */
Datum
vic_industry_ancestor(PG_FUNCTION_ARGS)
{
	VicIndustry c = PG_GETARG_VIC_INDUSTRY(0);
	int32		level = PG_GETARG_INT32(1);

	vic_check_level(level, industry_max_level(industry_scheme(c)));
	PG_RETURN_VIC_INDUSTRY(industry_ancestor(c, level));
}

/* industry_scheme(c): 'gbt4754', 'isic4', 'nace2' or 'naics' */
Datum
vic_industry_scheme(PG_FUNCTION_ARGS)
{
	int			scheme = industry_scheme(PG_GETARG_VIC_INDUSTRY(0));

	if (scheme < 1 || scheme > VIC_SCHEME_MAX)
		elog(ERROR, "industry code with unknown scheme tag %d", scheme);
	PG_RETURN_TEXT_P(cstring_to_text(industry_scheme_name(scheme)));
}

/*
 * Level of the lowest common ancestor of a and b (same scheme assumed):
 * the number of leading levels on which they agree; 0 = none.
 */
static int
common_levels(VicIndustry a, VicIndustry b)
{
	int			scheme = industry_scheme(a);
	int			first = industry_first_field(scheme);
	int			maxlevel = industry_max_level(scheme);
	int			level = 0;

	while (level < maxlevel)
	{
		int			fa = industry_field(a, first + level);

		if (fa == 0 || fa != industry_field(b, first + level))
			break;
		level++;
	}
	return level;
}

/* industry_lca(a, b): deepest common ancestor-or-self; NULL if none or schemes differ */
Datum
vic_industry_lca(PG_FUNCTION_ARGS)
{
	VicIndustry a = PG_GETARG_VIC_INDUSTRY(0);
	VicIndustry b = PG_GETARG_VIC_INDUSTRY(1);
	int			level;

	if (industry_scheme(a) != industry_scheme(b))
		PG_RETURN_NULL();
	level = common_levels(a, b);
	if (level == 0)
		PG_RETURN_NULL();
	PG_RETURN_VIC_INDUSTRY(industry_ancestor(a, level));
}

/*
 * industry_distance(a, b): edges on the tree path from a to b through their
 * lowest common ancestor, level(a) + level(b) - 2 level(lca); codes without
 * a common ancestor meet at the scheme's virtual root (level 0).
 */
Datum
vic_industry_distance(PG_FUNCTION_ARGS)
{
	VicIndustry a = PG_GETARG_VIC_INDUSTRY(0);
	VicIndustry b = PG_GETARG_VIC_INDUSTRY(1);

	if (industry_scheme(a) != industry_scheme(b))
	{
		char		sa[VIC_INDUSTRY_MAXLEN];
		char		sb[VIC_INDUSTRY_MAXLEN];

		industry_format(a, sa);
		industry_format(b, sb);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot measure the distance between industry codes of different schemes"),
				 errdetail("\"%s\" and \"%s\" belong to different classification trees.", sa, sb)));
	}
	PG_RETURN_INT32(industry_level(a) + industry_level(b) - 2 * common_levels(a, b));
}

/* a @> b: a is b or an ancestor of b */
Datum
vic_industry_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(industry_contains(PG_GETARG_VIC_INDUSTRY(0), PG_GETARG_VIC_INDUSTRY(1)));
}

/* a <@ b: a is b or a descendant of b */
Datum
vic_industry_contained(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(industry_contains(PG_GETARG_VIC_INDUSTRY(1), PG_GETARG_VIC_INDUSTRY(0)));
}

/* industry_subtree_last(c): greatest valid code in c's subtree (upper bound of its key range) */
Datum
vic_industry_subtree_last(PG_FUNCTION_ARGS)
{
	PG_RETURN_VIC_INDUSTRY(industry_subtree_last(PG_GETARG_VIC_INDUSTRY(0)));
}

/* a Const of type typid holding code c */
static Const *
industry_const(Oid typid, VicIndustry c)
{
	return makeConst(typid, -1, InvalidOid, sizeof(int64), VicIndustryGetDatum(c), false, true);
}

/*
 * indexkey >= other AND indexkey <= vic.industry_subtree_last(other), for an
 * `other` known only at run time.  The bound function is looked up in the
 * schema of the support function's target, so the condition does not depend
 * on search_path.
 */
static List *
industry_range_condition(SupportRequestIndexCondition *req, Oid typid,
						 Node *indexkey, Node *other)
{
	Oid			geop = get_opfamily_member(req->opfamily, typid, typid,
										   BTGreaterEqualStrategyNumber);
	Oid			leop = get_opfamily_member(req->opfamily, typid, typid,
										   BTLessEqualStrategyNumber);
	char	   *nspname = get_namespace_name(get_func_namespace(req->funcid));
	Oid			lastfn;

	if (!OidIsValid(geop) || !OidIsValid(leop) || nspname == NULL)
		return NIL;
	lastfn = LookupFuncName(list_make2(makeString(nspname),
									   makeString("industry_subtree_last")),
							1, &typid, true);
	if (!OidIsValid(lastfn) || get_func_rettype(lastfn) != typid)
		return NIL;
	req->lossy = false;
	return list_make2(make_opclause(geop, BOOLOID, false, (Expr *) indexkey,
									(Expr *) other, InvalidOid, InvalidOid),
					  make_opclause(leop, BOOLOID, false, (Expr *) indexkey,
									(Expr *) makeFuncExpr(lastfn, typid,
														  list_make1(copyObject(other)),
														  InvalidOid, InvalidOid,
														  COERCE_EXPLICIT_CALL),
									InvalidOid, InvalidOid));
}

/*
 * Index conditions equivalent to a containment test on a btree column of
 * vic.industry, given which argument is the indexed one.
 *
 * indexed <@ const (or const @> indexed): the subtree of const is the
 * contiguous key range [const, last_descendant(const)] (vic.h), and its
 * valid members all lie in [const, industry_subtree_last(const)], so the
 * test becomes indexed >= const AND indexed <= industry_subtree_last(const),
 * exactly (every stored value is valid: input and recv check it).
 *
 * indexed @> const (or const <@ indexed): the indexed value must be one of
 * const's at most five ancestors-or-self: indexed = ANY('{...}'), exactly.
 */
static List *
industry_index_condition(SupportRequestIndexCondition *req, bool indexed_is_container)
{
	List	   *args;
	Node	   *indexkey;
	Node	   *other;
	Oid			typid;
	VicIndustry c;

	if (is_opclause(req->node))
		args = ((OpExpr *) req->node)->args;
	else if (is_funcclause(req->node))
		args = ((FuncExpr *) req->node)->args;
	else
		return NIL;
	if (list_length(args) != 2 || req->indexarg < 0 || req->indexarg > 1)
		return NIL;
	if (req->index->relam != BTREE_AM_OID)
		return NIL;

	indexkey = (Node *) list_nth(args, req->indexarg);
	other = (Node *) list_nth(args, 1 - req->indexarg);
	typid = exprType(indexkey);
	if (exprType(other) != typid)
		return NIL;
	if (!IsA(other, Const))
	{
		/* a parameter, an outer column of a join, a stable expression */
		if (indexed_is_container ||
			!is_pseudo_constant_for_index(req->root, other, req->index))
			return NIL;
		return industry_range_condition(req, typid, indexkey, other);
	}
	if (((Const *) other)->constisnull)
		return NIL;
	c = DatumGetVicIndustry(((Const *) other)->constvalue);

	if (!indexed_is_container)
	{
		Oid			geop = get_opfamily_member(req->opfamily, typid, typid,
											   BTGreaterEqualStrategyNumber);
		Oid			leop = get_opfamily_member(req->opfamily, typid, typid,
											   BTLessEqualStrategyNumber);

		if (!OidIsValid(geop) || !OidIsValid(leop))
			return NIL;
		req->lossy = false;
		return list_make2(make_opclause(geop, BOOLOID, false, (Expr *) indexkey,
										(Expr *) industry_const(typid, c),
										InvalidOid, InvalidOid),
						  make_opclause(leop, BOOLOID, false, (Expr *) indexkey,
										(Expr *) industry_const(typid, industry_subtree_last(c)),
										InvalidOid, InvalidOid));
	}
	else
	{
		Oid			eqop = get_opfamily_member(req->opfamily, typid, typid,
											   BTEqualStrategyNumber);
		Oid			arraytype = get_array_type(typid);
		int			level = industry_level(c);
		Datum		ancestors[VIC_IND_NFIELDS];
		ArrayType  *arr;
		ScalarArrayOpExpr *saop;

		if (!OidIsValid(eqop) || !OidIsValid(arraytype) || level < 1)
			return NIL;
		req->lossy = false;
		if (level == 1)
			return list_make1(make_opclause(eqop, BOOLOID, false, (Expr *) indexkey,
											(Expr *) industry_const(typid, c),
											InvalidOid, InvalidOid));
		for (int l = 1; l <= level; l++)
			ancestors[l - 1] = VicIndustryGetDatum(industry_ancestor(c, l));
		arr = construct_array(ancestors, level, typid, sizeof(int64), true, TYPALIGN_DOUBLE);
		saop = makeNode(ScalarArrayOpExpr);
		saop->opno = eqop;
		saop->opfuncid = get_opcode(eqop);
		saop->useOr = true;
		saop->inputcollid = InvalidOid;
		saop->args = list_make2(indexkey,
								makeConst(arraytype, -1, InvalidOid, -1,
										  PointerGetDatum(arr), false, false));
		saop->location = -1;
		return list_make1(saop);
	}
}

/*
 * Selectivity of industry_contains/industry_contained called as functions:
 * the same estimate as their operators, so vic.industry_contained(code,
 * 'C38') plans like code <@ 'C38' (otherwise a function gets 1/3).
 */
static bool
industry_function_selectivity(SupportRequestSelectivity *req, const char *opname)
{
	char	   *nspname;
	Oid			typid;
	Oid			opno;

	if (list_length(req->args) != 2)
		return false;
	if (req->is_join)
	{
		req->selectivity = DEFAULT_INDUSTRY_JOINSEL;
		return true;
	}
	nspname = get_namespace_name(get_func_namespace(req->funcid));
	typid = exprType((Node *) linitial(req->args));
	if (nspname == NULL || exprType((Node *) lsecond(req->args)) != typid)
		return false;
	opno = OpernameGetOprid(list_make2(makeString(nspname), makeString(pstrdup(opname))),
							typid, typid);
	if (!OidIsValid(opno) || get_opcode(opno) != req->funcid)
		return false;
	req->selectivity = generic_restriction_selectivity(req->root, opno, InvalidOid,
													   req->args, req->varRelid,
													   VIC_INDUSTRY_DEFAULT_CONTSEL);
	return true;
}

/* planner support for industry_contains (a @> b): index conditions, selectivity */
Datum
vic_industry_contains_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);

	if (IsA(rawreq, SupportRequestIndexCondition))
	{
		SupportRequestIndexCondition *req = (SupportRequestIndexCondition *) rawreq;

		/* container is argument 0 */
		PG_RETURN_POINTER(industry_index_condition(req, req->indexarg == 0));
	}
	if (IsA(rawreq, SupportRequestSelectivity) &&
		industry_function_selectivity((SupportRequestSelectivity *) rawreq, "@>"))
		PG_RETURN_POINTER(rawreq);
	PG_RETURN_POINTER(NULL);
}

/* planner support for industry_contained (a <@ b): index conditions, selectivity */
Datum
vic_industry_contained_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);

	if (IsA(rawreq, SupportRequestIndexCondition))
	{
		SupportRequestIndexCondition *req = (SupportRequestIndexCondition *) rawreq;

		/* container is argument 1 */
		PG_RETURN_POINTER(industry_index_condition(req, req->indexarg == 1));
	}
	if (IsA(rawreq, SupportRequestSelectivity) &&
		industry_function_selectivity((SupportRequestSelectivity *) rawreq, "<@"))
		PG_RETURN_POINTER(rawreq);
	PG_RETURN_POINTER(NULL);
}

/*
 * Restriction selectivity of @> and <@: the operator applied to the column's
 * most common values and histogram entries (PostgreSQL's generic estimator),
 * a default share when the column has no statistics.
 */
Datum
vic_industry_contsel(PG_FUNCTION_ARGS)
{
	PlannerInfo *root = (PlannerInfo *) PG_GETARG_POINTER(0);
	Oid			operator = PG_GETARG_OID(1);
	List	   *args = (List *) PG_GETARG_POINTER(2);
	int			varRelid = PG_GETARG_INT32(3);

	PG_RETURN_FLOAT8(generic_restriction_selectivity(root, operator, InvalidOid,
													 args, varRelid,
													 VIC_INDUSTRY_DEFAULT_CONTSEL));
}
