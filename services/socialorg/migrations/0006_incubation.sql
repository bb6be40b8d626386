-- Incubation centres (孵化服务中心) and the organisations each incubates (rows only grow).
CREATE TABLE incubation_centres (
  centre_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  established_on date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, name)
);

CREATE TABLE incubated_organisations (
  centre_id uuid NOT NULL REFERENCES incubation_centres (centre_id),
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  admitted_on date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (centre_id, organisation_id)
);
