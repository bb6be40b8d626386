-- An upheld grievance against a stopped 居家养老服务补贴 reverses the stop, as for the 高龄津贴
-- (0010): the subsidy is active again, its history keeps the stop that was reversed, and the
-- months a run paid the region while it was stopped are paid once as adjustment rows — new rows of
-- the immutable payments table, outside any run (run_id NULL), naming the grievance.
ALTER TABLE homecare_payments ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE homecare_payments
  ADD COLUMN kind text NOT NULL DEFAULT 'RUN' CHECK (kind IN ('RUN', 'ADJUSTMENT')),
  ADD COLUMN grievance_id text NOT NULL DEFAULT '',
  ADD CONSTRAINT homecare_payments_run_or_adjustment
    CHECK ((kind = 'RUN') = (run_id IS NOT NULL) AND (kind = 'ADJUSTMENT') = (grievance_id <> ''));

-- What happened to a subsidy besides its current row: a stop reversed, with the stop it was.
CREATE TABLE homecare_subsidy_history (
  history_id bigserial PRIMARY KEY,
  subsidy_id uuid NOT NULL REFERENCES homecare_subsidies (subsidy_id),
  action text NOT NULL CHECK (action IN ('STOP_REVERSED')),
  end_month date,              -- the stop's first month not paid
  stop_reason text NOT NULL,   -- the stop's reason, note and day
  stop_note text NOT NULL,
  stopped_on date,
  grievance_id text NOT NULL,
  note text NOT NULL,
  actor text NOT NULL,
  day date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX homecare_subsidy_history_subsidy ON homecare_subsidy_history (subsidy_id);
