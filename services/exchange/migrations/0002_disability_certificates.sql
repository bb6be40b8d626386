-- Disability certificates from the disabled persons' federation (残联): a third source and a
-- third kind of record in the log, and the certificate the exchange knows per person (the last
-- one accepted), against which the next event is decided.
ALTER TABLE inbound_batches DROP CONSTRAINT inbound_batches_kind_check;
ALTER TABLE inbound_batches ADD CONSTRAINT inbound_batches_kind_check
  CHECK (kind IN ('DEATH_NOTICE', 'MOVE_OUT', 'DISABILITY_CERTIFICATE'));
ALTER TABLE inbound_batches DROP CONSTRAINT inbound_batches_source_check;
ALTER TABLE inbound_batches ADD CONSTRAINT inbound_batches_source_check
  CHECK (source IN ('PUBLIC_SECURITY', 'HEALTH', 'DISABLED_FEDERATION'));
ALTER TABLE inbound_records DROP CONSTRAINT inbound_records_kind_check;
ALTER TABLE inbound_records ADD CONSTRAINT inbound_records_kind_check
  CHECK (kind IN ('DEATH_NOTICE', 'MOVE_OUT', 'DISABILITY_CERTIFICATE'));
ALTER TABLE inbound_records DROP CONSTRAINT inbound_records_source_check;
ALTER TABLE inbound_records ADD CONSTRAINT inbound_records_source_check
  CHECK (source IN ('PUBLIC_SECURITY', 'HEALTH', 'DISABLED_FEDERATION'));

-- One row per holder (blind index): the certificate as of the last ACCEPTED event. Written only
-- in the transaction that accepts an event (which also writes the inbound record and the
-- outbox row), so it is always what the log's ACCEPTED rows say.
CREATE TABLE disability_certificates (
  subject_index text PRIMARY KEY,
  certificate_number text NOT NULL,
  category text NOT NULL DEFAULT '',
  grade smallint NOT NULL CHECK (grade BETWEEN 0 AND 4),
  revoked boolean NOT NULL,
  event_date date NOT NULL,
  record_id uuid NOT NULL REFERENCES inbound_records (record_id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
