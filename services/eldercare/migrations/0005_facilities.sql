-- Elderly-care facilities with a target year and their dated steps (planned → under construction
-- → completed → operating), the six public notices (六公示) of canteens and meal points, and the
-- meals they served per month.
CREATE TABLE facilities (
  facility_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('VILLAGE_STATION', 'CANTEEN', 'TOWNSHIP_INSTITUTION',
                                     'SMART_INSTITUTION', 'FAMILY_CARE_BED')),
  name text NOT NULL,
  region_code text NOT NULL CHECK (region_code ~ '^([0-9]{9}|[0-9]{12})$'),
  target_year smallint NOT NULL CHECK (target_year BETWEEN 2000 AND 2100),
  operator text NOT NULL DEFAULT '',
  capacity integer NOT NULL CHECK (capacity BETWEEN 0 AND 100000),
  status text NOT NULL CHECK (status IN ('PLANNED', 'UNDER_CONSTRUCTION', 'COMPLETED',
                                         'OPERATING')),
  planned_on date NOT NULL,
  construction_started_on date,
  completed_on date,
  operating_since date,
  six_notices_on date,  -- canteens and meal points: the day the 六公示 were posted
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'PLANNED') = (construction_started_on IS NULL)),
  CHECK ((status IN ('COMPLETED', 'OPERATING')) = (completed_on IS NOT NULL)),
  CHECK ((status = 'OPERATING') = (operating_since IS NOT NULL)),
  CHECK (six_notices_on IS NULL OR kind = 'CANTEEN')
);
CREATE INDEX facilities_region_seq ON facilities (region_code text_pattern_ops, seq);

CREATE TABLE facility_meals (
  facility_id uuid NOT NULL REFERENCES facilities (facility_id),
  month date NOT NULL CHECK (extract(day from month) = 1),
  meals integer NOT NULL CHECK (meals >= 0),
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (facility_id, month)
);
