-- Failed attempts to apply an event, per event: after the configured number the consumer moves
-- the event to its dead-letter stream. Kept in PostgreSQL so restarts do not reset the count.
CREATE TABLE event_failures (
  event_id uuid PRIMARY KEY,
  event_type text NOT NULL,
  attempts integer NOT NULL,
  last_error text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  dead_lettered boolean NOT NULL DEFAULT false
);
