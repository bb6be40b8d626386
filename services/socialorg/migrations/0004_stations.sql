-- Social-work stations (社工站): the county station and one per township (its row is locked by
-- every write of the station, so it is not append-only). Acceptances, tasks,
-- completions and supervision visits only ever grow (a task is completed by a row of its own).
CREATE TABLE stations (
  station_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  name text NOT NULL,
  region_code text NOT NULL UNIQUE CHECK (region_code ~ '^([0-9]{6}|[0-9]{9})$'),
  level text NOT NULL CHECK (level IN ('COUNTY', 'TOWNSHIP')),
  established_on date NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE station_acceptances (
  station_id uuid NOT NULL REFERENCES stations (station_id),
  accepted_on date NOT NULL,
  result text NOT NULL CHECK (result IN ('PASSED', 'FAILED')),
  notes text NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, accepted_on)
);

CREATE TABLE station_tasks (
  task_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  station_id uuid NOT NULL REFERENCES stations (station_id),
  year int NOT NULL,
  title text NOT NULL,
  due_on date NOT NULL CHECK (extract(year FROM due_on) = year),
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (station_id, year, title)
);

CREATE TABLE station_task_completions (
  task_id uuid PRIMARY KEY REFERENCES station_tasks (task_id),
  completed_on date NOT NULL,
  evidence text NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE station_visits (
  visit_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid NOT NULL REFERENCES stations (station_id),
  visited_on date NOT NULL,
  visitor text NOT NULL,
  findings text NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX station_visits_station ON station_visits (station_id, visited_on);
