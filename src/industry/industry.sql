-- ====================================================================
-- vic.industry: a code in an industry classification hierarchy
-- (GB/T 4754-2017 default, ISIC Rev.4, NACE Rev.2, NAICS 2022).
-- An int64 whose plain order is hierarchical (src/vic.h), so equality,
-- ordering and hashing reuse PostgreSQL's own int8 functions.
-- ====================================================================

CREATE TYPE vic.industry;

CREATE FUNCTION vic.industry_in(cstring) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_in(cstring) IS 'text input of vic.industry: "C3825", "3825", "isic4:C2610", "nace2:C26.11", "naics:334413"';

CREATE FUNCTION vic.industry_out(vic.industry) RETURNS cstring
AS 'MODULE_PATHNAME', 'vic_industry_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_out(vic.industry) IS 'canonical text output of vic.industry (section letter upper case, scheme prefix except for GB/T 4754-2017)';

CREATE FUNCTION vic.industry_recv(internal) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_recv(internal) IS 'binary input of vic.industry: a version byte, then the 8-byte code, validated';

CREATE FUNCTION vic.industry_send(vic.industry) RETURNS bytea
AS 'MODULE_PATHNAME', 'vic_industry_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_send(vic.industry) IS 'binary output of vic.industry: a version byte (1), then the 8-byte code';

CREATE TYPE vic.industry (
	INPUT = vic.industry_in,
	OUTPUT = vic.industry_out,
	RECEIVE = vic.industry_recv,
	SEND = vic.industry_send,
	INTERNALLENGTH = 8,
	PASSEDBYVALUE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE vic.industry IS 'industry code in a classification tree (GB/T 4754-2017 by default; isic4:, nace2:, naics: prefixes); 8 bytes, btree order puts a parent right before its descendants';

CREATE CAST (vic.industry AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (vic.industry AS text) IS 'canonical text form of an industry code';
CREATE CAST (text AS vic.industry) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS vic.industry) IS 'parse an industry code from text (22P02 on bad input)';

-- Comparison: PostgreSQL's int8 functions, which are exactly the hierarchical order.
CREATE FUNCTION vic.industry_eq(vic.industry, vic.industry) RETURNS boolean
AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_eq(vic.industry, vic.industry) IS 'same industry code (int8eq)';
CREATE FUNCTION vic.industry_ne(vic.industry, vic.industry) RETURNS boolean
AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_ne(vic.industry, vic.industry) IS 'different industry codes (int8ne)';
CREATE FUNCTION vic.industry_lt(vic.industry, vic.industry) RETURNS boolean
AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_lt(vic.industry, vic.industry) IS 'sorts before, in hierarchical order (int8lt)';
CREATE FUNCTION vic.industry_le(vic.industry, vic.industry) RETURNS boolean
AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_le(vic.industry, vic.industry) IS 'sorts before or equal, in hierarchical order (int8le)';
CREATE FUNCTION vic.industry_gt(vic.industry, vic.industry) RETURNS boolean
AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_gt(vic.industry, vic.industry) IS 'sorts after, in hierarchical order (int8gt)';
CREATE FUNCTION vic.industry_ge(vic.industry, vic.industry) RETURNS boolean
AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_ge(vic.industry, vic.industry) IS 'sorts after or equal, in hierarchical order (int8ge)';
CREATE FUNCTION vic.industry_cmp(vic.industry, vic.industry) RETURNS integer
AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_cmp(vic.industry, vic.industry) IS 'btree comparison of industry codes: -1, 0, 1 (btint8cmp)';
CREATE FUNCTION vic.industry_sortsupport(internal) RETURNS void
AS 'btint8sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_sortsupport(internal) IS 'btree sort support for industry codes (btint8sortsupport)';
CREATE FUNCTION vic.industry_hash(vic.industry) RETURNS integer
AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_hash(vic.industry) IS 'hash of an industry code (hashint8)';
CREATE FUNCTION vic.industry_hash_extended(vic.industry, bigint) RETURNS bigint
AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_hash_extended(vic.industry, bigint) IS 'seeded 64-bit hash of an industry code (hashint8extended)';

CREATE OPERATOR vic.= (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_eq,
	COMMUTATOR = OPERATOR(vic.=), NEGATOR = OPERATOR(vic.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR vic.= (vic.industry, vic.industry) IS 'same industry code';
CREATE OPERATOR vic.<> (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_ne,
	COMMUTATOR = OPERATOR(vic.<>), NEGATOR = OPERATOR(vic.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR vic.<> (vic.industry, vic.industry) IS 'different industry codes';
CREATE OPERATOR vic.< (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_lt,
	COMMUTATOR = OPERATOR(vic.>), NEGATOR = OPERATOR(vic.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR vic.< (vic.industry, vic.industry) IS 'sorts before (scheme, then hierarchical order: a parent right before its descendants)';
CREATE OPERATOR vic.<= (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_le,
	COMMUTATOR = OPERATOR(vic.>=), NEGATOR = OPERATOR(vic.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR vic.<= (vic.industry, vic.industry) IS 'sorts before or equal';
CREATE OPERATOR vic.> (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_gt,
	COMMUTATOR = OPERATOR(vic.<), NEGATOR = OPERATOR(vic.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR vic.> (vic.industry, vic.industry) IS 'sorts after';
CREATE OPERATOR vic.>= (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_ge,
	COMMUTATOR = OPERATOR(vic.<=), NEGATOR = OPERATOR(vic.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR vic.>= (vic.industry, vic.industry) IS 'sorts after or equal';

CREATE FUNCTION vic.industry_smaller(vic.industry, vic.industry) RETURNS vic.industry
AS 'int8smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_smaller(vic.industry, vic.industry) IS 'the code that sorts first (int8smaller)';
CREATE FUNCTION vic.industry_larger(vic.industry, vic.industry) RETURNS vic.industry
AS 'int8larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_larger(vic.industry, vic.industry) IS 'the code that sorts last (int8larger)';

CREATE AGGREGATE vic.min(vic.industry) (
	SFUNC = vic.industry_smaller, STYPE = vic.industry, COMBINEFUNC = vic.industry_smaller,
	SORTOP = OPERATOR(vic.<), PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.min(vic.industry) IS 'first code in hierarchical order (an index can answer it)';
CREATE AGGREGATE vic.max(vic.industry) (
	SFUNC = vic.industry_larger, STYPE = vic.industry, COMBINEFUNC = vic.industry_larger,
	SORTOP = OPERATOR(vic.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE vic.max(vic.industry) IS 'last code in hierarchical order (an index can answer it)';

CREATE OPERATOR CLASS vic.industry_ops DEFAULT FOR TYPE vic.industry USING btree AS
	OPERATOR 1 vic.< ,
	OPERATOR 2 vic.<= ,
	OPERATOR 3 vic.= ,
	OPERATOR 4 vic.>= ,
	OPERATOR 5 vic.> ,
	FUNCTION 1 vic.industry_cmp(vic.industry, vic.industry),
	FUNCTION 2 vic.industry_sortsupport(internal),
	FUNCTION 4 btequalimage(oid);
COMMENT ON OPERATOR FAMILY vic.industry_ops USING btree IS 'btree family of vic.industry (one type: codes of all schemes compare by scheme tag, then hierarchically)';
COMMENT ON OPERATOR CLASS vic.industry_ops USING btree IS 'hierarchical order of industry codes; also answers <@ and @> through a planner support function';

CREATE OPERATOR CLASS vic.industry_hash_ops DEFAULT FOR TYPE vic.industry USING hash AS
	OPERATOR 1 vic.= ,
	FUNCTION 1 vic.industry_hash(vic.industry),
	FUNCTION 2 vic.industry_hash_extended(vic.industry, bigint);
COMMENT ON OPERATOR FAMILY vic.industry_hash_ops USING hash IS 'hash family of vic.industry';
COMMENT ON OPERATOR CLASS vic.industry_hash_ops USING hash IS 'hash equality of industry codes';

-- Hierarchy: containment with btree index support.
CREATE FUNCTION vic.industry_contains_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'vic_industry_contains_support'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_contains_support(internal) IS 'planner support for @>: btree index conditions (a key range, or = ANY of the ancestors)';
CREATE FUNCTION vic.industry_contained_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'vic_industry_contained_support'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_contained_support(internal) IS 'planner support for <@: btree index conditions (a key range, or = ANY of the ancestors)';

CREATE FUNCTION vic.industry_contains(vic.industry, vic.industry) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_industry_contains'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1
SUPPORT vic.industry_contains_support;
COMMENT ON FUNCTION vic.industry_contains(vic.industry, vic.industry) IS 'true when the first code is the second or one of its ancestors (operator @>)';
CREATE FUNCTION vic.industry_contained(vic.industry, vic.industry) RETURNS boolean
AS 'MODULE_PATHNAME', 'vic_industry_contained'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1
SUPPORT vic.industry_contained_support;
COMMENT ON FUNCTION vic.industry_contained(vic.industry, vic.industry) IS 'true when the first code is the second or one of its descendants (operator <@)';

CREATE FUNCTION vic.industry_contsel(internal, oid, internal, integer) RETURNS float8
AS 'MODULE_PATHNAME', 'vic_industry_contsel'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION vic.industry_contsel(internal, oid, internal, integer) IS 'restriction selectivity of @> and <@ on industry codes (operator applied to MCVs and histogram)';

CREATE OPERATOR vic.@> (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_contains,
	COMMUTATOR = OPERATOR(vic.<@),
	RESTRICT = vic.industry_contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR vic.@> (vic.industry, vic.industry) IS 'is the same code as or an ancestor of';
CREATE OPERATOR vic.<@ (
	LEFTARG = vic.industry, RIGHTARG = vic.industry, FUNCTION = vic.industry_contained,
	COMMUTATOR = OPERATOR(vic.@>),
	RESTRICT = vic.industry_contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR vic.<@ (vic.industry, vic.industry) IS 'is the same code as or a descendant of';

-- Hierarchy functions.
CREATE FUNCTION vic.industry_subtree_last(code vic.industry) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_subtree_last'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_subtree_last(vic.industry) IS 'greatest valid code in the subtree of code (the section''s last division, then 9 at each finer level): code <@ c is code BETWEEN c AND industry_subtree_last(c); used by the index support of <@ and @>';

CREATE FUNCTION vic.industry_level(code vic.industry) RETURNS integer
AS 'MODULE_PATHNAME', 'vic_industry_level'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_level(vic.industry) IS 'depth of the code: 1 section ... 4 class (NAICS: 1 two-digit sector ... 5 six-digit industry)';

CREATE FUNCTION vic.industry_parent(code vic.industry) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_parent'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_parent(vic.industry) IS 'the code one level up; NULL for a level-1 code';

CREATE FUNCTION vic.industry_ancestor(code vic.industry, level integer) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_ancestor'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_ancestor(vic.industry, integer) IS 'the ancestor at the given level (1 = section); the code itself when it is not deeper than level; level outside the scheme raises 22023';

CREATE FUNCTION vic.industry_scheme(code vic.industry) RETURNS text
AS 'MODULE_PATHNAME', 'vic_industry_scheme'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_scheme(vic.industry) IS 'classification scheme of the code: gbt4754, isic4, nace2 or naics';

CREATE FUNCTION vic.industry_lca(a vic.industry, b vic.industry) RETURNS vic.industry
AS 'MODULE_PATHNAME', 'vic_industry_lca'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF COST 1;
COMMENT ON FUNCTION vic.industry_lca(vic.industry, vic.industry) IS 'lowest common ancestor-or-self of two codes; NULL when they share no section (sector) or differ in scheme';

CREATE FUNCTION vic.industry_distance(a vic.industry, b vic.industry) RETURNS integer
AS 'MODULE_PATHNAME', 'vic_industry_distance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION vic.industry_distance(vic.industry, vic.industry) IS 'tree hops between two codes through their lowest common ancestor (the virtual root when none): level(a) + level(b) - 2 level(lca); different schemes raise 22023';

-- ====================================================================
-- vic.industry_catalog: names of codes.  Shipped with the sections and
-- divisions of GB/T 4754-2017 (English and Chinese) and ISIC Rev.4
-- (English).  Rows that users add (groups, classes, other schemes) have
-- user_added = true and are saved by pg_dump; shipped rows come from this
-- script.
-- ====================================================================

CREATE TABLE vic.industry_catalog (
	code vic.industry PRIMARY KEY,
	name_en text,
	name_zh text,
	user_added boolean NOT NULL DEFAULT true,
	CHECK (name_en IS NOT NULL OR name_zh IS NOT NULL)
);
COMMENT ON TABLE vic.industry_catalog IS 'names of industry codes: GB/T 4754-2017 and ISIC Rev.4 sections and divisions shipped (user_added = false); rows users add are kept by pg_dump';
COMMENT ON COLUMN vic.industry_catalog.code IS 'the code named';
COMMENT ON COLUMN vic.industry_catalog.name_en IS 'English name';
COMMENT ON COLUMN vic.industry_catalog.name_zh IS 'Chinese name (GB/T 4754-2017 wording for GB/T codes)';
COMMENT ON COLUMN vic.industry_catalog.user_added IS 'false for rows shipped with vic, true (the default) for rows added by users; only these are dumped by pg_dump';

-- GB/T 4754-2017 (National Bureau of Statistics of China, 2017): 20 sections, 97 divisions.
-- Chinese names are the standard's; English names are vic's translation.
INSERT INTO vic.industry_catalog (code, name_en, name_zh, user_added) VALUES
('A', 'Agriculture, forestry, animal husbandry and fishery', '农、林、牧、渔业', false),
('A01', 'Agriculture', '农业', false),
('A02', 'Forestry', '林业', false),
('A03', 'Animal husbandry', '畜牧业', false),
('A04', 'Fishery', '渔业', false),
('A05', 'Professional and support activities for agriculture, forestry, animal husbandry and fishery', '农、林、牧、渔专业及辅助性活动', false),
('B', 'Mining', '采矿业', false),
('B06', 'Mining and washing of coal', '煤炭开采和洗选业', false),
('B07', 'Extraction of petroleum and natural gas', '石油和天然气开采业', false),
('B08', 'Mining and processing of ferrous metal ores', '黑色金属矿采选业', false),
('B09', 'Mining and processing of non-ferrous metal ores', '有色金属矿采选业', false),
('B10', 'Mining and processing of non-metallic minerals', '非金属矿采选业', false),
('B11', 'Professional and support activities for mining', '开采专业及辅助性活动', false),
('B12', 'Other mining', '其他采矿业', false),
('C', 'Manufacturing', '制造业', false),
('C13', 'Processing of food from agricultural products', '农副食品加工业', false),
('C14', 'Manufacture of foods', '食品制造业', false),
('C15', 'Manufacture of liquor, beverages and refined tea', '酒、饮料和精制茶制造业', false),
('C16', 'Manufacture of tobacco', '烟草制品业', false),
('C17', 'Manufacture of textiles', '纺织业', false),
('C18', 'Manufacture of textile wearing apparel and accessories', '纺织服装、服饰业', false),
('C19', 'Manufacture of leather, fur, feather and related products and footwear', '皮革、毛皮、羽毛及其制品和制鞋业', false),
('C20', 'Processing of timber and manufacture of wood, bamboo, rattan, palm and straw products', '木材加工和木、竹、藤、棕、草制品业', false),
('C21', 'Manufacture of furniture', '家具制造业', false),
('C22', 'Manufacture of paper and paper products', '造纸和纸制品业', false),
('C23', 'Printing and reproduction of recording media', '印刷和记录媒介复制业', false),
('C24', 'Manufacture of articles for culture, education, arts and crafts, sport and entertainment', '文教、工美、体育和娱乐用品制造业', false),
('C25', 'Processing of petroleum, coal and other fuels', '石油、煤炭及其他燃料加工业', false),
('C26', 'Manufacture of raw chemical materials and chemical products', '化学原料和化学制品制造业', false),
('C27', 'Manufacture of medicines', '医药制造业', false),
('C28', 'Manufacture of chemical fibres', '化学纤维制造业', false),
('C29', 'Manufacture of rubber and plastics products', '橡胶和塑料制品业', false),
('C30', 'Manufacture of non-metallic mineral products', '非金属矿物制品业', false),
('C31', 'Smelting and pressing of ferrous metals', '黑色金属冶炼和压延加工业', false),
('C32', 'Smelting and pressing of non-ferrous metals', '有色金属冶炼和压延加工业', false),
('C33', 'Manufacture of metal products', '金属制品业', false),
('C34', 'Manufacture of general purpose machinery', '通用设备制造业', false),
('C35', 'Manufacture of special purpose machinery', '专用设备制造业', false),
('C36', 'Manufacture of automobiles', '汽车制造业', false),
('C37', 'Manufacture of railway, ship, aerospace and other transport equipment', '铁路、船舶、航空航天和其他运输设备制造业', false),
('C38', 'Manufacture of electrical machinery and apparatus', '电气机械和器材制造业', false),
('C39', 'Manufacture of computers, communication and other electronic equipment', '计算机、通信和其他电子设备制造业', false),
('C40', 'Manufacture of measuring instruments and meters', '仪器仪表制造业', false),
('C41', 'Other manufacturing', '其他制造业', false),
('C42', 'Comprehensive utilisation of waste resources', '废弃资源综合利用业', false),
('C43', 'Repair of metal products, machinery and equipment', '金属制品、机械和设备修理业', false),
('D', 'Production and supply of electricity, heat, gas and water', '电力、热力、燃气及水生产和供应业', false),
('D44', 'Production and supply of electric power and heat', '电力、热力生产和供应业', false),
('D45', 'Production and supply of gas', '燃气生产和供应业', false),
('D46', 'Production and supply of water', '水的生产和供应业', false),
('E', 'Construction', '建筑业', false),
('E47', 'Construction of buildings', '房屋建筑业', false),
('E48', 'Civil engineering', '土木工程建筑业', false),
('E49', 'Construction installation', '建筑安装业', false),
('E50', 'Building decoration, renovation and other construction', '建筑装饰、装修和其他建筑业', false),
('F', 'Wholesale and retail trade', '批发和零售业', false),
('F51', 'Wholesale trade', '批发业', false),
('F52', 'Retail trade', '零售业', false),
('G', 'Transport, storage and postal services', '交通运输、仓储和邮政业', false),
('G53', 'Rail transport', '铁路运输业', false),
('G54', 'Road transport', '道路运输业', false),
('G55', 'Water transport', '水上运输业', false),
('G56', 'Air transport', '航空运输业', false),
('G57', 'Pipeline transport', '管道运输业', false),
('G58', 'Multimodal transport and transport agency', '多式联运和运输代理业', false),
('G59', 'Loading, unloading and storage', '装卸搬运和仓储业', false),
('G60', 'Postal services', '邮政业', false),
('H', 'Accommodation and catering', '住宿和餐饮业', false),
('H61', 'Accommodation', '住宿业', false),
('H62', 'Catering services', '餐饮业', false),
('I', 'Information transmission, software and information technology services', '信息传输、软件和信息技术服务业', false),
('I63', 'Telecommunications, radio and television and satellite transmission services', '电信、广播电视和卫星传输服务', false),
('I64', 'Internet and related services', '互联网和相关服务', false),
('I65', 'Software and information technology services', '软件和信息技术服务业', false),
('J', 'Finance', '金融业', false),
('J66', 'Monetary and financial services', '货币金融服务', false),
('J67', 'Capital market services', '资本市场服务', false),
('J68', 'Insurance', '保险业', false),
('J69', 'Other financial services', '其他金融业', false),
('K', 'Real estate', '房地产业', false),
('K70', 'Real estate', '房地产业', false),
('L', 'Leasing and business services', '租赁和商务服务业', false),
('L71', 'Leasing', '租赁业', false),
('L72', 'Business services', '商务服务业', false),
('M', 'Scientific research and technical services', '科学研究和技术服务业', false),
('M73', 'Research and experimental development', '研究和试验发展', false),
('M74', 'Professional technical services', '专业技术服务业', false),
('M75', 'Promotion and application of science and technology', '科技推广和应用服务业', false),
('N', 'Management of water conservancy, environment and public facilities', '水利、环境和公共设施管理业', false),
('N76', 'Management of water conservancy', '水利管理业', false),
('N77', 'Ecological protection and environmental governance', '生态保护和环境治理业', false),
('N78', 'Management of public facilities', '公共设施管理业', false),
('N79', 'Land management', '土地管理业', false),
('O', 'Resident services, repair and other services', '居民服务、修理和其他服务业', false),
('O80', 'Resident services', '居民服务业', false),
('O81', 'Repair of motor vehicles, electronic products and household goods', '机动车、电子产品和日用产品修理业', false),
('O82', 'Other services', '其他服务业', false),
('P', 'Education', '教育', false),
('P83', 'Education', '教育', false),
('Q', 'Health and social work', '卫生和社会工作', false),
('Q84', 'Health', '卫生', false),
('Q85', 'Social work', '社会工作', false),
('R', 'Culture, sports and entertainment', '文化、体育和娱乐业', false),
('R86', 'News and publishing', '新闻和出版业', false),
('R87', 'Radio, television, film and sound recording production', '广播、电视、电影和录音制作业', false),
('R88', 'Culture and arts', '文化艺术业', false),
('R89', 'Sports', '体育', false),
('R90', 'Entertainment', '娱乐业', false),
('S', 'Public administration, social security and social organisations', '公共管理、社会保障和社会组织', false),
('S91', 'Organs of the Communist Party of China', '中国共产党机关', false),
('S92', 'State organs', '国家机构', false),
('S93', 'Chinese People''s Political Consultative Conference and democratic parties', '人民政协、民主党派', false),
('S94', 'Social security', '社会保障', false),
('S95', 'Mass organisations, social organisations and other membership organisations', '群众团体、社会团体和其他成员组织', false),
('S96', 'Grassroots self-governing organisations and other organisations', '基层群众自治组织及其他组织', false),
('T', 'International organisations', '国际组织', false),
('T97', 'International organisations', '国际组织', false);

-- ISIC Rev.4 (United Nations, Statistical Papers M/4/Rev.4, 2008): 21 sections, 88 divisions.
INSERT INTO vic.industry_catalog (code, name_en, user_added) VALUES
('isic4:A', 'Agriculture, forestry and fishing', false),
('isic4:A01', 'Crop and animal production, hunting and related service activities', false),
('isic4:A02', 'Forestry and logging', false),
('isic4:A03', 'Fishing and aquaculture', false),
('isic4:B', 'Mining and quarrying', false),
('isic4:B05', 'Mining of coal and lignite', false),
('isic4:B06', 'Extraction of crude petroleum and natural gas', false),
('isic4:B07', 'Mining of metal ores', false),
('isic4:B08', 'Other mining and quarrying', false),
('isic4:B09', 'Mining support service activities', false),
('isic4:C', 'Manufacturing', false),
('isic4:C10', 'Manufacture of food products', false),
('isic4:C11', 'Manufacture of beverages', false),
('isic4:C12', 'Manufacture of tobacco products', false),
('isic4:C13', 'Manufacture of textiles', false),
('isic4:C14', 'Manufacture of wearing apparel', false),
('isic4:C15', 'Manufacture of leather and related products', false),
('isic4:C16', 'Manufacture of wood and of products of wood and cork, except furniture; manufacture of articles of straw and plaiting materials', false),
('isic4:C17', 'Manufacture of paper and paper products', false),
('isic4:C18', 'Printing and reproduction of recorded media', false),
('isic4:C19', 'Manufacture of coke and refined petroleum products', false),
('isic4:C20', 'Manufacture of chemicals and chemical products', false),
('isic4:C21', 'Manufacture of basic pharmaceutical products and pharmaceutical preparations', false),
('isic4:C22', 'Manufacture of rubber and plastics products', false),
('isic4:C23', 'Manufacture of other non-metallic mineral products', false),
('isic4:C24', 'Manufacture of basic metals', false),
('isic4:C25', 'Manufacture of fabricated metal products, except machinery and equipment', false),
('isic4:C26', 'Manufacture of computer, electronic and optical products', false),
('isic4:C27', 'Manufacture of electrical equipment', false),
('isic4:C28', 'Manufacture of machinery and equipment n.e.c.', false),
('isic4:C29', 'Manufacture of motor vehicles, trailers and semi-trailers', false),
('isic4:C30', 'Manufacture of other transport equipment', false),
('isic4:C31', 'Manufacture of furniture', false),
('isic4:C32', 'Other manufacturing', false),
('isic4:C33', 'Repair and installation of machinery and equipment', false),
('isic4:D', 'Electricity, gas, steam and air conditioning supply', false),
('isic4:D35', 'Electricity, gas, steam and air conditioning supply', false),
('isic4:E', 'Water supply; sewerage, waste management and remediation activities', false),
('isic4:E36', 'Water collection, treatment and supply', false),
('isic4:E37', 'Sewerage', false),
('isic4:E38', 'Waste collection, treatment and disposal activities; materials recovery', false),
('isic4:E39', 'Remediation activities and other waste management services', false),
('isic4:F', 'Construction', false),
('isic4:F41', 'Construction of buildings', false),
('isic4:F42', 'Civil engineering', false),
('isic4:F43', 'Specialized construction activities', false),
('isic4:G', 'Wholesale and retail trade; repair of motor vehicles and motorcycles', false),
('isic4:G45', 'Wholesale and retail trade and repair of motor vehicles and motorcycles', false),
('isic4:G46', 'Wholesale trade, except of motor vehicles and motorcycles', false),
('isic4:G47', 'Retail trade, except of motor vehicles and motorcycles', false),
('isic4:H', 'Transportation and storage', false),
('isic4:H49', 'Land transport and transport via pipelines', false),
('isic4:H50', 'Water transport', false),
('isic4:H51', 'Air transport', false),
('isic4:H52', 'Warehousing and support activities for transportation', false),
('isic4:H53', 'Postal and courier activities', false),
('isic4:I', 'Accommodation and food service activities', false),
('isic4:I55', 'Accommodation', false),
('isic4:I56', 'Food and beverage service activities', false),
('isic4:J', 'Information and communication', false),
('isic4:J58', 'Publishing activities', false),
('isic4:J59', 'Motion picture, video and television programme production, sound recording and music publishing activities', false),
('isic4:J60', 'Programming and broadcasting activities', false),
('isic4:J61', 'Telecommunications', false),
('isic4:J62', 'Computer programming, consultancy and related activities', false),
('isic4:J63', 'Information service activities', false),
('isic4:K', 'Financial and insurance activities', false),
('isic4:K64', 'Financial service activities, except insurance and pension funding', false),
('isic4:K65', 'Insurance, reinsurance and pension funding, except compulsory social security', false),
('isic4:K66', 'Activities auxiliary to financial service and insurance activities', false),
('isic4:L', 'Real estate activities', false),
('isic4:L68', 'Real estate activities', false),
('isic4:M', 'Professional, scientific and technical activities', false),
('isic4:M69', 'Legal and accounting activities', false),
('isic4:M70', 'Activities of head offices; management consultancy activities', false),
('isic4:M71', 'Architectural and engineering activities; technical testing and analysis', false),
('isic4:M72', 'Scientific research and development', false),
('isic4:M73', 'Advertising and market research', false),
('isic4:M74', 'Other professional, scientific and technical activities', false),
('isic4:M75', 'Veterinary activities', false),
('isic4:N', 'Administrative and support service activities', false),
('isic4:N77', 'Rental and leasing activities', false),
('isic4:N78', 'Employment activities', false),
('isic4:N79', 'Travel agency, tour operator, reservation service and related activities', false),
('isic4:N80', 'Security and investigation activities', false),
('isic4:N81', 'Services to buildings and landscape activities', false),
('isic4:N82', 'Office administrative, office support and other business support activities', false),
('isic4:O', 'Public administration and defence; compulsory social security', false),
('isic4:O84', 'Public administration and defence; compulsory social security', false),
('isic4:P', 'Education', false),
('isic4:P85', 'Education', false),
('isic4:Q', 'Human health and social work activities', false),
('isic4:Q86', 'Human health activities', false),
('isic4:Q87', 'Residential care activities', false),
('isic4:Q88', 'Social work activities without accommodation', false),
('isic4:R', 'Arts, entertainment and recreation', false),
('isic4:R90', 'Creative, arts and entertainment activities', false),
('isic4:R91', 'Libraries, archives, museums and other cultural activities', false),
('isic4:R92', 'Gambling and betting activities', false),
('isic4:R93', 'Sports activities and amusement and recreation activities', false),
('isic4:S', 'Other service activities', false),
('isic4:S94', 'Activities of membership organizations', false),
('isic4:S95', 'Repair of computers and personal and household goods', false),
('isic4:S96', 'Other personal service activities', false),
('isic4:T', 'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use', false),
('isic4:T97', 'Activities of households as employers of domestic personnel', false),
('isic4:T98', 'Undifferentiated goods- and services-producing activities of private households for own use', false),
('isic4:U', 'Activities of extraterritorial organizations and bodies', false),
('isic4:U99', 'Activities of extraterritorial organizations and bodies', false);

SELECT pg_catalog.pg_extension_config_dump('vic.industry_catalog', 'WHERE user_added');

CREATE FUNCTION vic.industry_name(code vic.industry, lang text DEFAULT 'en') RETURNS text
AS 'MODULE_PATHNAME', 'vic_industry_name'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION vic.industry_name(vic.industry, text) IS 'name of the code in vic.industry_catalog (lang ''en'' or ''zh''), else of its nearest named ancestor; NULL when none is named';
