-- An upheld grievance against a stopped 高龄津贴 reverses the stop (grievance_store.h's reopen
-- hook): the enrolment is active again, its history keeps the stop that was reversed, and the
-- months a run paid the region while it was stopped are paid once as adjustment rows — new rows
-- of the immutable payments table, outside any run (run_id NULL), naming the grievance.
ALTER TABLE allowance_payments ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE allowance_payments
  ADD COLUMN kind text NOT NULL DEFAULT 'RUN' CHECK (kind IN ('RUN', 'ADJUSTMENT')),
  ADD COLUMN grievance_id text NOT NULL DEFAULT '',
  ADD CONSTRAINT allowance_payments_run_or_adjustment
    CHECK ((kind = 'RUN') = (run_id IS NOT NULL) AND (kind = 'ADJUSTMENT') = (grievance_id <> ''));

-- What happened to an enrolment besides its current row: a stop reversed, with the stop it was.
CREATE TABLE allowance_enrolment_history (
  history_id bigserial PRIMARY KEY,
  enrolment_id uuid NOT NULL REFERENCES allowance_enrolments (enrolment_id),
  action text NOT NULL CHECK (action IN ('STOP_REVERSED')),
  end_month date,              -- the stop's first month not paid
  reason text NOT NULL,        -- the stop's reason
  note text NOT NULL,
  actor text NOT NULL,
  day date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_enrolment_history_enrolment ON allowance_enrolment_history (enrolment_id);
