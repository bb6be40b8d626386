-- Every unmasked view of a person's ID number that a department answered (services/common/
-- id_views.h): written before the response leaves the service, never changed afterwards (the
-- service's role may only INSERT and SELECT it: db_roles.h).
CREATE TABLE id_views (
  view_id bigserial PRIMARY KEY,
  viewed_at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  actor_roles text[] NOT NULL,
  method text NOT NULL,
  record_kind text NOT NULL,
  record_id text NOT NULL,
  person_index text NOT NULL,            -- HMAC blind index of the ID number
  person_masked text NOT NULL,
  region_code text NOT NULL,
  reason text NOT NULL
);
CREATE INDEX id_views_person ON id_views (person_index, view_id);
CREATE INDEX id_views_actor ON id_views (actor, view_id);
CREATE INDEX id_views_time ON id_views (viewed_at);
