-- A move out of the county (the exchange's PersonMovedOut) stops a running case with the reason
-- MOVED_OUT; an upheld grievance against a stop (case kind ALLOWANCE) reverses it. Both are kept
-- in child_history: the stop (STOPPED: who, the month, the reason, the note) and its reversal
-- (STOP_REVERSED: the stop that was, the grievance, the months paid back and their total).
ALTER TABLE children DROP CONSTRAINT children_stop_reason_check;
ALTER TABLE children ADD CONSTRAINT children_stop_reason_check CHECK (stop_reason IN
  ('', 'ADOPTED', 'GUARDIANSHIP_RETURNED', 'OTHER', 'DECEASED', 'REVIEW_INELIGIBLE', 'MOVED_OUT'));

ALTER TABLE child_history DROP CONSTRAINT child_history_action_check;
ALTER TABLE child_history
  ADD CONSTRAINT child_history_action_check
    CHECK (action IN ('REOPENED', 'STOPPED', 'STOP_REVERSED')),
  ADD COLUMN end_month date,                       -- the stop's first month not paid
  ADD COLUMN stop_reason text NOT NULL DEFAULT '',
  ADD COLUMN stop_note text NOT NULL DEFAULT '',
  ADD COLUMN stopped_on date,
  ADD COLUMN note text NOT NULL DEFAULT '',
  ADD COLUMN months_paid integer NOT NULL DEFAULT 0,  -- STOP_REVERSED: the back-payment
  ADD COLUMN paid_fen bigint NOT NULL DEFAULT 0;

-- The back-payment of a reversed stop: the months the runs already paid the child's region while
-- it was stopped, as adjustment rows of the immutable payments table, outside any run (run_id
-- NULL), naming the grievance. UNIQUE (child_id, month) holds for them too: a month is paid once,
-- by a run or by one adjustment, whatever reopenings or retries follow.
ALTER TABLE child_payments ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE child_payments
  ADD COLUMN kind text NOT NULL DEFAULT 'RUN' CHECK (kind IN ('RUN', 'ADJUSTMENT')),
  ADD COLUMN grievance_id text NOT NULL DEFAULT '',
  ADD CONSTRAINT child_payments_run_or_adjustment
    CHECK ((kind = 'RUN') = (run_id IS NOT NULL) AND (kind = 'ADJUSTMENT') = (grievance_id <> ''));
