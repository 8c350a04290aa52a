/*
 * industry_catalog.c
 *		vic.industry_name(): names from vic.industry_catalog, falling back to
 *		the nearest named ancestor.
 *
 * The catalogue is small (a few hundred rows, more if users add groups and
 * classes), so the first call in a query reads it once through SPI into a
 * sorted array kept in fn_extra; every further call is a binary search per
 * ancestor level.  A STABLE function may do this: within one query the
 * table it reads cannot change under its snapshot.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "common/args.h"
#include "industry.h"

/* names of one catalogue row; NULL where the catalogue has none */
typedef struct IndustryName
{
	VicIndustry code;
	char	   *name[2];		/* [0] English, [1] Chinese */
} IndustryName;

/* the whole catalogue, sorted by code */
typedef struct IndustryNameCache
{
	int			n;
	IndustryName *rows;
} IndustryNameCache;

/* the languages of the catalogue's names, by column: [0] English, [1] Chinese */
static const VicKeyword industry_name_langs[] = {
	{"en", 0},
	{"zh", 1},
};

PG_FUNCTION_INFO_V1(vic_industry_name);

/* read vic.industry_catalog into memory owned by mcxt */
static IndustryNameCache *
industry_name_cache_load(MemoryContext mcxt)
{
	IndustryNameCache *cache;
	int			ret;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute("SELECT code, name_en, name_zh FROM vic.industry_catalog ORDER BY code",
					  true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading vic.industry_catalog failed: %s", SPI_result_code_string(ret));

	cache = MemoryContextAlloc(mcxt, sizeof(IndustryNameCache));
	cache->n = (int) SPI_processed;
	cache->rows = MemoryContextAllocHuge(mcxt, sizeof(IndustryName) * Max(cache->n, 1));
	for (int i = 0; i < cache->n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		cache->rows[i].code = DatumGetVicIndustry(SPI_getbinval(tup, desc, 1, &isnull));
		for (int lang = 0; lang < 2; lang++)
		{
			char	   *s = SPI_getvalue(tup, desc, 2 + lang);

			cache->rows[i].name[lang] = s ? MemoryContextStrdup(mcxt, s) : NULL;
		}
	}
	SPI_finish();
	return cache;
}

/* the catalogue row of code, or NULL */
static const IndustryName *
industry_name_lookup(const IndustryNameCache *cache, VicIndustry code)
{
	int			lo = 0;
	int			hi = cache->n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (cache->rows[mid].code == code)
			return &cache->rows[mid];
		if (cache->rows[mid].code < code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/*
 * industry_name(code, lang): the name of code in lang ('en' or 'zh', in any
 * case), or of its deepest ancestor that has one; NULL when none does.
 */
Datum
vic_industry_name(PG_FUNCTION_ARGS)
{
	VicIndustry code = PG_GETARG_VIC_INDUSTRY(0);
	int			langno = vic_keyword_arg(PG_GETARG_TEXT_PP(1), industry_name_langs,
										 lengthof(industry_name_langs),
										 "industry name language");
	IndustryNameCache *cache;

	cache = (IndustryNameCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		cache = industry_name_cache_load(fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = cache;
	}

	for (int level = industry_level(code); level >= 1; level--)
	{
		const IndustryName *row = industry_name_lookup(cache, industry_ancestor(code, level));

		if (row != NULL && row->name[langno] != NULL)
			PG_RETURN_TEXT_P(cstring_to_text(row->name[langno]));
	}
	PG_RETURN_NULL();
}
