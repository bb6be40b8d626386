-- Speed of the monthly run, as in eldercare (its migration 0012) and assistance (0004): the two
-- foreign keys of child_payments fire a lookup per payment. Every payment is written by the kit's
-- MonthlyRunner from the children its run read in the same transaction, into the run it inserted
-- in that transaction, or as an adjustment of a case the grievance locked; children and runs are
-- never deleted. The UNIQUE (child_id, month) that makes a run exactly-once stays.
ALTER TABLE child_payments DROP CONSTRAINT child_payments_child_id_fkey;
ALTER TABLE child_payments DROP CONSTRAINT child_payments_run_id_fkey;
