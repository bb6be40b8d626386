-- Community grids: the grids of each village/community (a grid's code is fixed at creation; a
-- village merge moves the grid, recorded in grid_moves), their grid workers, and every
-- publication of the three public notices (社区简介, 网格示意图, 网格服务管理流程图), append-only.
CREATE TABLE grids (
  grid_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  grid_code text NOT NULL UNIQUE CHECK (grid_code ~ '^[0-9]{15}$'),
  village_code text NOT NULL REFERENCES regions (code),
  name text NOT NULL CHECK (name <> ''),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (village_code, name)
);
CREATE INDEX grids_village_seq ON grids (village_code text_pattern_ops, seq);

CREATE TABLE grid_moves (
  move_id bigserial PRIMARY KEY,
  grid_id uuid NOT NULL REFERENCES grids (grid_id),
  from_village text NOT NULL REFERENCES regions (code),
  to_village text NOT NULL REFERENCES regions (code),
  old_name text NOT NULL,
  new_name text NOT NULL,
  on_date date NOT NULL,
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grid_workers (
  worker_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  grid_id uuid NOT NULL REFERENCES grids (grid_id),
  name text NOT NULL CHECK (name <> ''),
  phone text NOT NULL,
  start_date date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grid_workers_grid ON grid_workers (grid_id, created_at);

CREATE TABLE community_notices (
  notice_id bigserial PRIMARY KEY,
  village_code text NOT NULL REFERENCES regions (code),
  kind text NOT NULL CHECK (kind IN ('INTRODUCTION', 'GRID_MAP', 'SERVICE_FLOW')),
  published_on date NOT NULL,
  document text NOT NULL CHECK (document <> ''),
  published_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_notices_village ON community_notices (village_code, kind, published_on);
