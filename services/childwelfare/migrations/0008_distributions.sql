-- Care distributions (关爱物资 / 慰问金): health packs and other goods handed out in a township,
-- counted in 份, and condolence money paid to named children; each recipient once per
-- distribution, by blind index so that a child in both registers counts once. Facts: never
-- changed once written (append-only for the service's role, and a trigger).
CREATE TABLE care_distributions (
  distribution_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('HEALTH_PACKS', 'CONDOLENCE_MONEY', 'OTHER_GOODS')),
  item text NOT NULL,
  quantity integer NOT NULL CHECK (quantity >= 0),
  total_fen bigint NOT NULL CHECK (total_fen >= 0),
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{9}$'),  -- the township
  distributed_on date NOT NULL,
  campaign text NOT NULL,
  giver text NOT NULL DEFAULT '',
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'CONDOLENCE_MONEY' AND quantity = 0 AND total_fen > 0) OR
         (kind <> 'CONDOLENCE_MONEY' AND quantity > 0 AND total_fen = 0))
);
CREATE INDEX care_distributions_day_region
  ON care_distributions (distributed_on, region_code text_pattern_ops);

CREATE TABLE care_distribution_recipients (
  distribution_id uuid NOT NULL REFERENCES care_distributions (distribution_id),
  position integer NOT NULL,
  registry text NOT NULL CHECK (registry IN ('CHILD', 'CARE')),
  child_id uuid REFERENCES children (child_id),
  care_id uuid REFERENCES care_children (care_id),
  id_index text NOT NULL,
  region_code text NOT NULL,  -- the child's village on the day
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  PRIMARY KEY (distribution_id, position),
  UNIQUE (distribution_id, id_index),
  CHECK ((registry = 'CHILD') = (child_id IS NOT NULL) AND (registry = 'CARE') = (care_id IS NOT NULL))
);

CREATE FUNCTION care_distributions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'care distributions are immutable' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER care_distributions_immutable BEFORE UPDATE OR DELETE ON care_distributions
  FOR EACH ROW EXECUTE FUNCTION care_distributions_immutable();
CREATE TRIGGER care_distribution_recipients_immutable BEFORE UPDATE OR DELETE
  ON care_distribution_recipients FOR EACH ROW EXECUTE FUNCTION care_distributions_immutable();
