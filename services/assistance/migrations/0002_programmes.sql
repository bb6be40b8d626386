-- Programmes: benefit standards (data with effective dates), applications and their history,
-- enrolments with their members and amounts over time, disbursement batches and payments.

CREATE TABLE benefit_standards (
  standard_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  programme text NOT NULL,
  area text NOT NULL CHECK (area IN ('URBAN', 'RURAL')),
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  effective_from date NOT NULL,
  monthly_fen bigint NOT NULL CHECK (monthly_fen >= 0),
  supplement_ill_fen bigint NOT NULL DEFAULT 0 CHECK (supplement_ill_fen >= 0),
  supplement_disabled_fen bigint NOT NULL DEFAULT 0 CHECK (supplement_disabled_fen >= 0),
  supplement_elderly_fen bigint NOT NULL DEFAULT 0 CHECK (supplement_elderly_fen >= 0),
  supplement_minor_fen bigint NOT NULL DEFAULT 0 CHECK (supplement_minor_fen >= 0),
  marginal_permille integer NOT NULL DEFAULT 1500 CHECK (marginal_permille > 0),
  set_by text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now(),
  reason text NOT NULL DEFAULT '',
  -- Standards are never updated: a change is a new row from a later date (the audit trail).
  UNIQUE (programme, area, region_prefix, effective_from)
);

CREATE TABLE applications (
  application_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  programme text NOT NULL,
  household_id uuid NOT NULL REFERENCES households (household_id),
  member_id uuid REFERENCES household_members (member_id),
  region_code text NOT NULL,
  area text NOT NULL,
  status text NOT NULL,
  care_mode text NOT NULL DEFAULT '',
  monthly_income_fen bigint CHECK (monthly_income_fen >= 0),
  assets_ok boolean,
  visit_note text NOT NULL DEFAULT '',
  notice_start date,
  notice_end date,
  objections integer NOT NULL DEFAULT 0,
  decided_on date,
  decision_reason text NOT NULL DEFAULT '',
  monthly_amount_fen bigint,
  enrolment_id uuid,
  submitted_by text NOT NULL,
  submitted_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applications_region ON applications (region_code text_pattern_ops, seq);

CREATE TABLE application_circumstances (
  application_id uuid NOT NULL REFERENCES applications (application_id),
  member_id uuid NOT NULL REFERENCES household_members (member_id),
  seriously_ill boolean NOT NULL DEFAULT false,
  severely_disabled boolean NOT NULL DEFAULT false,
  PRIMARY KEY (application_id, member_id)
);

CREATE TABLE application_history (
  history_id bigserial PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES applications (application_id),
  action text NOT NULL,
  actor text NOT NULL,
  happened_on date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  note text NOT NULL DEFAULT '',
  late_entry boolean NOT NULL DEFAULT false
);
CREATE INDEX application_history_application ON application_history (application_id, history_id);

CREATE TABLE enrolments (
  enrolment_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  programme text NOT NULL,
  area text NOT NULL,
  household_id uuid NOT NULL REFERENCES households (household_id),
  region_code text NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE',
  start_month date NOT NULL CHECK (extract(day FROM start_month) = 1),
  end_month date CHECK (end_month IS NULL OR (extract(day FROM end_month) = 1
                                              AND end_month >= start_month - interval '1 month')),
  care_mode text NOT NULL DEFAULT '',
  review_due date,
  exit_reason text NOT NULL DEFAULT '',
  exited_on date,
  application_id uuid REFERENCES applications (application_id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enrolments_programme_region ON enrolments (programme, region_code text_pattern_ops);
CREATE INDEX enrolments_household ON enrolments (household_id);

CREATE TABLE enrolment_members (
  enrolment_id uuid NOT NULL REFERENCES enrolments (enrolment_id),
  member_id uuid NOT NULL REFERENCES household_members (member_id),
  id_index text NOT NULL,
  exclusive_group text NOT NULL,
  start_month date NOT NULL,
  end_month date,
  exit_reason text NOT NULL DEFAULT '',
  exited_on date,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (enrolment_id, member_id)
);
-- One person, one enrolment per exclusive group (低保 and 特困 share one), in the database.
CREATE UNIQUE INDEX enrolment_members_exclusive ON enrolment_members (id_index, exclusive_group)
  WHERE active;
CREATE INDEX enrolment_members_person ON enrolment_members (id_index);

-- The monthly amount of an enrolment from a month on (reviews and member exits add rows).
CREATE TABLE enrolment_amounts (
  enrolment_id uuid NOT NULL REFERENCES enrolments (enrolment_id),
  from_month date NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  persons integer NOT NULL CHECK (persons >= 0),
  PRIMARY KEY (enrolment_id, from_month)
);

CREATE TABLE enrolment_history (
  history_id bigserial PRIMARY KEY,
  enrolment_id uuid NOT NULL REFERENCES enrolments (enrolment_id),
  action text NOT NULL,
  actor text NOT NULL,
  happened_on date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  note text NOT NULL DEFAULT '',
  late_entry boolean NOT NULL DEFAULT false
);

CREATE TABLE disbursement_batches (
  batch_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  programme text NOT NULL,
  month date NOT NULL,
  region_prefix text NOT NULL,
  payments bigint NOT NULL DEFAULT 0,
  total_fen bigint NOT NULL DEFAULT 0,
  run_by text NOT NULL,
  run_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme, month, region_prefix)
);

-- Payments are immutable; a correction is a new row of kind ADJUSTMENT.
CREATE TABLE payments (
  payment_id bigserial PRIMARY KEY,
  batch_id uuid REFERENCES disbursement_batches (batch_id),
  enrolment_id uuid NOT NULL REFERENCES enrolments (enrolment_id),
  month date NOT NULL,
  programme text NOT NULL,
  area text NOT NULL,
  region_code text NOT NULL,
  household_id uuid NOT NULL,
  persons integer NOT NULL,
  amount_fen bigint NOT NULL,
  kind text NOT NULL DEFAULT 'REGULAR',
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Exactly one regular payment per enrolment and month, whatever runs it and how often.
CREATE UNIQUE INDEX payments_once ON payments (enrolment_id, month) WHERE kind = 'REGULAR';
CREATE INDEX payments_month ON payments (programme, month);
CREATE INDEX payments_batch ON payments (batch_id);

CREATE TABLE enrolment_checks (
  check_id bigserial PRIMARY KEY,
  caller text NOT NULL,
  subject_index text NOT NULL,
  checked_at timestamptz NOT NULL DEFAULT now(),
  found integer NOT NULL
);

-- One open application per household, programme and person at a time.
CREATE UNIQUE INDEX applications_one_open
  ON applications (household_id, programme,
                   coalesce(member_id, '00000000-0000-0000-0000-000000000000'::uuid))
  WHERE status IN ('SUBMITTED', 'INVESTIGATED', 'IN_NOTICE');
