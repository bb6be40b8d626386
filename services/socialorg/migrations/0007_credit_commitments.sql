-- Industry associations' credit commitments (诚信建设): one per organisation and year, never
-- rewritten.
CREATE TABLE credit_commitments (
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  year int NOT NULL,
  content text NOT NULL,
  signed_on date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, year)
);
