-- Grievances against a lifecycle event (a registration refused, a change or re-election
-- rejected): the kit's grievance store finds the case and its region through a view (an event's
-- region is its organisation's), and an upheld one reopens the event to pending review, keeping
-- the rejection it had here.
CREATE VIEW org_event_cases AS
  SELECT e.event_id, o.region_code FROM org_events e JOIN organisations o USING (organisation_id);

CREATE TABLE org_event_history (
  history_id bigserial PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES org_events (event_id),
  action text NOT NULL CHECK (action IN ('REOPENED')),
  decided_by text NOT NULL,   -- the rejection reopened: who, when, why
  decided_on date,
  reason text NOT NULL,
  grievance_id text NOT NULL,
  actor text NOT NULL,
  day date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_event_history_event ON org_event_history (event_id);
