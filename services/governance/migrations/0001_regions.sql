-- The region tree of the county: townships and villages/communities with their statistical
-- division codes, each under its parent; a merged village (合村并居) keeps its row and points at
-- the village it became part of. Every change is also a row of region_changes (append-only).
CREATE TABLE regions (
  code text PRIMARY KEY CHECK (code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  name text NOT NULL CHECK (name <> ''),
  kind text NOT NULL CHECK (kind IN ('COUNTY', 'TOWN', 'DEVELOPMENT_ZONE', 'VILLAGE', 'COMMUNITY')),
  parent_code text REFERENCES regions (code),
  merged_into text REFERENCES regions (code),
  merged_on date,
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A code lies within its parent, one level down.
  CHECK ((parent_code IS NULL AND length(code) = 6) OR
         (parent_code IS NOT NULL AND length(code) = length(parent_code) + 3 AND
          left(code, length(parent_code)) = parent_code)),
  CHECK ((kind = 'COUNTY') = (length(code) = 6)),
  CHECK ((kind IN ('TOWN', 'DEVELOPMENT_ZONE')) = (length(code) = 9)),
  CHECK ((merged_into IS NULL) = (merged_on IS NULL)),
  CHECK (merged_into IS NULL OR (length(code) = 12 AND merged_into <> code))
);
CREATE INDEX regions_parent ON regions (parent_code, code);
CREATE INDEX regions_merged_into ON regions (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE region_changes (
  change_id bigserial PRIMARY KEY,
  code text NOT NULL REFERENCES regions (code),
  change text NOT NULL CHECK (change IN ('ADDED', 'RENAMED', 'MERGED')),
  old_name text NOT NULL DEFAULT '',
  new_name text NOT NULL DEFAULT '',
  into_code text REFERENCES regions (code),
  on_date date,
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX region_changes_code ON region_changes (code, change_id);

-- 枞阳县 (340722) as loaded by `make run` and every fresh database; editable through the API.
--
-- From the seed report: the townships 枞阳镇, 会宫镇, 雨坛镇, 浮山镇, 麒麟镇, 钱桥镇, 金社镇, 项铺镇,
-- 钱铺镇 and the development zone (经开区); the communities 胜利社区 and 新华社区 of 枞阳镇 and the
-- village 龙虎村 of 项铺镇. The report counts 16 township social-work stations, so six more towns
-- are listed: 横埠镇, 义津镇, 官埠桥镇, 汤沟镇, 老洲镇, 陈瑶湖镇 are plausible names NOT taken from
-- the seed (the bureau confirms them). Every other village and community name below is MADE UP,
-- and EVERY code below is made up: plausible statistical division codes (towns 1xx, the zone 400,
-- communities 001–199, villages 200–399), not the official list. The bureau replaces them with
-- the real division list through AddRegion / RenameRegion.
INSERT INTO regions (code, name, kind, parent_code, created_by) VALUES
  ('340722', '枞阳县', 'COUNTY', NULL, 'seed');

INSERT INTO regions (code, name, kind, parent_code, created_by) VALUES
  ('340722100', '枞阳镇', 'TOWN', '340722', 'seed'),
  ('340722101', '横埠镇', 'TOWN', '340722', 'seed'),
  ('340722102', '项铺镇', 'TOWN', '340722', 'seed'),
  ('340722103', '钱桥镇', 'TOWN', '340722', 'seed'),
  ('340722104', '麒麟镇', 'TOWN', '340722', 'seed'),
  ('340722105', '义津镇', 'TOWN', '340722', 'seed'),
  ('340722106', '浮山镇', 'TOWN', '340722', 'seed'),
  ('340722107', '会宫镇', 'TOWN', '340722', 'seed'),
  ('340722108', '官埠桥镇', 'TOWN', '340722', 'seed'),
  ('340722109', '钱铺镇', 'TOWN', '340722', 'seed'),
  ('340722110', '金社镇', 'TOWN', '340722', 'seed'),
  ('340722111', '汤沟镇', 'TOWN', '340722', 'seed'),
  ('340722112', '老洲镇', 'TOWN', '340722', 'seed'),
  ('340722113', '陈瑶湖镇', 'TOWN', '340722', 'seed'),
  ('340722114', '雨坛镇', 'TOWN', '340722', 'seed'),
  ('340722400', '经开区', 'DEVELOPMENT_ZONE', '340722', 'seed');

INSERT INTO regions (code, name, kind, parent_code, created_by) VALUES
  ('340722100001', '胜利社区', 'COMMUNITY', '340722100', 'seed'),
  ('340722100002', '新华社区', 'COMMUNITY', '340722100', 'seed'),
  ('340722100201', '白湖村', 'VILLAGE', '340722100', 'seed'),
  ('340722100202', '长河村', 'VILLAGE', '340722100', 'seed'),
  ('340722101001', '横埠社区', 'COMMUNITY', '340722101', 'seed'),
  ('340722101201', '望新村', 'VILLAGE', '340722101', 'seed'),
  ('340722102001', '项铺社区', 'COMMUNITY', '340722102', 'seed'),
  ('340722102201', '龙虎村', 'VILLAGE', '340722102', 'seed'),
  ('340722102202', '白石村', 'VILLAGE', '340722102', 'seed'),
  ('340722103001', '钱桥社区', 'COMMUNITY', '340722103', 'seed'),
  ('340722103201', '高桥村', 'VILLAGE', '340722103', 'seed'),
  ('340722104001', '麒麟社区', 'COMMUNITY', '340722104', 'seed'),
  ('340722104201', '岱鳌村', 'VILLAGE', '340722104', 'seed'),
  ('340722105001', '义津社区', 'COMMUNITY', '340722105', 'seed'),
  ('340722105201', '凤凰村', 'VILLAGE', '340722105', 'seed'),
  ('340722106001', '浮山社区', 'COMMUNITY', '340722106', 'seed'),
  ('340722106201', '会圣村', 'VILLAGE', '340722106', 'seed'),
  ('340722107001', '会宫社区', 'COMMUNITY', '340722107', 'seed'),
  ('340722107201', '青山村', 'VILLAGE', '340722107', 'seed'),
  ('340722108001', '官埠桥社区', 'COMMUNITY', '340722108', 'seed'),
  ('340722108201', '水圩村', 'VILLAGE', '340722108', 'seed'),
  ('340722109001', '钱铺社区', 'COMMUNITY', '340722109', 'seed'),
  ('340722109201', '黄泥村', 'VILLAGE', '340722109', 'seed'),
  ('340722110001', '金社社区', 'COMMUNITY', '340722110', 'seed'),
  ('340722110201', '三合村', 'VILLAGE', '340722110', 'seed'),
  ('340722111001', '汤沟社区', 'COMMUNITY', '340722111', 'seed'),
  ('340722111201', '新港村', 'VILLAGE', '340722111', 'seed'),
  ('340722112001', '老洲社区', 'COMMUNITY', '340722112', 'seed'),
  ('340722112201', '光明村', 'VILLAGE', '340722112', 'seed'),
  ('340722113001', '陈瑶湖社区', 'COMMUNITY', '340722113', 'seed'),
  ('340722113201', '横山村', 'VILLAGE', '340722113', 'seed'),
  ('340722114001', '雨坛社区', 'COMMUNITY', '340722114', 'seed'),
  ('340722114201', '三义村', 'VILLAGE', '340722114', 'seed'),
  ('340722400001', '金山社区', 'COMMUNITY', '340722400', 'seed');

INSERT INTO region_changes (code, change, new_name, actor)
  SELECT code, 'ADDED', name, 'seed' FROM regions;
