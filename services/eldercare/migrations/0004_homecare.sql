-- 居家养老服务补贴 (home-care service subsidy): the monthly amount of each assessed level as data
-- (by region prefix and month), the assessed persons (one open subsidy per person), and the
-- payment runs and payments of the kit's MonthlyRunner (services/common/monthly_run.h): unique
-- per person and month, never changed once written.
CREATE TABLE homecare_levels (
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  effective_month date NOT NULL CHECK (extract(day from effective_month) = 1),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 9),
  monthly_fen bigint NOT NULL CHECK (monthly_fen > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (region_prefix, effective_month, level)
);

CREATE TABLE homecare_subsidies (
  subsidy_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  id_cipher bytea NOT NULL,
  id_index text NOT NULL,
  id_masked text NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  -- the assessment: on which grounds, which level, when and by whom
  low_income boolean NOT NULL,
  disabled boolean NOT NULL,
  living_alone boolean NOT NULL,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 9),
  assessed_on date NOT NULL,
  assessor text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING_APPROVAL', 'ACTIVE', 'STOPPED')),
  start_month date NOT NULL CHECK (extract(day from start_month) = 1),
  end_month date CHECK (extract(day from end_month) = 1),  -- first month not paid
  recorded_by text NOT NULL,
  approved_by text NOT NULL DEFAULT '',
  approved_on date,
  stop_reason text NOT NULL DEFAULT ''
    CHECK (stop_reason IN ('', 'MOVED_OUT', 'NO_LONGER_ELIGIBLE', 'OTHER', 'DECEASED')),
  stop_note text NOT NULL DEFAULT '',
  stopped_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (low_income OR disabled OR living_alone),
  CHECK ((status = 'STOPPED') = (end_month IS NOT NULL)),
  CHECK (end_month IS NULL OR end_month >= start_month),
  CHECK (approved_by <> recorded_by)  -- maker ≠ checker, also for writers other than the store
);
-- One open subsidy per person: a stopped one is closed (a person who moves back is assessed again).
CREATE UNIQUE INDEX homecare_subsidies_one_open ON homecare_subsidies (id_index)
  WHERE status IN ('PENDING_APPROVAL', 'ACTIVE');
CREATE INDEX homecare_subsidies_person ON homecare_subsidies (id_index);
CREATE INDEX homecare_subsidies_region_seq
  ON homecare_subsidies (region_code text_pattern_ops, seq);

CREATE TABLE homecare_runs (
  run_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  month date NOT NULL CHECK (extract(day from month) = 1),
  region_prefix text NOT NULL,
  due integer NOT NULL DEFAULT 0,
  paid integer NOT NULL DEFAULT 0,
  paid_fen bigint NOT NULL DEFAULT 0,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE homecare_payments (
  payment_id bigserial PRIMARY KEY,
  subsidy_id uuid NOT NULL REFERENCES homecare_subsidies (subsidy_id),
  month date NOT NULL CHECK (extract(day from month) = 1),
  level text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  region_code text NOT NULL,  -- the person's when paid, for region-scoped figures
  run_id uuid NOT NULL REFERENCES homecare_runs (run_id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subsidy_id, month)
);
CREATE INDEX homecare_payments_month_region
  ON homecare_payments (month, region_code text_pattern_ops);

CREATE FUNCTION homecare_payments_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'home-care subsidy payments are immutable' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER homecare_payments_immutable BEFORE UPDATE OR DELETE ON homecare_payments
  FOR EACH ROW EXECUTE FUNCTION homecare_payments_immutable();

-- The county's default levels (枞阳县, 340722) from January 2023. Neither DOMAIN.md nor the report
-- gives the amounts; these are this deployment's plausible defaults, consistent with the report's
-- average (131万元 for 4,463 persons over six months ≈ 48.9 yuan per person-month, most of them
-- at the first level): 40, 60 and 100 yuan a month for levels 1 (轻度), 2 (中度) and 3 (重度). The
-- bureau confirms them before go-live and changes them with SetLevelSchedule.
INSERT INTO homecare_levels (region_prefix, effective_month, level, monthly_fen, created_by) VALUES
  ('340722', '2023-01-01', 1, 4000, 'migration:0004_homecare'),
  ('340722', '2023-01-01', 2, 6000, 'migration:0004_homecare'),
  ('340722', '2023-01-01', 3, 10000, 'migration:0004_homecare');
