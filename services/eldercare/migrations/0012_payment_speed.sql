-- Speed of the monthly runs (make bench: tests/bench/eldercare_bench.sh, 30,000 persons): the
-- foreign keys of the payments tables fire a lookup per row, two of them per payment. As in
-- assistance (its migration 0004), every payment is written by the kit's MonthlyRunner from the
-- enrolments (subsidies) its run read in the same transaction, into the run it inserted in that
-- transaction, or as an adjustment of a case the grievance locked; enrolments, subsidies and runs
-- are never deleted. So the keys guard nothing the writer does not already guarantee; the
-- UNIQUE (subject, month) that makes a run exactly-once stays.
ALTER TABLE allowance_payments DROP CONSTRAINT allowance_payments_enrolment_id_fkey;
ALTER TABLE allowance_payments DROP CONSTRAINT allowance_payments_run_id_fkey;
ALTER TABLE homecare_payments DROP CONSTRAINT homecare_payments_subsidy_id_fkey;
ALTER TABLE homecare_payments DROP CONSTRAINT homecare_payments_run_id_fkey;
-- The figures read payments by month range and region prefix. A run writes one month at a time,
-- so the rows lie in month order and a BRIN index on the month finds a period's rows at almost no
-- cost to the run; the b-tree on (month, region_code) cost a sixth of it.
DROP INDEX allowance_payments_month_region;
CREATE INDEX allowance_payments_month ON allowance_payments USING brin (month);
DROP INDEX homecare_payments_month_region;
CREATE INDEX homecare_payments_month ON homecare_payments USING brin (month);
