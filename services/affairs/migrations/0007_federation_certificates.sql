-- Disability certificates as the disabled persons' federation (残联) reports them, through the
-- exchange's DisabilityCertificateChanged: the last one known per person (blind index), whether
-- or not the person is registered here yet, so that registering and the eligibility checks use
-- the federation's type and grade; and, on a registered person, the day their certificate was
-- revoked (no subsidy may start while it is).
CREATE TABLE federation_certificates (
  id_index text PRIMARY KEY,
  id_masked text NOT NULL,
  certificate_number text NOT NULL,
  category text NOT NULL DEFAULT '',
  grade smallint NOT NULL CHECK (grade BETWEEN 0 AND 4),
  revoked_on date,
  event_date date NOT NULL,
  event_id uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE disabled_persons ADD COLUMN certificate_revoked_on date;
