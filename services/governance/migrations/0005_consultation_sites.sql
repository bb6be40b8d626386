-- Consultation demonstration sites (协商示范点): a village/community selected as a site, once.
CREATE TABLE consultation_sites (
  site_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  village_code text NOT NULL UNIQUE REFERENCES regions (code),
  name text NOT NULL CHECK (name <> ''),
  selected_on date NOT NULL,
  selected_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
