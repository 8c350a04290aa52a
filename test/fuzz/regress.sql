-- Fixed regression cases for bugs found by test/fuzz/fuzz.py.  Each case is one statement after a
-- "-- case: <description>" line; "-- expect: <SQLSTATE or ok>" pins its outcome.

-- case: profile text whose member industry has no cell is bad input (22P02), not corruption (XX001)
-- expect: 22P02
SELECT '{"members":[[1,"C1316",1,true]],"cells":[["r1","C1312",1]],"location":[1,0,0,1]}'::vic.profile;

-- case: profile text with location moments longer than the located weight is 22P02
-- expect: 22P02
SELECT '{"members":[[1,"C1311",1,true]],"cells":[["r1","C1311",1]],"location":[1,92233720368547758036854775807,0,1]}'::vic.profile;

-- case: multi_membership_final called by hand on a cluster profile is 22023, not XX000
-- expect: 22023
SELECT vic.multi_membership_final(vic.profile_agg(1, 'C1311', 'a', 1));

-- case: subnormal weights written by profile_out read back (strtod's ERANGE on subnormals)
-- expect: ok
SELECT '{"members":[[1,"C1311",5e-324,false]],"cells":[[null,"C1311",5e-324]],"location":[0,0,0,0]}'::vic.profile::text::vic.profile;

-- case: subnormal location moments round-trip through text
-- expect: ok
SELECT '{"members":[[1,"C1311",1,true]],"cells":[[null,"C1311",1]],"location":[1,2.27e-322,0,1]}'::vic.profile::text::vic.profile;

-- case: location moments on a profile without located members are refused even when subnormal
-- (their squares underflow, so the resultant length alone reads 0)
-- expect: 22P02
SELECT '{"members":[],"cells":[],"location":[0,0,0,2.27e-322]}'::vic.profile;

-- case: a recv'd profile with a -0 cell weight prints and reads back to the same value
-- copy: vic.profile 010000000001000000007fffffff0000000118e22000000000000000000000000001ffffffff00000001000000000000000118e220008000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
-- expect: true
SELECT bool_and(v::text::vic.profile::text = v::text AND vic.profile_send(v) = vic.profile_send(v::text::vic.profile)) FROM fz_copy;

-- case: pagerank of a 2-cycle with subnormal weights is 1/2 each (1 / out-strength overflowed to Infinity)
-- expect: true
SELECT bool_and(abs(pagerank - 0.5) < 1e-12) FROM vic.pagerank('{1->2:1e-310,2->1:1e-310}'::vic.graph);

-- case: pagerank with huge out-weights (out-strength overflows) still sums to 1
-- expect: true
SELECT abs(sum(pagerank) - 1) < 1e-9 AND bool_and(pagerank > 0.2) FROM vic.pagerank('{1->2:1e308,1->3:1e308,2->1:1,3->1:1}'::vic.graph);

-- case: degrees whose strength overflows double precision raise 22003 instead of returning Infinity
-- expect: 22003
SELECT * FROM vic.degrees('{1->2:1e308,1->3:1.7e308}'::vic.graph);

-- case: constraint whose mutual strengths overflow raises 22003 instead of returning NaN
-- expect: 22003
SELECT * FROM vic.burt_constraint('{1->2:1e308,2->1:1.7e308,2->3:1}'::vic.graph);

-- case: a profile whose summed weights overflow raises 22003 (it stored Infinity, which text input refuses)
-- expect: 22003
SELECT vic.profile_agg(i, 'C1311', 'a', 1.7e308)::text FROM generate_series(1, 3) i;

-- case: merging profiles whose weights overflow raises 22003
-- expect: 22003
SELECT vic.total_weight(vic.profile_agg(1, 'C1311', 'a', 1.7e308) OPERATOR(vic.||) vic.profile_agg(2, 'C1312', 'b', 1.7e308));

-- case: a region count that leaves no room for each region's cell is refused before allocating (22P03)
-- (the bug itself, palloc of 8 * nregions > 1 GB giving XX000, needs a ~1 GB message; this pins the
-- SQLSTATE of the early refusal only)
-- copy: vic.profile 01000000000000000003ffffffff000000000000000000
-- expect: 22P03
SELECT count(*) FROM fz_copy;

-- case: space_cells of a NULL space (the function is not strict for its DEFAULT NULL level) has no rows, not a crash
-- expect: ok
SELECT count(*) FROM vic.space_cells(NULL::vic.space, 2);

-- case: Clark-Evans over an area so small that the density overflows is 22003, not Infinity
-- expect: 22003
SELECT * FROM vic.clark_evans('geometry(0){1:1.5 -1:1,2:3 -2:1,3:4.5 -3:1}'::vic.points, 4.9e-324::float8);

-- case: modularity of a graph without weight is NULL (NaN before 0.2.0)
-- expect: ok
SELECT vic.modularity('{1->2:0,2->1:0}'::vic.graph, '{1,2}', '{99,98}', 1e300) IS NULL;
