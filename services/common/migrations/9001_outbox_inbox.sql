-- Event outbox and inbox, shared by every service (versions 9000+ are the common runtime's).
-- A producer writes its event into `outbox` in the same transaction as the change it reports; a
-- relay publishes pending rows to Redis and stamps `published_at`. A consumer applies an event in
-- one transaction together with an `inbox` row keyed by event_id, so a redelivery is a no-op.
CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,            -- publication order
  event_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  event_type text NOT NULL,             -- full payload type, e.g. civil.events.v1.PersonDeceased
  envelope bytea NOT NULL,              -- serialized civil.events.v1.Envelope
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  stream_id text                        -- Redis stream entry id once published
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;

CREATE TABLE inbox (
  event_id uuid PRIMARY KEY,
  event_type text NOT NULL,
  source text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
