-- Tiers paid only to low-income households (a county may pay 80–89 so), and the check of an
-- enrolment against the assistance department: waiting (PENDING_ELIGIBILITY) while assistance
-- does not answer, REJECTED when it answers no. A rejected enrolment is closed, so the person
-- may enrol again: the one-enrolment-per-person rule covers the others.
ALTER TABLE allowance_tiers ADD COLUMN low_income_only boolean NOT NULL DEFAULT false;

ALTER TABLE allowance_enrolments DROP CONSTRAINT allowance_enrolments_status_check;
ALTER TABLE allowance_enrolments ADD CONSTRAINT allowance_enrolments_status_check
  CHECK (status IN ('PENDING_ELIGIBILITY', 'PENDING_APPROVAL', 'ACTIVE', 'STOPPED', 'REJECTED'));
ALTER TABLE allowance_enrolments DROP CONSTRAINT allowance_enrolments_id_index_key;
CREATE UNIQUE INDEX allowance_enrolments_one_per_person ON allowance_enrolments (id_index)
  WHERE status <> 'REJECTED';
CREATE INDEX allowance_enrolments_pending_eligibility ON allowance_enrolments (seq)
  WHERE status = 'PENDING_ELIGIBILITY';
ALTER TABLE allowance_enrolments
  ADD COLUMN low_income text NOT NULL DEFAULT 'NOT_REQUIRED'
    CHECK (low_income IN ('NOT_REQUIRED', 'CONFIRMED', 'UNANSWERED')),
  ADD COLUMN low_income_enrolment_id text NOT NULL DEFAULT '';
