/*
 * profile_sort.h
 *		The member sort engine of vic.profile: sort member entries by (id,
 *		industry) and fold duplicates exactly.
 *
 * The engine knows the member entry and nothing of the expanded profile:
 * when folding two equal entries leaves a rounding error, it hands the
 * error to a fold sink, so the sum stays exact wherever the caller keeps
 * further parts (profile_agg.c: the expanded profile's part list;
 * test/unit/profile_sort_test.c: a list of its own).  It needs only
 * postgres.h-level definitions, so the unit test compiles it standalone.
 */
#ifndef VIC_PROFILE_SORT_H
#define VIC_PROFILE_SORT_H

/* a member entry's code carries this bit when the member had a location */
#define VIC_MEMBER_LOCATED		(INT64CONST(1) << 62)
#define VIC_MEMBER_CODE(c)		((c) & ~VIC_MEMBER_LOCATED)

typedef struct VicProfileMember
{
	int64		id;
	int64		code;			/* industry code | VIC_MEMBER_LOCATED */
	float8		weight;
} VicProfileMember;

/*
 * Where folding puts the rounding error of a weight: part(arg, id, code,
 * err) is called with the entry's id, its code without the location bit
 * and err != 0, the exact error of the rounded sum (TwoSum: Knuth, TAOCP
 * vol. 2, 3rd ed., 1997, sec. 4.2.2, theorem B), so that the folded
 * weight plus the errors given to the sink is the exact sum.
 */
typedef struct VicFoldSink
{
	void		(*part) (void *arg, int64 id, int64 code, float8 err);
	void	   *arg;
} VicFoldSink;

/* order of member entries: id, then code without the location bit */
static inline int
member_cmp_inline(const VicProfileMember *x, const VicProfileMember *y)
{
	int64		cx = VIC_MEMBER_CODE(x->code);
	int64		cy = VIC_MEMBER_CODE(y->code);

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return 0;
}

extern int64 profile_sort_fold_members(const VicFoldSink *sink, VicProfileMember *m, int64 n);
extern int64 profile_fold_members(const VicFoldSink *sink, VicProfileMember *m, int64 n);
extern void profile_merge_adjacent_runs(VicProfileMember *m, int64 mid, int64 n);
extern int64 profile_merge_members_into(const VicFoldSink *sink, VicProfileMember *out,
										const VicProfileMember *a, int64 na,
										const VicProfileMember *b, int64 nb);

#endif							/* VIC_PROFILE_SORT_H */
