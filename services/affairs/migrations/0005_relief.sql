-- Vagrant relief: cases from intake to outcome (ID numbers, when known, encrypted) and outreach
-- campaigns.
CREATE TABLE relief_cases (
  case_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  place text NOT NULL,
  intake_on date NOT NULL,
  identity_known boolean NOT NULL,
  name text NOT NULL DEFAULT '',
  id_cipher bytea,
  id_index text,
  id_masked text NOT NULL DEFAULT '',
  services text[] NOT NULL DEFAULT '{}',
  family_tracing text NOT NULL,
  outcome text,
  closed_on date,
  money_fen bigint NOT NULL CHECK (money_fen >= 0),
  note text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CHECK ((outcome IS NULL) = (closed_on IS NULL)),
  CHECK (closed_on IS NULL OR closed_on >= intake_on)
);
CREATE INDEX relief_cases_region_seq ON relief_cases (region_code text_pattern_ops, seq);
CREATE INDEX relief_cases_intake ON relief_cases (intake_on);
CREATE INDEX relief_cases_person ON relief_cases (id_index) WHERE id_index IS NOT NULL;

CREATE TABLE relief_case_history (
  history_id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES relief_cases (case_id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,  -- OPENED, CLOSED
  on_date date NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE relief_campaigns (
  campaign_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  kind text NOT NULL,
  name text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  persons_reached integer NOT NULL CHECK (persons_reached >= 0),
  money_fen bigint NOT NULL CHECK (money_fen >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CHECK (starts_on <= ends_on)
);
CREATE INDEX relief_campaigns_region_seq ON relief_campaigns (region_code text_pattern_ops, seq);
