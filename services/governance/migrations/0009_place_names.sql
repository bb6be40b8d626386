-- Place and road naming (地名管理条例): an application, its approval (maker ≠ checker), the
-- filing due within 15 days of the approval and the announcement due within 15 days of the
-- filing. One row per application; the steps fill it in order (the CHECKs keep the order).
CREATE TABLE place_names (
  name_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  proposed_name text NOT NULL CHECK (proposed_name <> ''),
  kind text NOT NULL,
  region_code text NOT NULL REFERENCES regions (code),
  applicant text NOT NULL CHECK (applicant <> ''),
  applied_on date NOT NULL,
  applied_by text NOT NULL,
  approved_on date CHECK (approved_on >= applied_on),
  approval_document text,
  approved_by text CHECK (approved_by <> applied_by),
  filed_on date CHECK (filed_on >= approved_on),
  filing_document text,
  filed_by text,
  announced_on date CHECK (announced_on >= filed_on),
  announcement_document text,
  announced_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, kind, proposed_name),
  CHECK ((approved_on IS NULL) = (approved_by IS NULL)),
  CHECK (filed_on IS NULL OR approved_on IS NOT NULL),
  CHECK (announced_on IS NULL OR filed_on IS NOT NULL)
);
CREATE INDEX place_names_pending ON place_names (approved_on)
  WHERE approved_on IS NOT NULL AND announced_on IS NULL;
