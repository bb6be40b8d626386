-- A deregistration (注销), once approved, closes the organisation's open branches in the
-- approval's transaction: each gets an APPROVED closure dated the deregistration's date that names
-- the deregistration event (its documents, who filed and who approved it). Closures a clerk files
-- leave it empty.
ALTER TABLE branch_closures
  ADD COLUMN deregistration_event_id uuid REFERENCES org_events (event_id);
