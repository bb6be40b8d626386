-- "Community whistle, departments report" (社区吹哨、部门报到): a matter a village/community calls
-- a county department to, the day it is due, and the department that answered and when.
CREATE TABLE whistle_items (
  item_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  village_code text NOT NULL REFERENCES regions (code),
  matter text NOT NULL CHECK (matter <> ''),
  department text NOT NULL CHECK (department <> ''),
  whistled_on date NOT NULL,
  due_on date NOT NULL CHECK (due_on >= whistled_on),
  whistled_by text NOT NULL,
  answered_on date CHECK (answered_on >= whistled_on),
  answered_department text,
  answer text,
  answered_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((answered_on IS NULL) = (answered_department IS NULL))
);
CREATE INDEX whistle_items_open ON whistle_items (due_on) WHERE answered_on IS NULL;
