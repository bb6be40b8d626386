-- Neighbourhood-centre star ratings: a village/community's service centre rated 1-5 stars for a
-- year, once (append-only).
CREATE TABLE centre_ratings (
  rating_id bigserial PRIMARY KEY,
  village_code text NOT NULL REFERENCES regions (code),
  centre text NOT NULL CHECK (centre <> ''),
  year int NOT NULL CHECK (year >= 2000),
  stars int NOT NULL CHECK (stars BETWEEN 1 AND 5),
  rated_on date NOT NULL,
  rated_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (village_code, year)
);
