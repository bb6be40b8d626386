-- Institution inspections by 双随机、一公开: the inspectors' pool; the draws (the seed, the
-- algorithm and both pools as drawn from, so that anyone can reproduce the picks); the inspectors
-- and institutions (facilities) drawn; each area's result; rectification items to closure.
CREATE TABLE inspectors (
  inspector_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  organisation text NOT NULL DEFAULT '',
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  added_on date NOT NULL,
  retired_on date CHECK (retired_on IS NULL OR retired_on >= added_on),
  added_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inspection_draws (
  draw_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  region_prefix text NOT NULL,
  seed text NOT NULL CHECK (seed ~ '^[0-9]{1,20}$'),  -- an unsigned 64-bit integer, in decimal
  algorithm text NOT NULL,
  inspectors_asked integer NOT NULL,
  institutions_asked integer NOT NULL,
  inspector_pool uuid[] NOT NULL,    -- sorted, as drawn from
  institution_pool uuid[] NOT NULL,  -- sorted, as drawn from
  drawn_on date NOT NULL,
  drawn_by text NOT NULL,
  status text NOT NULL CHECK (status IN ('DRAWN', 'PUBLISHED')),
  published_on date,
  published_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'PUBLISHED') = (published_on IS NOT NULL)),
  CHECK (published_on IS NULL OR published_on >= drawn_on)
);
CREATE INDEX inspection_draws_region_seq ON inspection_draws (region_prefix text_pattern_ops, seq);

CREATE TABLE inspection_draw_inspectors (
  draw_id uuid NOT NULL REFERENCES inspection_draws (draw_id),
  position integer NOT NULL,
  inspector_id uuid NOT NULL REFERENCES inspectors (inspector_id),
  PRIMARY KEY (draw_id, position),
  UNIQUE (draw_id, inspector_id)
);

-- One per institution drawn.
CREATE TABLE inspections (
  inspection_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draw_id uuid NOT NULL REFERENCES inspection_draws (draw_id),
  position integer NOT NULL,
  facility_id uuid NOT NULL REFERENCES facilities (facility_id),
  region_code text NOT NULL,  -- the facility's, for region scope
  UNIQUE (draw_id, position),
  UNIQUE (draw_id, facility_id)
);

CREATE TABLE inspection_results (
  inspection_id uuid NOT NULL REFERENCES inspections (inspection_id),
  area text NOT NULL CHECK (area IN ('FIRE', 'FOOD', 'MEDICAL')),
  passed boolean NOT NULL,
  findings text NOT NULL DEFAULT '',
  inspected_on date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (inspection_id, area)
);

CREATE TABLE rectifications (
  rectification_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  inspection_id uuid NOT NULL,
  area text NOT NULL,
  item text NOT NULL,
  due_on date NOT NULL,
  region_code text NOT NULL,
  closed_on date,
  close_note text NOT NULL DEFAULT '',
  closed_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (inspection_id, area) REFERENCES inspection_results (inspection_id, area)
);
CREATE INDEX rectifications_open_due ON rectifications (due_on) WHERE closed_on IS NULL;
