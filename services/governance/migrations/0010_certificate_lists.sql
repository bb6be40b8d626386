-- Certificate lists (证明事项清单): each version of a village/community's list, effective from its
-- day, and its entries (may / may not issue, with the legal basis). Both append-only: a change is
-- a new version.
CREATE TABLE certificate_lists (
  list_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  village_code text NOT NULL REFERENCES regions (code),
  effective_on date NOT NULL,
  document text NOT NULL CHECK (document <> ''),
  published_by text NOT NULL,
  published_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (village_code, effective_on)
);
CREATE TABLE certificate_list_items (
  list_id uuid NOT NULL REFERENCES certificate_lists (list_id),
  position int NOT NULL,
  name text NOT NULL CHECK (name <> ''),
  may_issue boolean NOT NULL,
  legal_basis text NOT NULL CHECK (legal_basis <> ''),
  PRIMARY KEY (list_id, position),
  UNIQUE (list_id, name)
);
