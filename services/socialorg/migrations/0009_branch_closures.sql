-- Closing a branch (分支机构注销): each closure filed, decided maker ≠ checker; the branch's
-- status (OPEN, CLOSING while a closure is pending, CLOSED from the approved closure's date).
ALTER TABLE branches
  ADD COLUMN status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSING', 'CLOSED')),
  ADD COLUMN closed_on date CHECK (closed_on >= established_on),
  ADD CONSTRAINT branches_closed_dated CHECK ((status = 'CLOSED') = (closed_on IS NOT NULL));

CREATE TABLE branch_closures (
  closure_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  branch_id uuid NOT NULL REFERENCES branches (branch_id),
  closed_on date NOT NULL,
  documents text[] NOT NULL CHECK (cardinality(documents) BETWEEN 1 AND 20),
  reason text NOT NULL CHECK (reason <> ''),
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
  recorded_by text NOT NULL,
  decided_by text CHECK (decided_by <> recorded_by),
  decided_on date CHECK (decided_on >= closed_on),
  decision_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'PENDING') = (decided_by IS NULL))
);
-- One closure waits at a time; a branch closes once.
CREATE UNIQUE INDEX branch_closures_pending ON branch_closures (branch_id) WHERE status = 'PENDING';
CREATE UNIQUE INDEX branch_closures_approved ON branch_closures (branch_id)
  WHERE status = 'APPROVED';
