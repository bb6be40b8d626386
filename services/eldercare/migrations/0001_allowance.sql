-- 高龄津贴: tier schedules (data, by region prefix and month), enrolments (one per person), payment
-- runs, and payments that are unique per person and month (the exactly-once guarantee of the run)
-- and never change once written. Deaths are the kit's death registry (common migration 9003).
CREATE TABLE allowance_tiers (
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  effective_month date NOT NULL CHECK (extract(day from effective_month) = 1),
  min_age smallint NOT NULL CHECK (min_age BETWEEN 60 AND 150),
  max_age smallint CHECK (max_age IS NULL OR max_age >= min_age),  -- NULL = no upper bound
  monthly_fen bigint NOT NULL CHECK (monthly_fen > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (region_prefix, effective_month, min_age)
);

CREATE TABLE allowance_enrolments (
  enrolment_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL UNIQUE,  -- a person is enrolled once
  id_masked text NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  status text NOT NULL CHECK (status IN ('PENDING_APPROVAL', 'ACTIVE', 'STOPPED')),
  applied_on date NOT NULL,
  start_month date NOT NULL CHECK (extract(day from start_month) = 1),
  end_month date CHECK (extract(day from end_month) = 1),  -- first month not paid
  recorded_by text NOT NULL,
  approved_by text NOT NULL DEFAULT '',
  approved_on date,
  reason text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'STOPPED') = (end_month IS NOT NULL)),
  CHECK (end_month IS NULL OR end_month >= start_month),
  CHECK (approved_by <> recorded_by)  -- maker ≠ checker, also for writers other than the store
);
CREATE INDEX allowance_enrolments_region_seq
  ON allowance_enrolments (region_code text_pattern_ops, seq);

CREATE TABLE allowance_runs (
  run_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  month date NOT NULL CHECK (extract(day from month) = 1),
  region_prefix text NOT NULL,
  due integer NOT NULL DEFAULT 0,
  paid integer NOT NULL DEFAULT 0,
  paid_fen bigint NOT NULL DEFAULT 0,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE allowance_payments (
  payment_id bigserial PRIMARY KEY,
  enrolment_id uuid NOT NULL REFERENCES allowance_enrolments (enrolment_id),
  month date NOT NULL CHECK (extract(day from month) = 1),
  tier text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  region_code text NOT NULL,  -- the person's when paid, for region-scoped figures
  run_id uuid NOT NULL REFERENCES allowance_runs (run_id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (enrolment_id, month)
);
CREATE INDEX allowance_payments_month_region
  ON allowance_payments (month, region_code text_pattern_ops);

-- A payment is a fact: corrections are new rows, never edits.
CREATE FUNCTION allowance_payments_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'allowance payments are immutable' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER allowance_payments_immutable BEFORE UPDATE OR DELETE ON allowance_payments
  FOR EACH ROW EXECUTE FUNCTION allowance_payments_immutable();
