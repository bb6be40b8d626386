-- Guardian and placement changes of a case, a dated history: recorded by a clerk, decided by
-- another person (also a CHECK), one pending change per case. An approved change rewrites the
-- case's guardian, placement and category (which the monthly run reads), from the month after.
ALTER TABLE children ADD COLUMN placement_kind text NOT NULL DEFAULT ''
  CHECK (placement_kind IN ('', 'FAMILY', 'KINSHIP', 'FOSTER', 'INSTITUTION'));

CREATE TABLE child_placements (
  change_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id uuid NOT NULL REFERENCES children (child_id),
  guardian_name text NOT NULL,
  guardian_relation text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('FAMILY', 'KINSHIP', 'FOSTER', 'INSTITUTION')),
  placement text NOT NULL,
  reason text NOT NULL,
  change_date date NOT NULL,
  effective_month date NOT NULL CHECK (extract(day from effective_month) = 1),
  category_before text NOT NULL,
  category_after text NOT NULL,
  proposed_by text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
  decided_by text NOT NULL DEFAULT '',
  decided_on date,
  decision_note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (decided_by = '' OR decided_by <> proposed_by),
  CHECK ((status = 'PENDING') = (decided_on IS NULL))
);
CREATE UNIQUE INDEX child_placements_one_pending ON child_placements (child_id)
  WHERE status = 'PENDING';
CREATE INDEX child_placements_child ON child_placements (child_id, change_date);
