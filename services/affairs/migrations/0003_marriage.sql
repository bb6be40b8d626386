-- Marriage registration: marriages and their two parties (a partial unique index makes "married
-- to one person at a time" a database guarantee), divorce applications whose cooling-off state is
-- computed from their dates, an append-only history, and archive digitisation batches.
CREATE TABLE marriages (
  marriage_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  registered_on date NOT NULL,
  certificate_number text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'MARRIED' CHECK (status IN ('MARRIED', 'DIVORCED', 'ENDED_BY_DEATH')),
  ended_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CHECK ((status = 'MARRIED') = (ended_on IS NULL)),
  CHECK (ended_on IS NULL OR ended_on >= registered_on)
);
CREATE INDEX marriages_registered ON marriages (registered_on, region_code text_pattern_ops);

CREATE TABLE marriage_parties (
  marriage_id uuid NOT NULL REFERENCES marriages (marriage_id),
  side smallint NOT NULL CHECK (side IN (1, 2)),
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  active boolean NOT NULL DEFAULT true,      -- false once the marriage ended
  PRIMARY KEY (marriage_id, side)
);
-- A person is a party of one current marriage at most.
CREATE UNIQUE INDEX marriage_parties_one_current ON marriage_parties (id_index) WHERE active;
CREATE INDEX marriage_parties_person ON marriage_parties (id_index);

CREATE TABLE divorce_applications (
  application_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  marriage_id uuid NOT NULL REFERENCES marriages (marriage_id),
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  applied_on date NOT NULL,
  -- PENDING until completed, withdrawn or terminated; a PENDING application past its window is
  -- deemed withdrawn (computed; persisted as WITHDRAWN_BY_LAW when the marriage applies again).
  state text NOT NULL DEFAULT 'PENDING'
    CHECK (state IN ('PENDING', 'COMPLETED', 'WITHDRAWN', 'WITHDRAWN_BY_LAW', 'TERMINATED')),
  withdrawn_on date,
  withdrawn_by smallint CHECK (withdrawn_by IN (1, 2)),
  completed_on date,
  certificate_number text UNIQUE,
  terminated_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CHECK ((state = 'COMPLETED') = (completed_on IS NOT NULL)),
  CHECK ((state = 'WITHDRAWN') = (withdrawn_on IS NOT NULL))
);
CREATE INDEX divorce_applications_region_seq
  ON divorce_applications (region_code text_pattern_ops, seq);
CREATE INDEX divorce_applications_marriage ON divorce_applications (marriage_id);
CREATE INDEX divorce_applications_applied ON divorce_applications (applied_on);

CREATE TABLE marriage_history (
  history_id bigserial PRIMARY KEY,
  marriage_id uuid NOT NULL REFERENCES marriages (marriage_id),
  application_id uuid REFERENCES divorce_applications (application_id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,  -- REGISTERED, DIVORCE_APPLIED, DIVORCE_WITHDRAWN, DIVORCE_COMPLETED, ...
  on_date date NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX marriage_history_marriage ON marriage_history (marriage_id, history_id);

CREATE TABLE archive_batches (
  batch_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  covers_from date NOT NULL,                 -- first day of the first month covered
  covers_to date NOT NULL,                   -- first day of the last month covered
  files_total bigint NOT NULL CHECK (files_total > 0),
  received_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CHECK (covers_from <= covers_to)
);
CREATE INDEX archive_batches_region_seq ON archive_batches (region_code text_pattern_ops, seq);

CREATE TABLE archive_progress (
  progress_id bigserial PRIMARY KEY,
  batch_id uuid NOT NULL REFERENCES archive_batches (batch_id),
  stage text NOT NULL CHECK (stage IN ('SCANNED', 'VERIFIED', 'TRANSFERRED')),
  files bigint NOT NULL CHECK (files > 0),
  on_date date NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL
);
CREATE INDEX archive_progress_batch ON archive_progress (batch_id, stage, on_date);
