-- Residents' basic records per grid: one per grid and person (the ID number's blind index), the
-- key that makes re-imports idempotent. Records reference their grid, so a village merge that
-- moves the grid moves its records. The review trail (resubmissions, reviews, returns) is
-- record_events, append-only; a record's submission is on the row itself.
CREATE TABLE resident_records (
  record_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  grid_id uuid NOT NULL REFERENCES grids (grid_id),
  name text NOT NULL CHECK (name <> ''),
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  address text NOT NULL CHECK (address <> ''),
  household text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('SUBMITTED', 'REVIEWED', 'RETURNED')),
  submitted_by text NOT NULL CHECK (submitted_by <> ''),
  submitted_on date NOT NULL,
  reviewed_by text NOT NULL DEFAULT '',
  reviewed_on date,
  return_reason text NOT NULL DEFAULT '',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (grid_id, id_index),
  CHECK ((status = 'SUBMITTED') = (reviewed_on IS NULL)),
  CHECK (status <> 'RETURNED' OR return_reason <> ''),
  CHECK (reviewed_by = '' OR reviewed_by <> submitted_by)  -- maker ≠ checker
);
-- The review worklist: one grid in one status (or any), oldest first; a township or village
-- grid by grid on the same indexes; the county in one status.
CREATE INDEX resident_records_grid_status_seq ON resident_records (grid_id, status, seq);
CREATE INDEX resident_records_grid_seq ON resident_records (grid_id, seq);
CREATE INDEX resident_records_status_seq ON resident_records (status, seq);
-- The summary: reviews completed by a day.
CREATE INDEX resident_records_reviewed ON resident_records (reviewed_on) WHERE status = 'REVIEWED';

CREATE TABLE record_events (
  event_id bigserial PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES resident_records (record_id),
  action text NOT NULL CHECK (action IN ('RESUBMITTED', 'REVIEWED', 'RETURNED')),
  actor text NOT NULL,
  on_date date NOT NULL,
  reason text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_events_record ON record_events (record_id, event_id);
