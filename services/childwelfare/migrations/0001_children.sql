-- 孤儿 and 事实无人抚养儿童: standards (data, by region prefix, category and month), cases (one open
-- case per child), payment runs, and payments that are unique per child and month (the
-- exactly-once guarantee of the run) and never change once written. Deaths are the kit's death
-- registry (common migration 9003).
CREATE TABLE child_standards (
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  effective_month date NOT NULL CHECK (extract(day from effective_month) = 1),
  category text NOT NULL
    CHECK (category IN ('ORPHAN_CENTRALISED', 'ORPHAN_DISPERSED', 'DE_FACTO_UNSUPPORTED')),
  monthly_fen bigint NOT NULL CHECK (monthly_fen > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (region_prefix, category, effective_month)
);

CREATE TABLE children (
  child_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  category text NOT NULL
    CHECK (category IN ('ORPHAN_CENTRALISED', 'ORPHAN_DISPERSED', 'DE_FACTO_UNSUPPORTED')),
  father text NOT NULL,
  mother text NOT NULL,
  guardian_name text NOT NULL,
  guardian_relation text NOT NULL,
  placement text NOT NULL,
  status text NOT NULL
    CHECK (status IN ('PENDING_CHECK', 'PENDING_APPROVAL', 'ACTIVE', 'STOPPED', 'REJECTED')),
  applied_on date NOT NULL,
  start_month date NOT NULL CHECK (extract(day from start_month) = 1),
  recorded_by text NOT NULL,
  checked_by text NOT NULL DEFAULT '',
  checked_on date,
  check_note text NOT NULL DEFAULT '',
  approved_by text NOT NULL DEFAULT '',
  approved_on date,
  end_month date CHECK (extract(day from end_month) = 1),  -- first month not paid after a stop
  stop_reason text NOT NULL DEFAULT ''
    CHECK (stop_reason IN ('', 'ADOPTED', 'GUARDIANSHIP_RETURNED', 'OTHER', 'DECEASED')),
  stop_note text NOT NULL DEFAULT '',
  school text NOT NULL DEFAULT '',
  education_until date CHECK (extract(day from education_until) = 1),  -- last month of study
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'STOPPED') = (end_month IS NOT NULL)),
  CHECK (end_month IS NULL OR end_month >= start_month),
  -- maker ≠ checker, also for writers other than the store
  CHECK (checked_by = '' OR checked_by <> recorded_by),
  CHECK (approved_by = '' OR (approved_by <> recorded_by AND approved_by <> checked_by))
);
-- One open case per child: a rejected or stopped one is closed, the child may apply again (a
-- parent imprisoned again after a return of guardianship, say).
CREATE UNIQUE INDEX children_one_open_case ON children (id_index)
  WHERE status IN ('PENDING_CHECK', 'PENDING_APPROVAL', 'ACTIVE');
CREATE INDEX children_region_seq ON children (region_code text_pattern_ops, seq);

CREATE TABLE child_runs (
  run_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  month date NOT NULL CHECK (extract(day from month) = 1),
  region_prefix text NOT NULL,
  due integer NOT NULL DEFAULT 0,
  paid integer NOT NULL DEFAULT 0,
  paid_fen bigint NOT NULL DEFAULT 0,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE child_payments (
  payment_id bigserial PRIMARY KEY,
  child_id uuid NOT NULL REFERENCES children (child_id),
  month date NOT NULL CHECK (extract(day from month) = 1),
  category text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  region_code text NOT NULL,  -- the child's when paid, for region-scoped figures
  run_id uuid NOT NULL REFERENCES child_runs (run_id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (child_id, month)
);
CREATE INDEX child_payments_month_region ON child_payments (month, region_code text_pattern_ops);

-- A payment is a fact: corrections are new rows, never edits.
CREATE FUNCTION child_payments_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'child allowance payments are immutable' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER child_payments_immutable BEFORE UPDATE OR DELETE ON child_payments
  FOR EACH ROW EXECUTE FUNCTION child_payments_immutable();
