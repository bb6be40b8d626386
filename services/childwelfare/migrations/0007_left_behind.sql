-- Left-behind children and children in difficulty (one open registration per child, by blind
-- index), the children's workers who visit them (village directors, township supervisors), and
-- the visits with their findings and follow-up.
CREATE TABLE care_workers (
  worker_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('DIRECTOR', 'SUPERVISOR')),
  region_code text NOT NULL,
  appointed_on date NOT NULL,
  left_on date,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'DIRECTOR' AND region_code ~ '^[0-9]{12}$') OR
         (role = 'SUPERVISOR' AND region_code ~ '^[0-9]{9}$'))
);
CREATE INDEX care_workers_region ON care_workers (region_code text_pattern_ops);

CREATE TABLE care_children (
  care_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  birth_date date NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  kind text NOT NULL CHECK (kind IN ('LEFT_BEHIND', 'IN_DIFFICULTY')),
  father text NOT NULL,
  mother text NOT NULL,
  carer_name text NOT NULL,
  carer_relation text NOT NULL,
  school text NOT NULL DEFAULT '',
  difficulty text NOT NULL DEFAULT '',
  registered_on date NOT NULL,
  closed_on date,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX care_children_one_open ON care_children (id_index) WHERE closed_on IS NULL;
CREATE INDEX care_children_region ON care_children (region_code text_pattern_ops);

CREATE TABLE care_visits (
  visit_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  care_id uuid NOT NULL REFERENCES care_children (care_id),
  worker_id uuid NOT NULL REFERENCES care_workers (worker_id),
  visit_date date NOT NULL,
  findings text NOT NULL,
  follow_up_needed boolean NOT NULL,
  follow_up text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (follow_up_needed = (follow_up <> ''))
);
CREATE INDEX care_visits_child ON care_visits (care_id, visit_date);
