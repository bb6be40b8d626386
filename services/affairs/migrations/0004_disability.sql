-- Disability subsidies: persons with certificate data, subsidy standards (data, by kind, grade,
-- region and month), subsidies with an append-only history, and monthly payments that are unique
-- per person, kind and month (the exactly-once guarantee of the payment run).
CREATE TABLE disabled_persons (
  person_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL UNIQUE,
  id_masked text NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  category text NOT NULL,
  grade smallint NOT NULL CHECK (grade BETWEEN 1 AND 4),
  certified_on date NOT NULL,
  long_term_care boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL
);
CREATE INDEX disabled_persons_region_seq ON disabled_persons (region_code text_pattern_ops, seq);

CREATE TABLE subsidy_standards (
  standard_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('LIVING', 'CARE')),
  grade smallint NOT NULL CHECK (grade BETWEEN 0 AND 4),  -- 0 = every grade
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  effective_month date NOT NULL CHECK (extract(day from effective_month) = 1),
  monthly_fen bigint NOT NULL CHECK (monthly_fen > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  UNIQUE (kind, grade, region_prefix, effective_month)
);

CREATE TABLE subsidies (
  subsidy_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES disabled_persons (person_id),
  kind text NOT NULL CHECK (kind IN ('LIVING', 'CARE')),
  status text NOT NULL CHECK (status IN ('PENDING_ELIGIBILITY', 'ACTIVE', 'REJECTED', 'STOPPED')),
  applied_on date NOT NULL,
  start_month date NOT NULL CHECK (extract(day from start_month) = 1),
  end_month date CHECK (extract(day from end_month) = 1),  -- first month not paid
  region_code text NOT NULL,                 -- the person's, for region scope
  dibao_enrolment_id text NOT NULL DEFAULT '',
  dibao_since text NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'STOPPED') = (end_month IS NOT NULL)),
  CHECK (end_month IS NULL OR end_month >= start_month)
);
-- One open (pending or active) subsidy of each kind per person.
CREATE UNIQUE INDEX subsidies_one_open ON subsidies (person_id, kind)
  WHERE status IN ('PENDING_ELIGIBILITY', 'ACTIVE');
CREATE INDEX subsidies_region_seq ON subsidies (region_code text_pattern_ops, seq);
CREATE INDEX subsidies_pending ON subsidies (seq) WHERE status = 'PENDING_ELIGIBILITY';

CREATE TABLE subsidy_history (
  history_id bigserial PRIMARY KEY,
  subsidy_id uuid NOT NULL REFERENCES subsidies (subsidy_id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,  -- APPLIED, ACTIVATED, REJECTED, STOPPED, RECHECKED
  on_date date,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX subsidy_history_subsidy ON subsidy_history (subsidy_id, history_id);

CREATE TABLE subsidy_payment_runs (
  run_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  month date NOT NULL,
  region_prefix text NOT NULL,
  due integer NOT NULL,
  paid integer NOT NULL,
  paid_fen bigint NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL
);

CREATE TABLE subsidy_payments (
  payment_id bigserial PRIMARY KEY,
  subsidy_id uuid NOT NULL REFERENCES subsidies (subsidy_id),
  person_id uuid NOT NULL REFERENCES disabled_persons (person_id),
  kind text NOT NULL,
  month date NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  region_code text NOT NULL,
  run_id uuid NOT NULL REFERENCES subsidy_payment_runs (run_id),
  paid_at timestamptz NOT NULL DEFAULT now(),
  -- Exactly once per person, subsidy kind and month, whatever runs overlap.
  UNIQUE (person_id, kind, month)
);
CREATE INDEX subsidy_payments_month ON subsidy_payments (kind, month, region_code text_pattern_ops);
