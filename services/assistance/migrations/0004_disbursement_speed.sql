-- Speed of the monthly run and the summary at county scale (make bench, 100k enrolments):
-- the two foreign keys of `payments` cost about a third of a disbursement run. Every payment row
-- is selected from `enrolments` in the same statement that inserts it, into a batch inserted in
-- the same transaction, so the keys guard nothing the statement does not already guarantee; the
-- unique index `payments_once` (one payment per enrolment and month) stays.
ALTER TABLE payments DROP CONSTRAINT payments_batch_id_fkey;
ALTER TABLE payments DROP CONSTRAINT payments_enrolment_id_fkey;
-- Exits in a period (summary) without scanning every enrolled member.
CREATE INDEX enrolment_members_exited ON enrolment_members (exited_on) WHERE exited_on IS NOT NULL;
