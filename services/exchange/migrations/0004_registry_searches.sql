-- The "Out" half: every registry search an external system made (who, when, its scope, the
-- person by blind index and masked, the day asked about, how many enrolments were answered and
-- which departments did not answer). Append-only.
CREATE TABLE registry_searches (
  search_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial UNIQUE,
  searched_at timestamptz NOT NULL DEFAULT now(),
  caller text NOT NULL,
  caller_scope text NOT NULL,
  subject_index text NOT NULL,
  subject_masked text NOT NULL,
  as_of date NOT NULL,
  found int NOT NULL CHECK (found >= 0),
  answered text[] NOT NULL,
  unknown text[] NOT NULL
);
CREATE INDEX registry_searches_subject ON registry_searches (subject_index, seq);
