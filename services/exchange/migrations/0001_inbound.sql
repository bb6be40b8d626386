-- The exchange's log of what other departments' systems sent: every batch and every record in
-- it, with its source, the sender's batch id, the time received and the outcome. Append-only
-- (the service's role may not update or delete): a record sent again is a new row pointing at
-- the first (`resent_of`) and changes nothing else. Deaths themselves are in the kit's
-- death_registry/death_reports (common migration 9003); moves out are the ACCEPTED MOVE_OUT rows.
CREATE TABLE inbound_batches (
  batch_seq bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('DEATH_NOTICE', 'MOVE_OUT')),
  source text NOT NULL CHECK (source IN ('PUBLIC_SECURITY', 'HEALTH')),
  batch_id text NOT NULL CHECK (batch_id <> ''),
  sent_by text NOT NULL,
  sender_scope text NOT NULL,
  records int NOT NULL CHECK (records > 0),
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inbound_records (
  record_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial UNIQUE,
  batch_seq bigint NOT NULL REFERENCES inbound_batches (batch_seq),
  kind text NOT NULL CHECK (kind IN ('DEATH_NOTICE', 'MOVE_OUT')),
  source text NOT NULL CHECK (source IN ('PUBLIC_SECURITY', 'HEALTH')),
  batch_id text NOT NULL,
  position int NOT NULL CHECK (position >= 0),
  source_record_id text NOT NULL,
  sent_by text NOT NULL,
  -- The person, when the ID number was readable: blind index, masked form, ciphertext.
  subject_index text,
  subject_masked text NOT NULL DEFAULT '',
  id_cipher bytea,
  -- Date of death or of the move out, when readable.
  event_date date,
  region_code text NOT NULL DEFAULT '',
  detail text NOT NULL DEFAULT '',
  outcome text NOT NULL CHECK (outcome IN ('ACCEPTED', 'DUPLICATE', 'CONFLICT', 'REJECTED')),
  resent_of uuid REFERENCES inbound_records (record_id),
  error_field text NOT NULL DEFAULT '',
  error_code text NOT NULL DEFAULT '',
  error text NOT NULL DEFAULT '',
  -- DUPLICATE / CONFLICT of a death: the date the platform knew.
  known_date date,
  -- ACCEPTED: the event published.
  event_id uuid,
  received_at timestamptz NOT NULL DEFAULT now(),
  CHECK (outcome = 'REJECTED' OR resent_of IS NOT NULL OR
         (subject_index IS NOT NULL AND event_date IS NOT NULL))
);
-- One first receipt per source record: what makes a record sent twice change nothing (rejected
-- records do not count: the sender may correct one and send it again under the same id).
CREATE UNIQUE INDEX inbound_records_once ON inbound_records (kind, source, source_record_id)
  WHERE outcome <> 'REJECTED' AND resent_of IS NULL;
CREATE INDEX inbound_records_conflicts ON inbound_records (seq) WHERE outcome = 'CONFLICT';
CREATE INDEX inbound_records_subject ON inbound_records (kind, subject_index, event_date)
  WHERE outcome = 'ACCEPTED';
CREATE INDEX inbound_records_batch ON inbound_records (batch_id, seq);
