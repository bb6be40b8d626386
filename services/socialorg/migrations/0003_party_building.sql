-- Party building per organisation: each row holds from its date until the next one (history is
-- kept; the counts as of a day take the row in force then).
CREATE TABLE party_building (
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  effective_on date NOT NULL,
  party_organisation boolean NOT NULL,
  trade_union boolean NOT NULL,
  youth_league boolean NOT NULL,
  womens_organisation boolean NOT NULL,
  in_charter boolean NOT NULL,
  commitment_signed boolean NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, effective_on)
);
