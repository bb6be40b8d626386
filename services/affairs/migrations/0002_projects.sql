-- Projects (township cemeteries, disability service pilots): one life cycle, milestone dates on
-- the row, and an append-only history of who recorded which milestone when.
CREATE TABLE projects (
  project_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('CEMETERY', 'CARE_SERVICE_PILOT', 'MENTAL_HEALTH_REHAB_PILOT')),
  name text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{9}|[0-9]{12})$'),
  target_year integer NOT NULL CHECK (target_year BETWEEN 2000 AND 2100),
  due_date date NOT NULL,
  started_on date,
  completed_on date,
  accepted_on date,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  CHECK (completed_on IS NULL OR (started_on IS NOT NULL AND started_on <= completed_on)),
  CHECK (accepted_on IS NULL OR (completed_on IS NOT NULL AND completed_on <= accepted_on))
);
CREATE INDEX projects_kind_region_seq ON projects (kind, region_code text_pattern_ops, seq);

CREATE TABLE project_history (
  history_id bigserial PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES projects (project_id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,  -- CREATED, STARTED, COMPLETED, ACCEPTED
  on_date date
);
CREATE INDEX project_history_project ON project_history (project_id, history_id);
