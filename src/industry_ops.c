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
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"

#include "vic.h"

/*
 * Selectivity of "x <@ const" or "x @> const" when no statistics help: about
 * one division's share of a mixed table.
 */
#define VIC_INDUSTRY_DEFAULT_CONTSEL 0.005

PG_FUNCTION_INFO_V1(vic_industry_level);
PG_FUNCTION_INFO_V1(vic_industry_parent);
PG_FUNCTION_INFO_V1(vic_industry_ancestor);
PG_FUNCTION_INFO_V1(vic_industry_scheme);
PG_FUNCTION_INFO_V1(vic_industry_lca);
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
	int			maxlevel = industry_max_level(industry_scheme(c));

	if (level < 1 || level > maxlevel)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("industry level %d is out of range", level),
				 errdetail("Levels of this code's scheme run from 1 to %d.", maxlevel)));
	PG_RETURN_VIC_INDUSTRY(industry_ancestor(c, level));
}

/* industry_scheme(c): 'gbt4754', 'isic4', 'nace2' or 'naics' */
Datum
vic_industry_scheme(PG_FUNCTION_ARGS)
{
	VicIndustry c = PG_GETARG_VIC_INDUSTRY(0);
	const char *name;

	switch (industry_scheme(c))
	{
		case VIC_SCHEME_GBT4754:
			name = "gbt4754";
			break;
		case VIC_SCHEME_ISIC4:
			name = "isic4";
			break;
		case VIC_SCHEME_NACE2:
			name = "nace2";
			break;
		case VIC_SCHEME_NAICS:
			name = "naics";
			break;
		default:
			elog(ERROR, "industry code with unknown scheme tag %d", industry_scheme(c));
			name = NULL;		/* keep compiler quiet */
	}
	PG_RETURN_TEXT_P(cstring_to_text(name));
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

/*
 * Greatest valid code in c's subtree: every finer field at its largest
 * value (division 99, digit 9).  Every valid descendant of c lies in
 * [c, this], and so does nothing else of the scheme that is valid; the bound
 * is tighter than vic.h's industry_last_descendant and prints as a readable
 * code (C38 -> C3899) in EXPLAIN.
 */
static VicIndustry
industry_last_valid_descendant(VicIndustry c)
{
	int			scheme = industry_scheme(c);
	int			first = industry_first_field(scheme);
	VicIndustry last = c;

	for (int f = first + industry_level(c); f < first + industry_max_level(scheme); f++)
		last |= (VicIndustry) (f == 1 ? 100 : 10) << vic_ind_field_shift[f];
	return last;
}

/* a Const of type typid holding code c */
static Const *
industry_const(Oid typid, VicIndustry c)
{
	return makeConst(typid, -1, InvalidOid, sizeof(int64), VicIndustryGetDatum(c), false, true);
}

/*
 * Index conditions equivalent to a containment test on a btree column of
 * vic.industry, given which argument is the indexed one.
 *
 * indexed <@ const (or const @> indexed): the subtree of const is the
 * contiguous key range [const, last_descendant(const)] (vic.h), and its
 * valid members all lie in [const, last_valid_descendant(const)], so the
 * test becomes indexed >= const AND indexed <= last_valid_descendant(const),
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
	if (!IsA(other, Const) || ((Const *) other)->constisnull)
		return NIL;
	typid = exprType(indexkey);
	if (exprType(other) != typid)
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
										(Expr *) industry_const(typid, industry_last_valid_descendant(c)),
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

/* planner support for industry_contains (a @> b): index conditions */
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
	PG_RETURN_POINTER(NULL);
}

/* planner support for industry_contained (a <@ b): index conditions */
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
