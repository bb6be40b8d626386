-- The yearly review of every approved case: the township's findings, the county's decision by
-- another person (maker ≠ checker, also as a CHECK), one open review per case. A STOP decision
-- stops the case with the reason REVIEW_INELIGIBLE (or GUARDIANSHIP_RETURNED).
ALTER TABLE children DROP CONSTRAINT children_stop_reason_check;
ALTER TABLE children ADD CONSTRAINT children_stop_reason_check CHECK (stop_reason IN
  ('', 'ADOPTED', 'GUARDIANSHIP_RETURNED', 'OTHER', 'DECEASED', 'REVIEW_INELIGIBLE'));

CREATE TABLE child_reviews (
  review_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id uuid NOT NULL REFERENCES children (child_id),
  review_date date NOT NULL,
  father text NOT NULL,
  mother text NOT NULL,
  guardian_confirmed boolean NOT NULL,
  placement_confirmed boolean NOT NULL,
  in_school boolean NOT NULL,
  school text NOT NULL DEFAULT '',
  findings text NOT NULL,
  proposed text NOT NULL CHECK (proposed IN ('CONTINUE', 'STOP')),
  grounds_hold boolean NOT NULL,
  prepared_by text NOT NULL,
  status text NOT NULL CHECK (status IN ('PREPARED', 'DECIDED')),
  outcome text NOT NULL DEFAULT '' CHECK (outcome IN ('', 'CONTINUE', 'STOP')),
  decided_by text NOT NULL DEFAULT '',
  decided_on date,
  decision_note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'DECIDED') = (outcome <> '' AND decided_on IS NOT NULL)),
  CHECK (decided_by = '' OR decided_by <> prepared_by),
  CHECK (decided_on IS NULL OR decided_on >= review_date)
);
CREATE UNIQUE INDEX child_reviews_one_open ON child_reviews (child_id) WHERE status = 'PREPARED';
CREATE INDEX child_reviews_child ON child_reviews (child_id, review_date);
