/*
 * iotable_analysis.c
 *		The analyses of an input-output table: coefficients, the Leontief and
 *		Ghosh inverses, multipliers, Rasmussen-Hirschman linkages,
 *		hypothetical extraction, upstreamness, impact of a final-demand
 *		shock, and the balance report.
 *
 * Every function reads the table through the dense model (iotable_model.c)
 * and factors I - A with LAPACK (common/linalg.h).  Where a result needs
 * only sums of the inverse it solves with the factor instead of inverting:
 * column sums of L are the solution of (I - A)' c = 1, and row sums of the
 * Ghosh inverse G = diag(x)^-1 L diag(x) are (L x)_i / x_i.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"

#include "iotable.h"
#include "common/linalg.h"

/* text datums of every sector name, made once per call */
static Datum *
sector_datums(const VicIotable *t)
{
	Datum	   *d = vic_alloc_array(Max(t->nsectors, 1), sizeof(Datum));

	for (int32 i = 0; i < t->nsectors; i++)
	{
		int			len;
		const char *s = iot_name(t, i, &len);

		d[i] = PointerGetDatum(cstring_to_text_with_len(s, len));
	}
	return d;
}

/* emit an n x n column-major matrix as (row_sector, col_sector, value) in key order */
static void
emit_matrix(ReturnSetInfo *rsinfo, const VicIotable *t, const double *mat, bool zeros)
{
	int			n = t->nsectors;
	Datum	   *names = sector_datums(t);

	for (int i = 0; i < n; i++)
	{
		for (int j = 0; j < n; j++)
		{
			double		v = mat[i + (Size) j * n];
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			if (v == 0 && !zeros)
				continue;
			values[0] = names[i];
			values[1] = names[j];
			values[2] = Float8GetDatum(v + 0.0);
			vic_srf_emit(rsinfo, values, nulls);
		}
		CHECK_FOR_INTERRUPTS();
	}
}

/* the model of argument 0 with its total output, or NULL for an empty table */
static bool
load_model(FunctionCallInfo fcinfo, IoModel *m)
{
	VicIotable *t = vic_iotable_getarg(fcinfo, 0);

	io_model_load(t, m);
	if (m->n == 0)
		return false;
	io_model_output(m);
	return true;
}

/* L = (I - A)^-1 of a model (Leontief 1936; Miller & Blair 2009, ch. 2) */
static double *
leontief(const IoModel *m, const double *a)
{
	int		   *ipiv;
	double	   *lu = io_factor_i_minus(m, a, false, &ipiv, "I - A");

	vic_lu_invert(lu, m->n, ipiv);
	pfree(ipiv);
	return lu;
}

PG_FUNCTION_INFO_V1(vic_technical_coefficients);
/* SRF: a_ij = z_ij / x_j (Miller & Blair 2009, ch. 2) */
Datum
vic_technical_coefficients(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	emit_matrix(rsinfo, m.t, io_technical(&m), PG_GETARG_BOOL(1));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_allocation_coefficients);
/* SRF: b_ij = z_ij / x_i (Ghosh 1958; Miller & Blair 2009, ch. 12) */
Datum
vic_allocation_coefficients(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	emit_matrix(rsinfo, m.t, io_allocation(&m), PG_GETARG_BOOL(1));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_leontief_inverse);
/* SRF: L = (I - A)^-1 */
Datum
vic_leontief_inverse(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	emit_matrix(rsinfo, m.t, leontief(&m, io_technical(&m)), PG_GETARG_BOOL(1));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_ghosh_inverse);
/* SRF: G = (I - B)^-1 (Ghosh 1958; Miller & Blair 2009, ch. 12) */
Datum
vic_ghosh_inverse(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;
	int		   *ipiv;
	double	   *g;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	g = io_factor_i_minus(&m, io_allocation(&m), true, &ipiv, "I - B");
	vic_lu_invert(g, m.n, ipiv);
	emit_matrix(rsinfo, m.t, g, PG_GETARG_BOOL(1));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_leontief_residual);
/* || (I - A) L - I ||_inf of the computed Leontief inverse, by a plain loop */
Datum
vic_leontief_residual(PG_FUNCTION_ARGS)
{
	IoModel		m;
	double	   *a;
	double	   *l;

	if (!load_model(fcinfo, &m))
		PG_RETURN_FLOAT8(0);
	a = io_technical(&m);
	l = leontief(&m, a);
	for (Size k = 0; k < (Size) m.n * m.n; k++)
		a[k] = -a[k];
	for (int i = 0; i < m.n; i++)
		a[i + (Size) i * m.n] += 1.0;
	PG_RETURN_FLOAT8(vic_residual_inf(a, l, m.n));
}

/*
 * The coefficients h_i = acct_i / x_i of an account given for every sector,
 * or NULL when it is given for none; 22023 naming the sectors when for some
 */
static double *
account_coefficients(const IoModel *m, IoField f)
{
	double	   *h;

	if (m->ngiven[f] == 0)
		return NULL;
	if (m->ngiven[f] < m->n)
	{
		int		   *bad = vic_alloc_array(m->n, sizeof(int));
		int			nbad = 0;

		for (int i = 0; i < m->n; i++)
			if (!m->given[f][i])
				bad[nbad++] = i;
		io_sector_error(m->t, psprintf("missing accounts: %s", vic_io_field_names[f]),
						"An account used by a multiplier must be given for every sector or for none.",
						bad, nbad);
	}
	h = vic_alloc_array(m->n, sizeof(double));
	for (int i = 0; i < m->n; i++)
		h[i] = m->acct[f][i] / m->x[i];
	return h;
}

PG_FUNCTION_INFO_V1(vic_output_multipliers);
/*
 * SRF (sector, multiplier, income_multiplier, income_type_i,
 * employment_multiplier, employment_type_i): output multiplier m_j =
 * sum_i l_ij; household income (employment) multiplier sum_i h_i l_ij with
 * h_i = income_i / x_i, and its type I form divided by h_j (Miller & Blair
 * 2009, ch. 6)
 */
Datum
vic_output_multipliers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;
	int		   *ipiv;
	double	   *lu;
	double	   *c;
	double	   *h[2];
	double	   *hm[2] = {NULL, NULL};
	Datum	   *names;
	int			n;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	n = m.n;
	h[0] = account_coefficients(&m, IO_INCOME);
	h[1] = account_coefficients(&m, IO_EMPLOYMENT);
	lu = io_factor_i_minus(&m, io_technical(&m), false, &ipiv, "I - A");
	c = vic_alloc_array(n, sizeof(double));
	for (int i = 0; i < n; i++)
		c[i] = 1.0;
	vic_lu_solve(lu, n, ipiv, true, c, 1);
	for (int k = 0; k < 2; k++)
		if (h[k])
		{
			/* (L' h)_j = sum_i h_i l_ij */
			hm[k] = vic_alloc_array(n, sizeof(double));
			memcpy(hm[k], h[k], n * sizeof(double));
			vic_lu_solve(lu, n, ipiv, true, hm[k], 1);
		}
	names = sector_datums(m.t);
	for (int j = 0; j < n; j++)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, true, true, true, true};

		values[0] = names[j];
		values[1] = Float8GetDatum(c[j]);
		for (int k = 0; k < 2; k++)
			if (hm[k])
			{
				values[2 + 2 * k] = Float8GetDatum(hm[k][j]);
				nulls[2 + 2 * k] = false;
				if (h[k][j] != 0)
				{
					values[3 + 2 * k] = Float8GetDatum(hm[k][j] / h[k][j]);
					nulls[3 + 2 * k] = false;
				}
			}
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_linkages);
/*
 * SRF (sector, backward_direct, forward_direct, backward_total,
 * forward_total, backward_index, forward_index, key_sector): direct
 * linkages are the column sums of A and row sums of B, total linkages the
 * column sums of L and row sums of G; the indexes are Rasmussen's (1956)
 * normalisation n s_j / sum_k s_k of the total ones; a key sector has both
 * above 1 (Hirschman 1958; Miller & Blair 2009, ch. 12)
 */
Datum
vic_linkages(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;
	int		   *ipiv;
	double	   *a;
	double	   *lu;
	double	   *bd;
	double	   *fd;
	double	   *c;
	double	   *r;
	double		csum = 0;
	double		rsum = 0;
	Datum	   *names;
	int			n;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	n = m.n;
	a = io_technical(&m);
	bd = vic_alloc_array0(n, sizeof(double));
	fd = vic_alloc_array0(n, sizeof(double));
	for (int j = 0; j < n; j++)
		for (int i = 0; i < n; i++)
		{
			bd[j] += a[i + (Size) j * n];
			fd[i] += m.z[i + (Size) j * n];
		}
	for (int i = 0; i < n; i++)
		fd[i] /= m.x[i];
	lu = io_factor_i_minus(&m, a, false, &ipiv, "I - A");
	c = vic_alloc_array(n, sizeof(double));
	r = vic_alloc_array(n, sizeof(double));
	for (int i = 0; i < n; i++)
	{
		c[i] = 1.0;
		r[i] = m.x[i];
	}
	vic_lu_solve(lu, n, ipiv, true, c, 1);
	vic_lu_solve(lu, n, ipiv, false, r, 1);
	for (int i = 0; i < n; i++)
	{
		r[i] /= m.x[i];
		csum += c[i];
		rsum += r[i];
	}
	names = sector_datums(m.t);
	for (int j = 0; j < n; j++)
	{
		Datum		values[8];
		bool		nulls[8] = {false, false, false, false, false, false, false, false};
		double		bi = n * c[j] / csum;
		double		fi = n * r[j] / rsum;

		values[0] = names[j];
		values[1] = Float8GetDatum(bd[j]);
		values[2] = Float8GetDatum(fd[j]);
		values[3] = Float8GetDatum(c[j]);
		values[4] = Float8GetDatum(r[j]);
		values[5] = Float8GetDatum(bi);
		values[6] = Float8GetDatum(fi);
		values[7] = BoolGetDatum(bi > 1 && fi > 1);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_extraction);
/*
 * SRF (sector, backward_loss, forward_loss, total_loss): the fall in total
 * output sum_i x_i when sector j's purchases (column j of A, final demand
 * held), sales (row j of B, primary inputs held) or both (row and column j
 * of A) are removed (Dietzenbacher, van der Linden & Steenge 1993; Miller &
 * Blair 2009, ch. 12).  Computed exactly from L by the
 * Sherman-Morrison-Woodbury identity instead of n re-inversions: with
 * c = 1'L, r_j = (L x)_j / x_j and g_jj = l_jj, backward loss
 * = (c_j - 1) x_j / l_jj, forward loss = (r_j - 1) x_j / l_jj, and the total
 * loss solves the 2 x 2 system of the rank-two change (see doc/iotable.md).
 */
Datum
vic_extraction(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;
	double	   *a;
	double	   *l;
	double	   *c;
	double	   *r;
	double	   *rowz;
	Datum	   *names;
	int			n;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	n = m.n;
	a = io_technical(&m);
	l = leontief(&m, a);
	c = vic_alloc_array0(n, sizeof(double));
	r = vic_alloc_array0(n, sizeof(double));
	rowz = vic_alloc_array0(n, sizeof(double));
	for (int j = 0; j < n; j++)
	{
		for (int i = 0; i < n; i++)
		{
			c[j] += l[i + (Size) j * n];
			r[i] += l[i + (Size) j * n] * m.x[j];
			rowz[i] += m.z[i + (Size) j * n];
		}
		CHECK_FOR_INTERRUPTS();
	}
	names = sector_datums(m.t);
	for (int j = 0; j < n; j++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		double		ljj = l[j + (Size) j * n];
		double		ajj = a[j + (Size) j * n];
		double		xj = m.x[j];
		double		rj = r[j] / xj;

		/* total: loss = [c_j - 1, c_j] K^-1 [x_j, rowz_j - z_jj]' */
		double		k11 = ljj,
					k12 = ljj,
					k21 = ljj - 1 - ajj * ljj,
					k22 = ljj - ajj * ljj;
		double		det = k11 * k22 - k12 * k21;
		double		v1 = xj,
					v2 = rowz[j] - m.z[j + (Size) j * n];
		double		y1 = (k22 * v1 - k12 * v2) / det;
		double		y2 = (k11 * v2 - k21 * v1) / det;

		values[0] = names[j];
		values[1] = Float8GetDatum((c[j] - 1) * xj / ljj);
		values[2] = Float8GetDatum((rj - 1) * xj / ljj);
		values[3] = Float8GetDatum((c[j] - 1) * y1 + c[j] * y2);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_upstreamness);
/*
 * SRF (sector, upstreamness, downstreamness): U = (I - D)^-1 1 with
 * d_ij = z_ij / (x_i - e_i + m_i) (Antras, Chor, Fally & Hillberry 2012,
 * with their open-economy correction of the denominator; absent exports
 * and imports count as 0, and U is then the row sums of the Ghosh inverse);
 * downstreamness = column sums of L (Miller & Temurshoev 2017)
 */
Datum
vic_upstreamness(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;
	int		   *ipiv;
	double	   *d;
	double	   *lu;
	double	   *u;
	double	   *c;
	double	   *den;
	int		   *bad;
	int			nbad = 0;
	Datum	   *names;
	int			n;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	n = m.n;
	den = vic_alloc_array(n, sizeof(double));
	bad = vic_alloc_array(n, sizeof(int));
	for (int i = 0; i < n; i++)
	{
		den[i] = m.x[i] - m.acct[IO_EXPORTS][i] + m.acct[IO_IMPORTS][i];
		if (!(den[i] > 0))
			bad[nbad++] = i;
	}
	if (nbad > 0)
		io_sector_error(m.t, "zero or negative domestic absorption",
						"Upstreamness divides by total output minus exports plus imports, which must be positive.",
						bad, nbad);
	d = vic_alloc_array((int64) n * n, sizeof(double));
	for (int j = 0; j < n; j++)
		for (int i = 0; i < n; i++)
			d[i + (Size) j * n] = m.z[i + (Size) j * n] / den[i];
	lu = io_factor_i_minus(&m, d, true, &ipiv, "I - D");
	u = vic_alloc_array(n, sizeof(double));
	for (int i = 0; i < n; i++)
		u[i] = 1.0;
	vic_lu_solve(lu, n, ipiv, false, u, 1);
	pfree(lu);
	pfree(ipiv);
	lu = io_factor_i_minus(&m, io_technical(&m), false, &ipiv, "I - A");
	c = vic_alloc_array(n, sizeof(double));
	for (int i = 0; i < n; i++)
		c[i] = 1.0;
	vic_lu_solve(lu, n, ipiv, true, c, 1);
	names = sector_datums(m.t);
	for (int j = 0; j < n; j++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = names[j];
		values[1] = Float8GetDatum(u[j]);
		values[2] = Float8GetDatum(c[j]);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_impact);
/*
 * SRF (sector, output_change): dx = L df, the final-demand change df read
 * from the final_demand accounts of the second table (Miller & Blair 2009,
 * ch. 2); every sector of the first table, a sector of the shock it does
 * not have is an error
 */
Datum
vic_impact(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;
	VicIotable *s = vic_iotable_getarg(fcinfo, 1);
	const VicIoCell *cells = IOT_CELLS(s);
	double	   *df;
	int		   *ipiv;
	double	   *lu;
	int		   *bad;
	int			nbad = 0;
	int			nshock = 0;
	Datum	   *names;
	int			n;

	if (!load_model(fcinfo, &m))
		return (Datum) 0;
	n = m.n;
	df = vic_alloc_array0(n, sizeof(double));
	bad = vic_alloc_array(Max(s->nsectors, 1), sizeof(int));
	/* both name lists are sorted: walk them together */
	for (int32 k = 0, i = 0; k < s->ncells; k++)
	{
		int			len;
		const char *name;
		int			ilen = 0;
		const char *iname = NULL;
		int			cmp = 1;

		if (cells[k].col != IO_FIELD_COL(IO_FINAL_DEMAND))
			continue;
		nshock++;
		name = iot_name(s, cells[k].row, &len);
		while (i < n)
		{
			iname = iot_name(m.t, i, &ilen);
			cmp = iot_name_cmp(iname, ilen, name, len);
			if (cmp >= 0)
				break;
			i++;
		}
		if (i < n && cmp == 0)
			df[i] = cells[k].value;
		else
			bad[nbad++] = cells[k].row;
	}
	if (nbad > 0)
		io_sector_error(s, "shock names sectors the table does not have",
						"Every sector of the shock's final_demand must be a sector of the table.", bad, nbad);
	if (nshock == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the shock has no final_demand account"),
				 errdetail("Build the shock with vic.iotable_accounts_agg(sector, NULL, change, ...).")));
	lu = io_factor_i_minus(&m, io_technical(&m), false, &ipiv, "I - A");
	vic_lu_solve(lu, n, ipiv, false, df, 1);
	names = sector_datums(m.t);
	for (int i = 0; i < n; i++)
		vic_srf_emit2(rsinfo, names[i], Float8GetDatum(df[i] + 0.0));
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(vic_io_balance);
/*
 * SRF (sector, total_output, row_total, column_total, row_gap, column_gap,
 * balanced): row total sum_j z_ij + f_i, column total sum_i z_ji + v_i,
 * gaps against total output (NULL where an account is missing); balanced
 * when every known gap is within tolerance relative to the larger total
 */
Datum
vic_io_balance(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = vic_srf_init(fcinfo);
	IoModel		m;
	double		tol = PG_GETARG_FLOAT8(1);
	double	   *rowz;
	double	   *colz;
	Datum	   *names;
	int			n;

	if (!(tol >= 0) || isinf(tol))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance must be finite and >= 0, not %g", tol)));
	io_model_load(vic_iotable_getarg(fcinfo, 0), &m);
	n = m.n;
	rowz = vic_alloc_array0(Max(n, 1), sizeof(double));
	colz = vic_alloc_array0(Max(n, 1), sizeof(double));
	for (int j = 0; j < n; j++)
		for (int i = 0; i < n; i++)
		{
			rowz[i] += m.z[i + (Size) j * n];
			colz[j] += m.z[i + (Size) j * n];
		}
	names = sector_datums(m.t);
	for (int i = 0; i < n; i++)
	{
		Datum		values[7];
		bool		nulls[7] = {false, true, true, true, true, true, false};
		bool		hx = m.given[IO_TOTAL_OUTPUT][i];
		bool		hr = m.given[IO_FINAL_DEMAND][i];
		bool		hc = m.given[IO_VALUE_ADDED][i];
		double		x = m.acct[IO_TOTAL_OUTPUT][i];
		double		rt = rowz[i] + m.acct[IO_FINAL_DEMAND][i];
		double		ct = colz[i] + m.acct[IO_VALUE_ADDED][i];
		bool		ok = true;

		values[0] = names[i];
		if (hx)
		{
			values[1] = Float8GetDatum(x);
			nulls[1] = false;
		}
		if (hr)
		{
			values[2] = Float8GetDatum(rt);
			nulls[2] = false;
		}
		if (hc)
		{
			values[3] = Float8GetDatum(ct);
			nulls[3] = false;
		}
		if (hx && hr)
		{
			values[4] = Float8GetDatum(rt - x);
			nulls[4] = false;
			ok &= fabs(rt - x) <= tol * Max(fabs(rt), fabs(x));
		}
		if (hx && hc)
		{
			values[5] = Float8GetDatum(ct - x);
			nulls[5] = false;
			ok &= fabs(ct - x) <= tol * Max(fabs(ct), fabs(x));
		}
		if (!hx && hr && hc)
			ok &= fabs(rt - ct) <= tol * Max(fabs(rt), fabs(ct));
		values[6] = BoolGetDatum(ok);
		vic_srf_emit(rsinfo, values, nulls);
	}
	return (Datum) 0;
}
