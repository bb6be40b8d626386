-- 临时救助 cases, 救急难 mutual-aid societies and their cases, outreach (visits, demands,
-- contracted health checks), reviews of enrolments, special-rectification audits and their
-- findings, and the record of bank-file exports.

CREATE TABLE relief_cases (
  case_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  household_id uuid NOT NULL REFERENCES households (household_id),
  member_id uuid NOT NULL REFERENCES household_members (member_id),
  id_index text NOT NULL,
  region_code text NOT NULL,
  reason text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  happened_on date NOT NULL,
  emergency boolean NOT NULL DEFAULT false,
  status text NOT NULL CHECK (status IN ('SUBMITTED', 'APPROVED', 'PAID',
                                         'PAID_PENDING_COMPLETION', 'REJECTED')),
  submitted_by text NOT NULL,
  approval_level text NOT NULL DEFAULT '' CHECK (approval_level IN ('', 'TOWNSHIP', 'COUNTY')),
  decided_by text NOT NULL DEFAULT '',
  decided_on date,
  decision_note text NOT NULL DEFAULT '',
  paid_on date,
  paid_fen bigint CHECK (paid_fen > 0),
  paid_by text NOT NULL DEFAULT '',
  completion_due date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((paid_on IS NULL) = (paid_fen IS NULL)),
  CHECK (paid_fen IS NULL OR paid_fen <= amount_fen)
);
CREATE INDEX relief_cases_region ON relief_cases (region_code text_pattern_ops, seq);
CREATE INDEX relief_cases_paid_on ON relief_cases (paid_on) WHERE paid_on IS NOT NULL;
CREATE INDEX relief_cases_pending ON relief_cases (completion_due)
  WHERE status = 'PAID_PENDING_COMPLETION';

CREATE TABLE relief_case_history (
  history_id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES relief_cases (case_id),
  action text NOT NULL,
  actor text NOT NULL,
  happened_on date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  note text NOT NULL DEFAULT '',
  late_entry boolean NOT NULL DEFAULT false
);
CREATE INDEX relief_case_history_case ON relief_case_history (case_id, history_id);

-- One society per village/community, in the database.
CREATE TABLE mutual_aid_societies (
  society_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  region_code text NOT NULL UNIQUE CHECK (region_code ~ '^[0-9]{12}$'),
  name text NOT NULL,
  registered_on date NOT NULL,
  registered_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mutual_aid_cases (
  case_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  society_id uuid NOT NULL REFERENCES mutual_aid_societies (society_id),
  household_id uuid NOT NULL REFERENCES households (household_id),
  member_id uuid NOT NULL REFERENCES household_members (member_id),
  id_index text NOT NULL,
  region_code text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  helped_on date NOT NULL,
  note text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  late_entry boolean NOT NULL DEFAULT false
);
CREATE INDEX mutual_aid_cases_region ON mutual_aid_cases (region_code text_pattern_ops, seq);
CREATE INDEX mutual_aid_cases_helped_on ON mutual_aid_cases (helped_on);

-- 兜底解忧暖民心: visits of persons and the demands raised in them.
CREATE TABLE outreach_visits (
  visit_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  household_id uuid NOT NULL REFERENCES households (household_id),
  member_id uuid NOT NULL REFERENCES household_members (member_id),
  id_index text NOT NULL,
  region_code text NOT NULL,
  visited_on date NOT NULL,
  note text NOT NULL DEFAULT '',
  visited_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  late_entry boolean NOT NULL DEFAULT false
);
CREATE INDEX outreach_visits_region ON outreach_visits (region_code text_pattern_ops, seq);
CREATE INDEX outreach_visits_visited_on ON outreach_visits (visited_on);

CREATE TABLE outreach_demands (
  demand_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  visit_id uuid NOT NULL REFERENCES outreach_visits (visit_id),
  position integer NOT NULL,
  description text NOT NULL,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RESOLVED')),
  resolved_on date,
  resolution text NOT NULL DEFAULT '',
  resolved_by text NOT NULL DEFAULT '',
  CHECK ((status = 'RESOLVED') = (resolved_on IS NOT NULL)),
  UNIQUE (visit_id, position)
);
CREATE INDEX outreach_demands_resolved_on ON outreach_demands (resolved_on)
  WHERE resolved_on IS NOT NULL;

-- Services bought from contracted providers for 特困 persons in dispersed care.
CREATE TABLE health_check_batches (
  batch_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  provider text NOT NULL,
  name text NOT NULL,
  service text NOT NULL,
  started_on date NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_prefix, provider, name)
);

CREATE TABLE health_checks (
  check_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  batch_id uuid NOT NULL REFERENCES health_check_batches (batch_id),
  household_id uuid NOT NULL REFERENCES households (household_id),
  member_id uuid NOT NULL REFERENCES household_members (member_id),
  id_index text NOT NULL,
  region_code text NOT NULL,
  enrolment_id uuid NOT NULL REFERENCES enrolments (enrolment_id),
  checked_on date NOT NULL,
  health_record text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- A person once per batch.
  UNIQUE (batch_id, id_index)
);
CREATE INDEX health_checks_checked_on ON health_checks (checked_on);

-- 复审复核 outcomes. A STOP is carried out by the enrolment exit; this row records the review.
CREATE TABLE enrolment_reviews (
  review_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  enrolment_id uuid NOT NULL REFERENCES enrolments (enrolment_id),
  outcome text NOT NULL CHECK (outcome IN ('INCREASE', 'DECREASE', 'STOP', 'UNCHANGED')),
  previous_amount_fen bigint NOT NULL,
  new_amount_fen bigint NOT NULL,
  effective_month date NOT NULL CHECK (extract(day FROM effective_month) = 1),
  exit_reason text NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT '',
  decided_on date NOT NULL,
  decided_by text NOT NULL,
  next_review_due date,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  late_entry boolean NOT NULL DEFAULT false
);
CREATE INDEX enrolment_reviews_enrolment ON enrolment_reviews (enrolment_id, decided_on);
CREATE INDEX enrolment_reviews_decided_on ON enrolment_reviews (decided_on);
CREATE INDEX enrolments_review_due ON enrolments (review_due) WHERE status = 'ACTIVE';

-- 专项整治.
CREATE TABLE audit_runs (
  run_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_prefix text NOT NULL,
  as_of date NOT NULL,
  run_by text NOT NULL,
  run_at timestamptz NOT NULL DEFAULT now(),
  found integer NOT NULL DEFAULT 0,
  new_findings integer NOT NULL DEFAULT 0
);

CREATE TABLE audit_findings (
  finding_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  kind text NOT NULL,
  subject_key text NOT NULL,  -- blind index / record ids; never a clear ID number
  subject text NOT NULL,      -- masked ID number(s) and record ids, for display
  region_code text NOT NULL,
  period text NOT NULL,
  detail text NOT NULL,
  amount_fen bigint NOT NULL DEFAULT 0,
  household_id uuid,
  enrolment_id uuid,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CONFIRMED', 'DISMISSED')),
  first_run_id uuid NOT NULL REFERENCES audit_runs (run_id),
  last_run_id uuid NOT NULL REFERENCES audit_runs (run_id),
  found_at timestamptz NOT NULL DEFAULT now(),
  decided_by text NOT NULL DEFAULT '',
  decided_on date,
  decision_reason text NOT NULL DEFAULT '',
  -- Re-running an audit finds the same problem again, never a second finding.
  UNIQUE (kind, subject_key, period)
);
CREATE INDEX audit_findings_region ON audit_findings (region_code text_pattern_ops, seq);
CREATE INDEX audit_findings_decided_on ON audit_findings (decided_on) WHERE status = 'CONFIRMED';

-- Who exported which bank file, and whether with full ID numbers.
CREATE TABLE bank_file_exports (
  export_id bigserial PRIMARY KEY,
  batch_id uuid NOT NULL REFERENCES disbursement_batches (batch_id),
  region_prefix text NOT NULL,
  exported_by text NOT NULL,
  full_id_numbers boolean NOT NULL,
  rows_exported integer NOT NULL,
  exported_at timestamptz NOT NULL DEFAULT now()
);
