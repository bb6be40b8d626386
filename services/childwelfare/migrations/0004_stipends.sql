-- The university stipend (助学) of orphans: at most once per person per academic year (by blind
-- index, so a second case of the same child cannot pay twice), never changed once written.
CREATE TABLE child_stipends (
  stipend_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_id uuid NOT NULL REFERENCES children (child_id),
  id_index text NOT NULL,
  academic_year smallint NOT NULL CHECK (academic_year BETWEEN 2000 AND 2999),  -- its first year
  university text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  paid_on date NOT NULL,
  region_code text NOT NULL,  -- the child's when paid, for region-scoped figures
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id_index, academic_year)
);
CREATE INDEX child_stipends_paid_region ON child_stipends (paid_on, region_code text_pattern_ops);

CREATE FUNCTION child_stipends_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'child stipends are immutable' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER child_stipends_immutable BEFORE UPDATE OR DELETE ON child_stipends
  FOR EACH ROW EXECUTE FUNCTION child_stipends_immutable();
