-- Village rules and residents' conventions (村规民约 / 居民公约): each revision of a village's
-- rules, every step of its five legal steps with its document (append-only; a vote that did not
-- pass is a row too, and the vote may be held again), and the excellent-rules selections (评选).
CREATE TABLE village_rules (
  rule_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial NOT NULL UNIQUE,
  village_code text NOT NULL REFERENCES regions (code),
  kind text NOT NULL CHECK (kind IN ('VILLAGE_RULES', 'RESIDENTS_CONVENTION')),
  title text NOT NULL CHECK (title <> ''),
  -- The last step completed ('' = none yet) and its date; rule_steps is the history.
  stage text NOT NULL DEFAULT '' CHECK (stage IN ('', 'COLLECT_OPINIONS', 'DRAFT',
                                                  'LEGAL_REVIEW', 'VOTE', 'FILE_AND_PUBLISH')),
  stage_on date,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX village_rules_village ON village_rules (village_code text_pattern_ops, seq);

CREATE TABLE rule_steps (
  step_id bigserial PRIMARY KEY,
  rule_id uuid NOT NULL REFERENCES village_rules (rule_id),
  step text NOT NULL CHECK (step IN ('COLLECT_OPINIONS', 'DRAFT', 'LEGAL_REVIEW', 'VOTE',
                                     'FILE_AND_PUBLISH')),
  on_date date NOT NULL,
  document text NOT NULL CHECK (document <> ''),
  members_total int,
  members_present int,
  votes_for int,
  votes_against int,
  votes_abstain int,
  passed boolean,
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((step = 'VOTE') = (members_total IS NOT NULL)),
  CHECK (members_present <= members_total),
  CHECK (votes_for + votes_against + votes_abstain <= members_present)
);
CREATE INDEX rule_steps_rule ON rule_steps (rule_id, step_id);

CREATE TABLE rule_selections (
  selection_id bigserial PRIMARY KEY,
  rule_id uuid NOT NULL REFERENCES village_rules (rule_id),
  year int NOT NULL CHECK (year >= 2000),
  selected_on date NOT NULL,
  note text NOT NULL DEFAULT '',
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_id, year)
);
