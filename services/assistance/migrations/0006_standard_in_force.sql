-- 提标: the monthly amount of an enrolment follows the benefit standard in force for the month
-- paid (services/assistance/README.md, "Monthly amounts"), computed in the disbursement's
-- set-based statement; past payments stay as they were paid.

COMMENT ON TABLE enrolment_amounts IS
  'The amount decided for an enrolment from a month on, with the persons it covers: computed at '
  'approval or at a member''s exit (a record of the decision: payments follow the standard in '
  'force for the month paid, and use it only when no standard or investigated income is known), '
  'or set on review (INCREASE / DECREASE, matched by enrolment_reviews): paid as set while the '
  'standard in force is the one it was decided on. persons is always the count paid for.';

-- 低保 households not paid for a month because the gap (standard × persons − income) at the
-- standard in force is no longer positive: the disbursement records them here and brings their
-- review forward (enrolments.review_due, read by ListReviewsDue). One row per enrolment and
-- month, whichever run found it first.
CREATE TABLE disbursement_holds (
  batch_id uuid NOT NULL,
  enrolment_id uuid NOT NULL REFERENCES enrolments (enrolment_id),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  household_id uuid NOT NULL,
  region_code text NOT NULL,
  standard_id uuid NOT NULL REFERENCES benefit_standards (standard_id),
  persons integer NOT NULL,
  income_fen bigint NOT NULL,
  gap_fen bigint NOT NULL CHECK (gap_fen <= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (enrolment_id, month)
);
CREATE INDEX disbursement_holds_batch ON disbursement_holds (batch_id);

-- Money::CeilToYuan in SQL: rounds fen up to a whole yuan (towards +∞, also below zero); inlined.
CREATE FUNCTION ceil_yuan(fen bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT fen - fen % 100 + CASE WHEN fen % 100 > 0 THEN 100 ELSE 0 END
$$;
