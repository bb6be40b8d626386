-- Poverty-return monitoring objects (防止返贫监测对象) from rural revitalisation (乡村振兴): a fourth
-- source and kind in the log, and the candidates for low-income monitoring they become, with the
-- township's check recorded once (a candidate row is written when its record is accepted and
-- updated only by that check).
ALTER TABLE inbound_batches DROP CONSTRAINT inbound_batches_kind_check;
ALTER TABLE inbound_batches ADD CONSTRAINT inbound_batches_kind_check
  CHECK (kind IN ('DEATH_NOTICE', 'MOVE_OUT', 'DISABILITY_CERTIFICATE', 'MONITORING_OBJECT'));
ALTER TABLE inbound_batches DROP CONSTRAINT inbound_batches_source_check;
ALTER TABLE inbound_batches ADD CONSTRAINT inbound_batches_source_check
  CHECK (source IN ('PUBLIC_SECURITY', 'HEALTH', 'DISABLED_FEDERATION', 'RURAL_REVITALISATION'));
ALTER TABLE inbound_records DROP CONSTRAINT inbound_records_kind_check;
ALTER TABLE inbound_records ADD CONSTRAINT inbound_records_kind_check
  CHECK (kind IN ('DEATH_NOTICE', 'MOVE_OUT', 'DISABILITY_CERTIFICATE', 'MONITORING_OBJECT'));
ALTER TABLE inbound_records DROP CONSTRAINT inbound_records_source_check;
ALTER TABLE inbound_records ADD CONSTRAINT inbound_records_source_check
  CHECK (source IN ('PUBLIC_SECURITY', 'HEALTH', 'DISABLED_FEDERATION', 'RURAL_REVITALISATION'));

CREATE TABLE monitoring_candidates (
  -- The inbound record that brought it.
  candidate_id uuid PRIMARY KEY REFERENCES inbound_records (record_id),
  seq bigserial UNIQUE,
  subject_index text NOT NULL,
  subject_masked text NOT NULL,
  id_cipher bytea NOT NULL,
  name text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{9}|[0-9]{12})$'),
  category text NOT NULL
    CHECK (category IN ('UNSTABLE_LIFTED', 'MARGINAL', 'SUDDEN_HARDSHIP')),
  identified_on date NOT NULL,
  source_record_id text NOT NULL,
  batch_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  check_outcome text CHECK (check_outcome IN ('ENROLLED', 'NOT_ELIGIBLE', 'REFERRED')),
  check_note text NOT NULL DEFAULT '',
  checked_on date,
  checked_by text NOT NULL DEFAULT '',
  checked_at timestamptz,
  CHECK ((check_outcome IS NULL) = (checked_on IS NULL)),
  CHECK (check_outcome IS NULL OR check_note <> '')
);
-- One candidate waiting for a check per person.
CREATE UNIQUE INDEX monitoring_candidates_open ON monitoring_candidates (subject_index)
  WHERE check_outcome IS NULL;
CREATE INDEX monitoring_candidates_region ON monitoring_candidates (region_code text_pattern_ops, seq);
