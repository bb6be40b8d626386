-- Branches (分支机构) of organisations: one row per branch, a name once per organisation.
CREATE TABLE branches (
  branch_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  name text NOT NULL,
  principal text NOT NULL,
  scope text NOT NULL,
  established_on date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, name)
);
