/*
 * iotable_model.c
 *		From a vic.iotable to the dense model the analyses read: the flow
 *		matrix Z, the accounts, total output x and its checks, the
 *		coefficient matrices and the factorisation of I - A or I - B.
 *
 * Conventions (Miller & Blair, Input-Output Analysis, 2nd ed. 2009, ch. 2):
 * row balance x_i = sum_j z_ij + f_i (f: all final demand, exports
 * included), column balance x_j = sum_i z_ij + v_j (v: all primary inputs,
 * value added and non-competitive imports).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "lib/stringinfo.h"

#include "iotable.h"
#include "common/linalg.h"

/* 22023 naming up to 10 of the sectors idx[0..k-1] */
void
io_sector_error(const VicIotable *t, const char *msg, const char *detail_lead,
				const int *idx, int k)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < k && i < 10; i++)
	{
		int			len;
		const char *s = iot_name(t, idx[i], &len);

		appendStringInfo(&buf, "%s\"%.*s\"", i > 0 ? ", " : "", len, s);
	}
	if (k > 10)
		appendStringInfo(&buf, " and %d more", k - 10);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s", msg, buf.data),
			 errdetail("%s", detail_lead)));
}

/* the dense flows and accounts of t */
void
io_model_load(const VicIotable *t, IoModel *m)
{
	const VicIoCell *cells = IOT_CELLS(t);
	int			n = t->nsectors;

	/* the analyses hold a few dense n x n matrices: 8 n^2 bytes each */
	if (n > IO_MAX_DENSE)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many sectors for the dense input-output model: %d", n),
				 errdetail("The analyses hold dense %d x %d matrices and accept at most %d sectors.",
						   n, n, IO_MAX_DENSE)));
	memset(m, 0, sizeof(IoModel));
	m->t = t;
	m->n = n;
	m->z = vic_alloc_array0((int64) n * n, sizeof(double));
	for (int f = 0; f < IO_NFIELDS; f++)
	{
		m->acct[f] = vic_alloc_array0(Max(n, 1), sizeof(double));
		m->given[f] = vic_alloc_array0(Max(n, 1), sizeof(bool));
	}
	for (int32 k = 0; k < t->ncells; k++)
	{
		const VicIoCell *c = &cells[k];

		if (c->col >= 0)
			m->z[c->row + (Size) c->col * n] = c->value;
		else
		{
			int			f = IO_COL_FIELD(c->col);

			m->acct[f][c->row] = c->value;
			m->given[f][c->row] = true;
			m->ngiven[f]++;
		}
		VIC_POLL_INTERRUPTS(k);
	}
}

/* do a and b differ beyond the relative balance tolerance? */
static inline bool
out_of_balance(double a, double b)
{
	return fabs(a - b) > IO_BALANCE_TOLERANCE * Max(fabs(a), fabs(b));
}

/* total output and its checks (iotable.h) */
void
io_model_output(IoModel *m)
{
	int			n = m->n;
	double	   *rowz = vic_alloc_array0(Max(n, 1), sizeof(double));
	double	   *colz = vic_alloc_array0(Max(n, 1), sizeof(double));
	bool	   *sells = vic_alloc_array0(Max(n, 1), sizeof(bool));
	bool	   *buys = vic_alloc_array0(Max(n, 1), sizeof(bool));
	int		   *bad = vic_alloc_array(Max(n, 1), sizeof(int));
	int			nbad = 0;

	m->x = vic_alloc_array(Max(n, 1), sizeof(double));
	for (int j = 0; j < n; j++)
	{
		for (int i = 0; i < n; i++)
		{
			double		z = m->z[i + (Size) j * n];

			if (z != 0)
			{
				rowz[i] += z;
				colz[j] += z;
				sells[i] = true;
				buys[j] = true;
			}
		}
		VIC_POLL_INTERRUPTS(j);
	}

	/* a sector in the flows on one side only, with no accounts at all */
	for (int i = 0; i < n; i++)
	{
		bool		any = false;

		for (int f = 0; f < IO_NFIELDS; f++)
			any |= m->given[f][i];
		if (!any && sells[i] != buys[i])
			bad[nbad++] = i;
	}
	if (nbad > 0)
		io_sector_error(m->t, "sectors on one side of the flows only", "These sectors only sell (or only buy) intermediate inputs and have no accounts, so the table is not square in them: add their accounts (total_output) or their missing row or column.", bad, nbad);

	/* x: given, else the row total */
	for (int i = 0; i < n; i++)
	{
		if (m->given[IO_TOTAL_OUTPUT][i])
			m->x[i] = m->acct[IO_TOTAL_OUTPUT][i];
		else if (m->given[IO_FINAL_DEMAND][i])
			m->x[i] = rowz[i] + m->acct[IO_FINAL_DEMAND][i];
		else
			bad[nbad++] = i;
	}
	if (nbad > 0)
		io_sector_error(m->t, "missing accounts", "These sectors have neither total_output nor final_demand, so their total output is unknown.", bad, nbad);

	for (int i = 0; i < n; i++)
		if (!(m->x[i] > 0))
			bad[nbad++] = i;
	if (nbad > 0)
		io_sector_error(m->t, "zero or negative total output", "Coefficients divide by total output, which must be positive for every sector.", bad, nbad);

	/* the row and column totals must agree with x where they are known */
	for (int i = 0; i < n; i++)
		if ((m->given[IO_TOTAL_OUTPUT][i] && m->given[IO_FINAL_DEMAND][i] &&
			 out_of_balance(m->x[i], rowz[i] + m->acct[IO_FINAL_DEMAND][i])) ||
			(m->given[IO_VALUE_ADDED][i] &&
			 out_of_balance(m->x[i], colz[i] + m->acct[IO_VALUE_ADDED][i])))
			bad[nbad++] = i;
	if (nbad > 0)
		io_sector_error(m->t, "row and column totals disagree with total output",
						"Total output must equal intermediate sales plus final demand (row) and intermediate purchases plus value added (column) to a relative 1e-6; vic.io_balance(t) lists the gaps.",
						bad, nbad);
	pfree(rowz);
	pfree(colz);
	pfree(sells);
	pfree(buys);
	pfree(bad);
}

/* A = Z diag(x)^-1 (Miller & Blair 2009, ch. 2) */
double *
io_technical(const IoModel *m)
{
	int			n = m->n;
	double	   *a = vic_alloc_array((int64) n * n, sizeof(double));

	for (int j = 0; j < n; j++)
	{
		double		inv = 1.0 / m->x[j];

		for (int i = 0; i < n; i++)
			a[i + (Size) j * n] = m->z[i + (Size) j * n] * inv;
		VIC_POLL_INTERRUPTS(j);
	}
	return a;
}

/* B = diag(x)^-1 Z (Miller & Blair 2009, ch. 12; Ghosh 1958) */
double *
io_allocation(const IoModel *m)
{
	int			n = m->n;
	double	   *b = vic_alloc_array((int64) n * n, sizeof(double));

	for (int j = 0; j < n; j++)
	{
		for (int i = 0; i < n; i++)
			b[i + (Size) j * n] = m->z[i + (Size) j * n] / m->x[i];
		VIC_POLL_INTERRUPTS(j);
	}
	return b;
}

/* LU of I - coef, with the singularity checks (iotable.h) */
double *
io_factor_i_minus(const IoModel *m, const double *coef, bool by_row, int **ipiv,
				  const char *what)
{
	int			n = m->n;
	double	   *lu = vic_alloc_array((int64) n * n, sizeof(double));
	double		anorm;
	int			zero;

	for (Size k = 0; k < (Size) n * n; k++)
		lu[k] = -coef[k];
	for (int i = 0; i < n; i++)
		lu[i + (Size) i * n] += 1.0;
	anorm = vic_norm1(lu, n);
	*ipiv = vic_alloc_array(Max(n, 1), sizeof(int));
	zero = vic_lu_factor(lu, n, *ipiv);
	if (zero != 0 || !(vic_lu_rcond(lu, n, anorm) >= n * DBL_EPSILON))
	{
		/*
		 * Name the sectors that spend (A) or sell (B) their whole output on
		 * intermediate use: a group of them closed among themselves is what
		 * makes I - A singular (no leakage to value added or final demand).
		 */
		int		   *bad = vic_alloc_array(Max(n, 1), sizeof(int));
		int			nbad = 0;
		bool		byrow = by_row;

		for (int j = 0; j < n; j++)
		{
			double		s = 0;

			for (int i = 0; i < n; i++)
				s += byrow ? coef[j + (Size) i * n] : coef[i + (Size) j * n];
			if (s >= 1 - 1e-12)
				bad[nbad++] = j;
		}
		if (nbad == 0 && zero != 0)
			bad[nbad++] = zero - 1;
		if (nbad == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s is singular or too ill-conditioned to invert", what),
					 errdetail("Its reciprocal condition number is below %d times the machine epsilon.", n)));
		io_sector_error(m->t, psprintf("%s is singular", what),
						byrow ? "These sectors sell all their output as intermediate inputs (row sums of the coefficients reach 1), so the system has no leakage."
						: "These sectors spend all their output on intermediate inputs (column sums of A reach 1), so the system has no leakage.",
						bad, nbad);
	}
	return lu;
}
