-- Funeral administration: fee schedules of the basic funeral services waived for residents,
-- cremation records (one per person; ID numbers encrypted, looked up by blind index), and the
-- enforcement cases on funeral service vehicles.
CREATE TABLE funeral_fee_schedules (
  schedule_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  effective_from date NOT NULL,
  items jsonb NOT NULL,                      -- [{"code","name","amount_fen"}]
  waived_fen bigint NOT NULL CHECK (waived_fen >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  UNIQUE (region_prefix, effective_from)
);

CREATE TABLE cremations (
  cremation_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,             -- listing order and page tokens
  name text NOT NULL,
  id_cipher bytea NOT NULL,                  -- AES-256-GCM of the ID number
  id_index text NOT NULL,                    -- HMAC-SHA256 blind index
  id_masked text NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  date_of_death date NOT NULL,
  cremated_on date NOT NULL,
  funeral_home text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  schedule_id uuid REFERENCES funeral_fee_schedules (schedule_id),
  waived_fen bigint NOT NULL CHECK (waived_fen >= 0),
  event_id uuid NOT NULL,                    -- the PersonDeceased event in the outbox
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CHECK (birth_date <= date_of_death AND date_of_death <= cremated_on)
);
-- One person is cremated once.
CREATE UNIQUE INDEX cremations_one_per_person ON cremations (id_index);
CREATE INDEX cremations_region_seq ON cremations (region_code text_pattern_ops, seq);
CREATE INDEX cremations_date ON cremations (cremated_on, region_code text_pattern_ops);

CREATE TABLE vehicle_cases (
  case_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  occurred_on date NOT NULL,
  plate_number text NOT NULL,
  violation text NOT NULL,
  outcome text NOT NULL,
  fine_fen bigint NOT NULL CHECK (fine_fen >= 0),
  agencies text NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE INDEX vehicle_cases_region_seq ON vehicle_cases (region_code text_pattern_ops, seq);
