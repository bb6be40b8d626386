-- Administrative boundaries: lines with neighbouring counties (along a township, for scope),
-- their markers (界桩) with the notice board a tri-point marker carries, and the joint
-- inspections of a line per year with their archive files (append-only).
CREATE TABLE boundary_lines (
  line_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  township_code text NOT NULL REFERENCES regions (code),
  neighbour text NOT NULL CHECK (neighbour <> ''),
  name text NOT NULL UNIQUE CHECK (name <> ''),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE boundary_markers (
  marker_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  line_id uuid NOT NULL REFERENCES boundary_lines (line_id),
  code text NOT NULL UNIQUE CHECK (code <> ''),
  latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  kind text NOT NULL CHECK (kind IN ('SINGLE', 'DOUBLE', 'TRI_POINT')),
  status text NOT NULL CHECK (status IN ('INTACT', 'DAMAGED', 'MISSING')),
  placed_on date NOT NULL,
  board_installed_on date,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (board_installed_on IS NULL OR kind = 'TRI_POINT')
);

CREATE TABLE boundary_inspections (
  inspection_id bigserial PRIMARY KEY,
  line_id uuid NOT NULL REFERENCES boundary_lines (line_id),
  year int NOT NULL CHECK (year >= 2000),
  completed_on date NOT NULL,
  archive_ref text NOT NULL CHECK (archive_ref <> ''),
  note text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (line_id, year)
);
