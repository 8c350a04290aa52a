/*
 * iotable_regional.c
 *		Regionalisation of a national input-output table with location
 *		quotients read from vic.profile summaries of the region and the
 *		nation (SLQ, CILQ, FLQ).
 *
 * The sectors of the table must be vic.industry codes in text form
 * ('C13', 'isic4:C10', ...); a sector's regional and national sizes are the
 * weights of the profiles' industry tables at that code's level (read only
 * through profile.h's public interface).
 *
 * With RE_i, NE_i the regional and national size of sector i and RE, NE the
 * totals: SLQ_i = (RE_i / RE) / (NE_i / NE); CILQ_ij = SLQ_i / SLQ_j;
 * FLQ_ij = CILQ_ij * lambda, lambda = [log2(1 + RE / NE)]^delta, 0 <= delta
 * < 1 (Flegg, Webber & Elliott 1995; Flegg & Webber 1997; Miller
 * & Blair 2009, ch. 8).  The regional coefficient is
 * r_ij = a_ij min(1, LQ_ij), with LQ_ij = SLQ_i for 'slq'.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"

#include "iotable.h"
#include "common/args.h"
#include "industry/industry.h"
#include "profile/profile.h"

enum
{
	RQ_SLQ,
	RQ_CILQ,
	RQ_FLQ
};

static const VicKeyword method_words[] = {
	{"slq", RQ_SLQ},
	{"cilq", RQ_CILQ},
	{"flq", RQ_FLQ}
};

/* a profile's industry tables by level, fetched as sectors need them */
typedef struct LevelTables
{
	VicProfile *p;
	VicShare   *t[16];
	int			n[16];
	bool		have[16];
} LevelTables;

/* the weight of industry code at level in lt (0 when the profile has none) */
static double
industry_weight(LevelTables *lt, int64 code, int level)
{
	VicShare   *t;
	int			lo = 0,
				hi;

	Assert(level >= 0 && level < 16);
	if (!lt->have[level])
	{
		lt->t[level] = profile_industry_table(lt->p, level, &lt->n[level]);
		lt->have[level] = true;
	}
	t = lt->t[level];
	hi = lt->n[level] - 1;
	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (t[mid].key == code)
			return t[mid].weight;
		if (t[mid].key < code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

/* total weight of a profile */
static double
profile_total(LevelTables *lt)
{
	int			n;
	VicShare   *t = profile_industry_table(lt->p, 0, &n);
	double		s = 0;

	for (int i = 0; i < n; i++)
		s += t[i].weight;
	return s;
}

PG_FUNCTION_INFO_V1(vic_regionalize);
/* regionalize(t, region, nation, method, delta): the regional table */
Datum
vic_regionalize(PG_FUNCTION_ARGS)
{
	IoModel		m;
	int			method = vic_keyword_arg(PG_GETARG_TEXT_PP(3), method_words,
										 lengthof(method_words), "method");
	double		delta = PG_GETARG_FLOAT8(4);
	LevelTables reg;
	LevelTables nat;
	double		re,
				ne,
				lambda = 1;
	double	   *slq;
	double	   *share;			/* RE_j / NE_j */
	double	   *a;
	int		   *bad;
	int			nbad = 0;
	int			n;
	IoRaw		raw;
	int32	   *idx;
	VicIotable *out;

	if (method == RQ_FLQ && !(delta >= 0 && delta < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("delta must be in [0, 1) for the FLQ, not %g", delta)));
	memset(&reg, 0, sizeof(reg));
	memset(&nat, 0, sizeof(nat));
	reg.p = PG_GETARG_VIC_PROFILE_TABLES(1);
	nat.p = PG_GETARG_VIC_PROFILE_TABLES(2);
	profile_check_schemes(reg.p, nat.p);
	io_model_load(vic_iotable_getarg(fcinfo, 0), &m);
	n = m.n;
	if (n == 0)
		PG_RETURN_POINTER(m.t);
	io_model_output(&m);
	re = profile_total(&reg);
	ne = profile_total(&nat);
	if (!(re > 0) || !(ne > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the region and the nation profiles must have a positive total weight")));
	if (method == RQ_FLQ)
		lambda = pow(log2(1 + re / ne), delta);

	slq = vic_alloc_array(n, sizeof(double));
	share = vic_alloc_array(n, sizeof(double));
	bad = vic_alloc_array(n, sizeof(int));
	for (int i = 0; i < n; i++)
	{
		int			len;
		const char *s = iot_name(m.t, i, &len);
		char	   *key = pnstrdup(s, len);
		VicIndustry code;
		int			level;
		double		rw,
					nw;

		industry_parse(key, &code, NULL);
		level = industry_level(code);
		if (level < 0 || level >= 16)
			elog(ERROR, "industry level %d out of range", level);
		rw = industry_weight(&reg, code, level);
		nw = industry_weight(&nat, code, level);
		if (!(nw > 0))
			bad[nbad++] = i;
		slq[i] = nw > 0 ? (rw / re) / (nw / ne) : 0;
		share[i] = nw > 0 ? rw / nw : 0;
		pfree(key);
	}
	if (nbad > 0)
		io_sector_error(m.t, "sectors without national weight",
						"Every sector of the national table needs a positive weight in the nation profile (its industry at the sector's level).",
						bad, nbad);

	/* regional flows r_ij x^r_j with x^r_j = x_j RE_j / NE_j; absent sectors dropped */
	a = io_technical(&m);
	vic_ioraw_init(&raw, CurrentMemoryContext);
	idx = vic_alloc_array(n, sizeof(int32));
	for (int i = 0; i < n; i++)
	{
		int			len;
		const char *s = iot_name(m.t, i, &len);

		idx[i] = share[i] > 0 ? vic_ioraw_sector(&raw, s, len) : -1;
	}
	for (int j = 0; j < n; j++)
	{
		double		xr;

		if (idx[j] < 0)
			continue;
		xr = m.x[j] * share[j];
		vic_ioraw_add(&raw, idx[j], IO_FIELD_COL(IO_TOTAL_OUTPUT), xr);
		for (int i = 0; i < n; i++)
		{
			double		q;
			double		z;

			if (idx[i] < 0 || a[i + (Size) j * n] == 0)
				continue;
			if (method == RQ_SLQ)
				q = slq[i];
			else
				q = lambda * (i == j ? 1.0 : slq[i] / slq[j]);
			z = a[i + (Size) j * n] * Min(1.0, q) * xr;
			if (z != 0)
				vic_ioraw_add(&raw, idx[i], idx[j], z);
		}
		CHECK_FOR_INTERRUPTS();
	}
	out = vic_ioraw_build(&raw);
	vic_ioraw_free(&raw);
	PG_RETURN_POINTER(out);
}
