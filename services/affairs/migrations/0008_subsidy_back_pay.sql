-- Back-payment (补发) of a living subsidy resumed when assistance reinstates 低保
-- (EnrolmentReinstated): the months a payment run already passed while the subsidy was stopped
-- are paid once as adjustment rows — new rows of subsidy_payments outside any run (run_id NULL),
-- naming the event that resumed it. UNIQUE (person_id, kind, month) stays the one guarantee: a
-- month is paid once, by a run or by a back-payment, whatever is delivered or run again.
ALTER TABLE subsidy_payments ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE subsidy_payments
  ADD COLUMN payment_type text NOT NULL DEFAULT 'RUN' CHECK (payment_type IN ('RUN', 'ADJUSTMENT')),
  ADD COLUMN event_id text NOT NULL DEFAULT '',
  ADD CONSTRAINT subsidy_payments_run_or_adjustment
    CHECK ((payment_type = 'RUN') = (run_id IS NOT NULL)
           AND (payment_type = 'ADJUSTMENT') = (event_id <> ''));
