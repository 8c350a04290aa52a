/*
 * Stand-in for PostgreSQL's lib/sort_template.h in C unit tests
 * (test/unit): the same interface (ST_SORT, ST_ELEMENT_TYPE, ST_COMPARE,
 * ST_SCOPE; ST_DECLARE and ST_DEFINE both at once), sorted by insertion.
 * The order of equal elements is unspecified there as well, so a test
 * must not depend on it.  Included once per instance, like the original.
 */
#ifndef ST_SORT
#error "ST_SORT must be defined"
#endif

/* sort a[0..n) by ST_COMPARE */
ST_SCOPE void
ST_SORT(ST_ELEMENT_TYPE *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		ST_ELEMENT_TYPE x = a[i];
		size_t		j = i;

		while (j > 0 && ST_COMPARE(&a[j - 1], &x) > 0)
		{
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
}

#undef ST_SORT
#undef ST_ELEMENT_TYPE
#undef ST_COMPARE
#undef ST_SCOPE
#undef ST_DECLARE
#undef ST_DEFINE
