-- pgTAP: row-level security.  With policies that let a role see only its own firms and links,
-- every vic summary built by that role reflects only the visible rows, and a summary a role
-- built and stored holds none of another role's members through any accessor.
BEGIN;
SELECT plan(10);

CREATE ROLE vic_rls_alice NOLOGIN;
CREATE ROLE vic_rls_bob NOLOGIN;
GRANT USAGE ON SCHEMA vic TO vic_rls_alice, vic_rls_bob;

CREATE TABLE rls_firm (id bigint PRIMARY KEY, owner name NOT NULL, industry vic.industry NOT NULL,
                       region text, location geography, employees float8 NOT NULL);
CREATE TABLE rls_link (src bigint, dst bigint, owner name NOT NULL, weight float8 NOT NULL);
INSERT INTO rls_firm
	SELECT i, CASE WHEN i % 3 = 0 THEN 'vic_rls_bob' ELSE 'vic_rls_alice' END,
	       (ARRAY['C3841', 'C3985', 'C2614', 'I6510'])[1 + i % 4]::vic.industry, 'r' || (i % 5),
	       ST_SetSRID(ST_MakePoint(110 + i % 9, 25 + i % 7), 4326)::geography, 1 + i % 11
	FROM generate_series(1, 600) AS i;
INSERT INTO rls_link
	SELECT i, (i * 37) % 600 + 1, CASE WHEN i % 3 = 0 THEN 'vic_rls_bob' ELSE 'vic_rls_alice' END, 1 + i % 4
	FROM generate_series(1, 600) AS i;
ALTER TABLE rls_firm ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_link ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_firms ON rls_firm USING (owner = current_user);
CREATE POLICY own_links ON rls_link USING (owner = current_user);
GRANT SELECT ON rls_firm, rls_link TO vic_rls_alice, vic_rls_bob;
CREATE TABLE rls_store (owner name, p vic.profile, g vic.graph);
GRANT SELECT, INSERT ON rls_store TO vic_rls_alice, vic_rls_bob;

-- what each role may see, computed by the superuser (who bypasses RLS) with an explicit filter
CREATE TEMP TABLE expected AS
	SELECT owner,
	       (SELECT vic.profile_agg(id, industry, region, location, employees) FROM rls_firm f WHERE f.owner = o.owner) AS p,
	       (SELECT vic.graph_agg(src, dst, weight) FROM rls_link l WHERE l.owner = o.owner) AS g
	FROM (VALUES ('vic_rls_alice'::name), ('vic_rls_bob'::name)) AS o(owner);
GRANT SELECT ON expected TO vic_rls_alice, vic_rls_bob;

SET ROLE vic_rls_alice;
INSERT INTO rls_store
	SELECT current_user, (SELECT vic.profile_agg(id, industry, region, location, employees) FROM rls_firm),
	       (SELECT vic.graph_agg(src, dst, weight) FROM rls_link);
SELECT ok((SELECT p OPERATOR(vic.=) (SELECT p FROM expected WHERE owner = 'vic_rls_alice') FROM rls_store WHERE owner = current_user),
          'alice''s profile_agg sees only her firms (equal to the superuser''s filtered profile)');
SELECT ok((SELECT g OPERATOR(vic.=) (SELECT g FROM expected WHERE owner = 'vic_rls_alice') FROM rls_store WHERE owner = current_user),
          'alice''s graph_agg sees only her links');
SELECT is((SELECT vic.member_count(vic.profile_agg(id, industry, region, employees)) FROM rls_firm), 400::bigint,
          'alice counts her 400 firms, not 600');
RESET ROLE;

SET ROLE vic_rls_bob;
INSERT INTO rls_store
	SELECT current_user, (SELECT vic.profile_agg(id, industry, region, location, employees) FROM rls_firm),
	       (SELECT vic.graph_agg(src, dst, weight) FROM rls_link);
SELECT ok((SELECT p OPERATOR(vic.=) (SELECT p FROM expected WHERE owner = 'vic_rls_bob') FROM rls_store WHERE owner = current_user),
          'bob''s profile_agg sees only his firms');
SELECT ok((SELECT g OPERATOR(vic.=) (SELECT g FROM expected WHERE owner = 'vic_rls_bob') FROM rls_store WHERE owner = current_user),
          'bob''s graph_agg sees only his links');
RESET ROLE;

-- what alice stored holds none of bob's members, through any accessor
SELECT is_empty($$SELECT m.member FROM rls_store s, vic.members(s.p) m JOIN rls_firm f ON f.id = m.member
                  WHERE s.owner = 'vic_rls_alice' AND f.owner <> 'vic_rls_alice'$$,
                'alice''s stored profile: vic.members lists none of bob''s firms');
SELECT is_empty($$SELECT e.src FROM rls_store s, vic.edges(s.g) e
                  WHERE s.owner = 'vic_rls_alice' AND e.src % 3 = 0$$,
                'alice''s stored graph: vic.edges lists none of bob''s links (bob owns the links from ids divisible by 3)');
SELECT is((SELECT vic.total_weight(p) FROM rls_store WHERE owner = 'vic_rls_alice'),
          (SELECT sum(employees) FROM rls_firm WHERE owner = 'vic_rls_alice'),
          'alice''s stored profile: total_weight counts only her employees');
SELECT set_eq($$SELECT industry::text, weight FROM rls_store s, vic.industry_shares(s.p) WHERE s.owner = 'vic_rls_alice'$$,
              $$SELECT industry::text, sum(employees) FROM rls_firm WHERE owner = 'vic_rls_alice' GROUP BY 1$$,
              'alice''s stored profile: industry_shares weigh only her firms');
SELECT is((SELECT vic.member_count(p) + (SELECT vic.member_count(p) FROM rls_store WHERE owner = 'vic_rls_bob')
           FROM rls_store WHERE owner = 'vic_rls_alice'), 600::bigint,
          'the two stored profiles partition the 600 firms (400 + 200)');

SELECT * FROM finish();
ROLLBACK;
