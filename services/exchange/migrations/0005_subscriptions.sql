-- Subscriptions of external systems to enrolment and benefit changes (the DCI "subscribe,
-- notify"), the notifications queued for each (one per subscription and event, whatever the
-- redeliveries of the event), and the log of every delivery attempt (append-only).
CREATE TABLE subscriptions (
  subscription_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial UNIQUE,
  subscriber text NOT NULL,
  subscriber_scope text NOT NULL,
  region_prefix text NOT NULL,
  event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
  endpoint_url text NOT NULL,
  -- The signing secret, sealed with the platform's PII key (it signs; it is never shown again).
  secret_sealed bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  cancelled_by text,
  -- Delivery state: failed attempts in a row, when to try next, and the lease of the replica
  -- delivering now (so that two replicas never send the same subscription at once).
  consecutive_failures int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  lease_owner text
);
CREATE INDEX subscriptions_due ON subscriptions (next_attempt_at) WHERE cancelled_at IS NULL;

CREATE TABLE subscription_notifications (
  notification_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial UNIQUE,
  subscription_id uuid NOT NULL REFERENCES subscriptions,
  event_id text NOT NULL,
  event_type text NOT NULL,
  region_code text NOT NULL,
  subject_masked text NOT NULL,
  -- The JSON POSTed, built once when queued: every attempt sends the same bytes.
  body text NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0,
  delivered_at timestamptz,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX subscription_notifications_pending ON subscription_notifications (subscription_id, seq)
  WHERE delivered_at IS NULL;

CREATE TABLE subscription_deliveries (
  seq bigserial PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES subscription_notifications,
  subscription_id uuid NOT NULL REFERENCES subscriptions,
  attempt int NOT NULL CHECK (attempt > 0),
  attempted_at timestamptz NOT NULL DEFAULT now(),
  http_status int NOT NULL,
  error text NOT NULL,
  delivered boolean NOT NULL,
  duration_ms int NOT NULL
);
CREATE INDEX subscription_deliveries_of ON subscription_deliveries (subscription_id, seq);
