-- Organisations deregistered before 0011 kept their branches OPEN: closes them now as an approved
-- deregistration closes them since (BranchStore::CloseForDeregistration): an APPROVED closure
-- dated the deregistration's date, naming its event, with its documents, its clerk and its
-- reviewer, and the branch CLOSED from that date. A branch set up after the deregistration's date,
-- or one whose own closure is pending (CLOSING), is left for a reviewer: the service would have
-- refused the approval for it, and no date fits it.
WITH open_branches AS (
  SELECT b.branch_id, e.event_id, e.event_date, e.documents, e.recorded_by, e.decided_by,
         e.decided_on
  FROM branches b
  JOIN org_events e ON e.organisation_id = b.organisation_id
  WHERE e.kind = 'DEREGISTRATION' AND e.status = 'APPROVED' AND b.status = 'OPEN'
    AND b.established_on <= e.event_date
),
closures AS (
  INSERT INTO branch_closures (branch_id, closed_on, documents, reason, status, recorded_by,
                               decided_by, decided_on, deregistration_event_id)
  SELECT branch_id, event_date, documents,
         'closed with the organisation''s deregistration (注销), event ' || event_id, 'APPROVED',
         recorded_by, decided_by, decided_on, event_id
  FROM open_branches
  RETURNING branch_id, closed_on
)
UPDATE branches b SET status = 'CLOSED', closed_on = c.closed_on
FROM closures c WHERE b.branch_id = c.branch_id;
