-- What happened to a case besides its current row: an upheld grievance against a rejection
-- reopens it (grievance_store.h's reopen hook) — the case is pending the township check again,
-- and the check it had (who, when, the written reason) is kept here.
CREATE TABLE child_history (
  history_id bigserial PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES children (child_id),
  action text NOT NULL CHECK (action IN ('REOPENED')),
  checked_by text NOT NULL,
  checked_on date,
  check_note text NOT NULL,
  grievance_id text NOT NULL,
  actor text NOT NULL,
  day date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX child_history_child ON child_history (child_id);
