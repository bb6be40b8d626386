-- Social-work agencies' project evaluations (终期评估): one row per evaluation, never rewritten.
CREATE TABLE project_evaluations (
  evaluation_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
  project text NOT NULL,
  evaluator text NOT NULL,
  grade text NOT NULL CHECK (grade IN ('EXCELLENT', 'GOOD', 'QUALIFIED', 'UNQUALIFIED')),
  score int NOT NULL CHECK (score BETWEEN 0 AND 100),
  evaluated_on date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, project)
);
