-- The deaths a department knows (services/common/deaths.h), one row per person however many
-- records report the death: its own records (a cremation, a 低保 exit for death) and the
-- PersonDeceased events of every other department. The earliest date wins; `conflict` flags a
-- person whose reports contradict each other, for a clerk to resolve from `death_reports`.
CREATE TABLE death_registry (
  seq bigserial UNIQUE,
  subject_index text PRIMARY KEY,        -- HMAC blind index of the person's ID number
  subject_masked text NOT NULL,
  date_of_death date NOT NULL,
  upper_bound boolean NOT NULL,          -- known dead by that day, the day itself unknown
  source text NOT NULL,                  -- department of the report that set the date
  record_kind text NOT NULL,             -- CREMATION, ENROLMENT_EXIT, …
  record_id text NOT NULL,
  event_id uuid,                         -- the PersonDeceased that carried that report
  conflict boolean NOT NULL DEFAULT false,
  reports integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX death_registry_conflicts ON death_registry (seq) WHERE conflict;

-- Every report of a death, as received, with what the registry decided.
CREATE TABLE death_reports (
  report_id bigserial PRIMARY KEY,
  subject_index text NOT NULL,
  date_of_death date NOT NULL,
  upper_bound boolean NOT NULL,
  source text NOT NULL,
  record_kind text NOT NULL,
  record_id text NOT NULL,
  region_code text NOT NULL DEFAULT '',
  event_id uuid,
  outcome text NOT NULL,                 -- FIRST, SAME, EARLIER, LATER
  conflict boolean NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX death_reports_subject ON death_reports (subject_index, report_id);
