-- 适老化改造 per household (survey → plan with items and cost → works → acceptance, each step
-- dated) and institutional care placements of low-income elderly persons.
CREATE TABLE adaptations (
  adaptation_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  head_name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  target_year smallint NOT NULL CHECK (target_year BETWEEN 2000 AND 2100),
  status text NOT NULL CHECK (status IN ('SURVEYED', 'PLANNED', 'WORKS', 'ACCEPTED')),
  findings text NOT NULL DEFAULT '',
  surveyed_on date NOT NULL,
  planned_on date,
  plan_cost_fen bigint CHECK (plan_cost_fen IS NULL OR plan_cost_fen > 0),
  works_started_on date,
  contractor text NOT NULL DEFAULT '',
  accepted_on date,
  accepted_by text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id_index, target_year),  -- one plan per household (一户一方案) and year
  CHECK ((status = 'SURVEYED') = (planned_on IS NULL)),
  CHECK ((status IN ('WORKS', 'ACCEPTED')) = (works_started_on IS NOT NULL)),
  CHECK ((status = 'ACCEPTED') = (accepted_on IS NOT NULL))
);
CREATE INDEX adaptations_region_seq ON adaptations (region_code text_pattern_ops, seq);

CREATE TABLE adaptation_items (
  adaptation_id uuid NOT NULL REFERENCES adaptations (adaptation_id),
  position smallint NOT NULL,
  item text NOT NULL,
  cost_fen bigint NOT NULL CHECK (cost_fen > 0),
  PRIMARY KEY (adaptation_id, position)
);

CREATE TABLE placements (
  placement_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  institution text NOT NULL,
  basis text NOT NULL,
  placed_on date NOT NULL,
  ended_on date CHECK (ended_on IS NULL OR ended_on >= placed_on),
  end_note text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One open placement per person.
CREATE UNIQUE INDEX placements_one_open ON placements (id_index) WHERE ended_on IS NULL;
CREATE INDEX placements_region_seq ON placements (region_code text_pattern_ops, seq);
