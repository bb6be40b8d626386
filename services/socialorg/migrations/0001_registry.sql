-- The register of social organisations and their lifecycle events. An organisation's row holds
-- its current state; every establishment, change, re-election, certificate renewal and
-- deregistration is a row of org_events (append-only apart from its decision), filed by one
-- person and decided by another.
CREATE TABLE organisations (
  organisation_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  credit_code text NOT NULL CHECK (credit_code ~ '^5[123][0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$'),
  kind text NOT NULL CHECK (kind IN ('SOCIAL_GROUP', 'PRIVATE_NON_ENTERPRISE_UNIT', 'FOUNDATION')),
  status text NOT NULL
    CHECK (status IN ('PENDING_ESTABLISHMENT', 'REGISTERED', 'DEREGISTERED', 'REFUSED')),
  supervising_unit text NOT NULL,
  domicile text NOT NULL,
  rep_name text NOT NULL,
  rep_id_cipher bytea NOT NULL,
  rep_id_index text NOT NULL,
  rep_id_masked text NOT NULL,
  registered_capital_fen bigint NOT NULL CHECK (registered_capital_fen > 0),
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  business_scope text NOT NULL,
  established_on date,
  deregistered_on date,
  term_start date,
  term_end date,
  certificate_valid_until date,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((term_start IS NULL) = (term_end IS NULL) AND (term_end IS NULL OR term_end > term_start)),
  CHECK ((status IN ('REGISTERED', 'DEREGISTERED')) = (established_on IS NOT NULL)),
  CHECK ((status = 'DEREGISTERED') = (deregistered_on IS NOT NULL))
);
-- A credit code names one organisation; a refused establishment frees it.
CREATE UNIQUE INDEX organisations_credit_code ON organisations (credit_code)
  WHERE status <> 'REFUSED';
CREATE INDEX organisations_region_seq ON organisations (region_code text_pattern_ops, seq);
CREATE INDEX organisations_rep_index ON organisations (rep_id_index);

CREATE TABLE org_events (
  event_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  kind text NOT NULL CHECK (kind IN ('ESTABLISHMENT', 'CHANGE', 'RE_ELECTION',
                                     'CERTIFICATE_RENEWAL', 'DEREGISTRATION')),
  status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
  event_date date NOT NULL,
  documents text[] NOT NULL CHECK (cardinality(documents) BETWEEN 1 AND 20),
  -- CHANGE: the new values (NULL = unchanged).
  new_name text,
  new_domicile text,
  new_rep_name text,
  new_rep_id_cipher bytea,
  new_rep_id_index text,
  new_rep_id_masked text,
  new_business_scope text,
  -- RE_ELECTION (and ESTABLISHMENT's first term).
  term_start date,
  term_end date,
  -- CERTIFICATE_RENEWAL (and ESTABLISHMENT's first certificate).
  certificate_valid_until date,
  -- DEREGISTRATION.
  liquidation text NOT NULL DEFAULT '',
  liquidation_date date,
  recorded_by text NOT NULL,
  decided_by text NOT NULL DEFAULT '',
  decided_on date,
  reason text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (decided_by <> recorded_by),  -- maker ≠ checker, also for writers other than the store
  CHECK ((status = 'PENDING') = (decided_on IS NULL)),
  CHECK (kind <> 'RE_ELECTION' OR (term_start IS NOT NULL AND term_end IS NOT NULL)),
  CHECK (kind <> 'CERTIFICATE_RENEWAL' OR certificate_valid_until IS NOT NULL),
  CHECK (kind <> 'DEREGISTRATION' OR (liquidation <> '' AND liquidation_date IS NOT NULL))
);
-- One event at a time waits for a decision.
CREATE UNIQUE INDEX org_events_one_pending ON org_events (organisation_id) WHERE status = 'PENDING';
CREATE INDEX org_events_org_seq ON org_events (organisation_id, seq);
CREATE INDEX org_events_date ON org_events (event_date) WHERE status = 'APPROVED';
