-- Household registry: households, their members (ID numbers encrypted, looked up by blind
-- index), and an append-only history of every change.
CREATE TABLE households (
  household_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,  -- listing order and page tokens
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{12}$'),
  area text NOT NULL CHECK (area IN ('URBAN', 'RURAL')),
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);
CREATE INDEX households_region_seq ON households (region_code text_pattern_ops, seq);

CREATE TABLE household_members (
  member_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (household_id),
  name text NOT NULL,
  id_cipher bytea NOT NULL,      -- AES-256-GCM of the ID number
  id_index text NOT NULL,        -- HMAC-SHA256 blind index, for equality lookups
  id_masked text NOT NULL,       -- 340722********1234
  birth_date date NOT NULL,
  sex char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  relation text NOT NULL,
  position integer NOT NULL,
  active boolean NOT NULL DEFAULT true,
  joined_at timestamptz NOT NULL DEFAULT now(),
  left_at timestamptz,
  CHECK (active = (left_at IS NULL))
);
-- A person is an active member of one household at most.
CREATE UNIQUE INDEX household_members_one_active ON household_members (id_index) WHERE active;
CREATE INDEX household_members_household ON household_members (household_id) WHERE active;

CREATE TABLE household_history (
  history_id bigserial PRIMARY KEY,
  household_id uuid NOT NULL REFERENCES households (household_id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,  -- CREATED, MEMBERS_REPLACED
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX household_history_household ON household_history (household_id, history_id);
