-- Supervision: one annual work report and one annual inspection per organisation and year, the
-- inspection's findings in order. Facts, not drafts: recorded once, never edited.
CREATE TABLE annual_reports (
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  year smallint NOT NULL CHECK (year >= 1990),
  submitted_on date NOT NULL,
  late boolean NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, year),
  CHECK (extract(year from submitted_on) > year)
);

CREATE TABLE inspections (
  inspection_id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  year smallint NOT NULL CHECK (year >= 1990),
  completed_on date NOT NULL,
  late boolean NOT NULL,
  result text NOT NULL CHECK (result IN ('QUALIFIED', 'BASICALLY_QUALIFIED', 'UNQUALIFIED')),
  officials_flagged boolean NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, year),
  CHECK (extract(year from completed_on) > year)
);
CREATE INDEX inspections_completed_on ON inspections (completed_on);

CREATE TABLE inspection_findings (
  inspection_id bigint NOT NULL REFERENCES inspections (inspection_id),
  position smallint NOT NULL,
  area text NOT NULL
    CHECK (area IN ('PERSONNEL', 'FINANCE', 'COMPLIANCE', 'OFFICIALS_HOLDING_POSTS')),
  note text NOT NULL,
  PRIMARY KEY (inspection_id, position)
);
