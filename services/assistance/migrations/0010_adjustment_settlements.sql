-- Back-payments reach the bank (issue 18). A reversed exit pays the months the runs passed over
-- as ADJUSTMENT payments outside any batch (batch_id NULL); nothing put them in a bank file. The
-- next batch of their programme and region settles them: it records each adjustment it takes
-- (once: the primary key, so overlapping batches settle it once), counts them on the batch, and
-- that batch's bank file lists them after its own payments. Settlements are facts like
-- payments: the service may not change or remove them (db_roles).
CREATE TABLE adjustment_settlements (
  payment_id bigint PRIMARY KEY REFERENCES payments (payment_id),  -- an ADJUSTMENT payment
  batch_id uuid NOT NULL REFERENCES disbursement_batches (batch_id),
  settled_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX adjustment_settlements_batch ON adjustment_settlements (batch_id);
-- The few adjustment payments among the payments, for the batch's look for unsettled ones.
CREATE INDEX payments_adjustments ON payments (payment_id) WHERE kind = 'ADJUSTMENT';
ALTER TABLE disbursement_batches
  ADD COLUMN adjustments bigint NOT NULL DEFAULT 0,
  ADD COLUMN adjustments_fen bigint NOT NULL DEFAULT 0;
