-- Grievances (grievance.h): China's working-day calendar as data, and each department's
-- grievances with their history.

-- Public holidays (HOLIDAY: a rest day even on a weekday) and make-up working days (WORKDAY, 调休:
-- a working day even on a weekend) as the State Council announced them (国办发明电〔2022〕16号 for
-- 2023, 国办发明电〔2023〕7号 for 2024). Every other day follows the week: Monday to Friday work.
-- A later year is a later migration that inserts its rows.
CREATE TABLE holiday_calendar (
  day date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('HOLIDAY', 'WORKDAY')),
  name text NOT NULL
);
INSERT INTO holiday_calendar (day, kind, name) VALUES
  ('2022-12-31', 'HOLIDAY', '元旦'),
  ('2023-01-01', 'HOLIDAY', '元旦'),
  ('2023-01-02', 'HOLIDAY', '元旦'),
  ('2023-01-21', 'HOLIDAY', '春节'),
  ('2023-01-22', 'HOLIDAY', '春节'),
  ('2023-01-23', 'HOLIDAY', '春节'),
  ('2023-01-24', 'HOLIDAY', '春节'),
  ('2023-01-25', 'HOLIDAY', '春节'),
  ('2023-01-26', 'HOLIDAY', '春节'),
  ('2023-01-27', 'HOLIDAY', '春节'),
  ('2023-01-28', 'WORKDAY', '春节'),
  ('2023-01-29', 'WORKDAY', '春节'),
  ('2023-04-05', 'HOLIDAY', '清明节'),
  ('2023-04-23', 'WORKDAY', '劳动节'),
  ('2023-04-29', 'HOLIDAY', '劳动节'),
  ('2023-04-30', 'HOLIDAY', '劳动节'),
  ('2023-05-01', 'HOLIDAY', '劳动节'),
  ('2023-05-02', 'HOLIDAY', '劳动节'),
  ('2023-05-03', 'HOLIDAY', '劳动节'),
  ('2023-05-06', 'WORKDAY', '劳动节'),
  ('2023-06-22', 'HOLIDAY', '端午节'),
  ('2023-06-23', 'HOLIDAY', '端午节'),
  ('2023-06-24', 'HOLIDAY', '端午节'),
  ('2023-06-25', 'WORKDAY', '端午节'),
  ('2023-09-29', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-09-30', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-10-01', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-10-02', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-10-03', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-10-04', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-10-05', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-10-06', 'HOLIDAY', '中秋节、国庆节'),
  ('2023-10-07', 'WORKDAY', '中秋节、国庆节'),
  ('2023-10-08', 'WORKDAY', '中秋节、国庆节'),
  ('2023-12-30', 'HOLIDAY', '元旦'),
  ('2023-12-31', 'HOLIDAY', '元旦'),
  ('2024-01-01', 'HOLIDAY', '元旦'),
  ('2024-02-04', 'WORKDAY', '春节'),
  ('2024-02-10', 'HOLIDAY', '春节'),
  ('2024-02-11', 'HOLIDAY', '春节'),
  ('2024-02-12', 'HOLIDAY', '春节'),
  ('2024-02-13', 'HOLIDAY', '春节'),
  ('2024-02-14', 'HOLIDAY', '春节'),
  ('2024-02-15', 'HOLIDAY', '春节'),
  ('2024-02-16', 'HOLIDAY', '春节'),
  ('2024-02-17', 'HOLIDAY', '春节'),
  ('2024-02-18', 'WORKDAY', '春节'),
  ('2024-04-04', 'HOLIDAY', '清明节'),
  ('2024-04-05', 'HOLIDAY', '清明节'),
  ('2024-04-06', 'HOLIDAY', '清明节'),
  ('2024-04-07', 'WORKDAY', '清明节'),
  ('2024-04-28', 'WORKDAY', '劳动节'),
  ('2024-05-01', 'HOLIDAY', '劳动节'),
  ('2024-05-02', 'HOLIDAY', '劳动节'),
  ('2024-05-03', 'HOLIDAY', '劳动节'),
  ('2024-05-04', 'HOLIDAY', '劳动节'),
  ('2024-05-05', 'HOLIDAY', '劳动节'),
  ('2024-05-11', 'WORKDAY', '劳动节'),
  ('2024-06-08', 'HOLIDAY', '端午节'),
  ('2024-06-09', 'HOLIDAY', '端午节'),
  ('2024-06-10', 'HOLIDAY', '端午节'),
  ('2024-09-14', 'WORKDAY', '中秋节'),
  ('2024-09-15', 'HOLIDAY', '中秋节'),
  ('2024-09-16', 'HOLIDAY', '中秋节'),
  ('2024-09-17', 'HOLIDAY', '中秋节'),
  ('2024-09-29', 'WORKDAY', '国庆节'),
  ('2024-10-01', 'HOLIDAY', '国庆节'),
  ('2024-10-02', 'HOLIDAY', '国庆节'),
  ('2024-10-03', 'HOLIDAY', '国庆节'),
  ('2024-10-04', 'HOLIDAY', '国庆节'),
  ('2024-10-05', 'HOLIDAY', '国庆节'),
  ('2024-10-06', 'HOLIDAY', '国庆节'),
  ('2024-10-07', 'HOLIDAY', '国庆节'),
  ('2024-10-12', 'WORKDAY', '国庆节');

CREATE TABLE grievances (
  grievance_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  kind text NOT NULL
    CHECK (kind IN ('RECONSIDERATION', 'ADMINISTRATIVE_REVIEW', 'COMPLAINT', 'HOTLINE_12345')),
  -- The contested case of this department: its kind (APPLICATION, ENROLMENT, …) and id; the
  -- region is the case's, for region scope.
  case_kind text NOT NULL,
  case_id text NOT NULL,
  region_code text NOT NULL,
  complainant text NOT NULL,
  complainant_phone text NOT NULL DEFAULT '',
  category text NOT NULL,
  details text NOT NULL DEFAULT '',
  external_ref text NOT NULL DEFAULT '',
  received_on date NOT NULL,
  deadline date NOT NULL CHECK (deadline >= received_on),
  deadline_days integer NOT NULL,
  working_days boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('RECEIVED', 'ASSIGNED', 'RESPONDED',
                                         'AWAITING_CONFIRMATION', 'CLOSED')),
  assignee text NOT NULL DEFAULT '',
  response text NOT NULL DEFAULT '',
  responded_on date,
  outcome text NOT NULL DEFAULT '' CHECK (outcome IN ('', 'UPHELD', 'PARTLY_UPHELD', 'DISMISSED')),
  outcome_reason text NOT NULL DEFAULT '',
  decided_by text NOT NULL DEFAULT '',
  decided_on date,
  confirmed_by text NOT NULL DEFAULT '',
  reopened text NOT NULL DEFAULT '',
  closed_on date,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'CLOSED') = (closed_on IS NOT NULL))
);
CREATE INDEX grievances_region ON grievances (region_code text_pattern_ops, seq);
CREATE INDEX grievances_open ON grievances (deadline) WHERE status <> 'CLOSED';
CREATE INDEX grievances_case ON grievances (case_kind, case_id);

-- Every step of a grievance (append-only for the service role).
CREATE TABLE grievance_history (
  history_id bigserial PRIMARY KEY,
  grievance_id uuid NOT NULL REFERENCES grievances (grievance_id),
  action text NOT NULL,
  actor text NOT NULL,
  happened_on date NOT NULL,
  note text NOT NULL DEFAULT '',
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grievance_history_grievance ON grievance_history (grievance_id, history_id);
