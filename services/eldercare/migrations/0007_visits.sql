-- Weekly visits (探访关爱) to special-difficulty elderly living alone: the pilot townships (one
-- programme per township, from a day, until its last day), the register of the persons to visit
-- (one open registration per person, by blind index), and the visits with their follow-ups.
CREATE TABLE visit_pilots (
  township_code text PRIMARY KEY CHECK (township_code ~ '^[0-9]{9}$'),
  township_name text NOT NULL DEFAULT '',
  starts_on date NOT NULL,
  ends_on date CHECK (ends_on IS NULL OR ends_on >= starts_on),  -- the last day
  declared_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE visit_persons (
  person_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  circumstances text NOT NULL DEFAULT '',
  registered_on date NOT NULL,
  deregistered_on date CHECK (deregistered_on IS NULL OR deregistered_on >= registered_on),
  deregister_reason text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One open registration per person; a person who comes back is registered again.
CREATE UNIQUE INDEX visit_persons_one_open ON visit_persons (id_index)
  WHERE deregistered_on IS NULL;
CREATE INDEX visit_persons_region_seq ON visit_persons (region_code text_pattern_ops, seq);

CREATE TABLE visits (
  visit_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES visit_persons (person_id),
  region_code text NOT NULL,  -- the person's when visited, for region-scoped lists and figures
  visited_on date NOT NULL,
  visitor text NOT NULL,
  findings text NOT NULL,
  follow_up_needed boolean NOT NULL,
  follow_up text NOT NULL DEFAULT '',
  follow_up_closed_on date,
  follow_up_close_note text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (follow_up_needed OR (follow_up = '' AND follow_up_closed_on IS NULL)),
  CHECK (follow_up_closed_on IS NULL OR follow_up_closed_on >= visited_on)
);
CREATE INDEX visits_person_day ON visits (person_id, visited_on);
CREATE INDEX visits_region_day ON visits (region_code text_pattern_ops, visited_on);
