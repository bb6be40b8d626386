-- Back-payments reach the bank (issue 18). An upheld grievance pays the months a stop missed as
-- adjustment rows outside any run (0010, 0011); nothing put them in a bank file. The next run of
-- their region settles them: it records each adjustment it takes (once: the primary key, so
-- overlapping runs settle it once), and that run's bank file lists them after its own payments.
-- Settlements are facts like payments: the service may not change or remove them (db_roles).
CREATE TABLE allowance_adjustment_settlements (
  payment_id bigint PRIMARY KEY,  -- an ADJUSTMENT row of allowance_payments
  run_id uuid NOT NULL,           -- the run whose bank file pays it
  settled_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX allowance_adjustment_settlements_run ON allowance_adjustment_settlements (run_id);
-- The few adjustment rows among the payments, for the run's look for unsettled ones.
CREATE INDEX allowance_payments_adjustments ON allowance_payments (payment_id)
  WHERE kind = 'ADJUSTMENT';

CREATE TABLE homecare_adjustment_settlements (
  payment_id bigint PRIMARY KEY,  -- an ADJUSTMENT row of homecare_payments
  run_id uuid NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX homecare_adjustment_settlements_run ON homecare_adjustment_settlements (run_id);
CREATE INDEX homecare_payments_adjustments ON homecare_payments (payment_id)
  WHERE kind = 'ADJUSTMENT';
