-- A death notice in CONFLICT (another day than the death the platform knows) settled by a
-- reviewer with the sources (issue 17): the known date stands, or the reported date is right.
-- An earlier reported date is then recorded as the exchange's own report, which publishes
-- PersonDeceased with it (every department's registry takes the earliest day and moves the stop
-- earlier); `event_id` names that event. One settlement per conflict, never changed.
CREATE TABLE conflict_settlements (
  record_id uuid PRIMARY KEY REFERENCES inbound_records (record_id),
  decision text NOT NULL CHECK (decision IN ('KNOWN_DATE_STANDS', 'REPORTED_DATE_CORRECT')),
  reason text NOT NULL CHECK (reason <> ''),
  settled_by text NOT NULL,
  settled_on date NOT NULL,
  event_id uuid,
  settled_at timestamptz NOT NULL DEFAULT now()
);
