-- 提标, continued (migration 0006): the facts the 低保 formula is computed on, kept with the
-- enrolment, so that the disbursement reads no application and no household row: the income as
-- investigated, and each member's birth date and circumstances as recorded at the investigation
-- (ages are taken per month paid).
ALTER TABLE enrolments ADD COLUMN investigated_income_fen bigint
  CHECK (investigated_income_fen >= 0);
COMMENT ON COLUMN enrolments.investigated_income_fen IS
  'household monthly income as investigated (the application''s): the income of the 低保 gap; '
  'NULL when unknown (an imported enrolment, paid its decided amount)';
UPDATE enrolments e SET investigated_income_fen = a.monthly_income_fen
  FROM applications a WHERE a.application_id = e.application_id;

ALTER TABLE enrolment_members
  ADD COLUMN member_birth_date date,
  ADD COLUMN member_seriously_ill boolean NOT NULL DEFAULT false,
  ADD COLUMN member_severely_disabled boolean NOT NULL DEFAULT false;
UPDATE enrolment_members m SET member_birth_date = hm.birth_date
  FROM household_members hm WHERE hm.member_id = m.member_id;
UPDATE enrolment_members m SET member_seriously_ill = c.seriously_ill,
    member_severely_disabled = c.severely_disabled
  FROM enrolments e JOIN application_circumstances c ON c.application_id = e.application_id
  WHERE e.enrolment_id = m.enrolment_id AND c.member_id = m.member_id;
-- Whoever enrols a member (approval, an import) records the birth date from the household.
CREATE FUNCTION enrolment_members_birth_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.member_birth_date IS NULL THEN
    SELECT birth_date INTO NEW.member_birth_date FROM household_members
      WHERE member_id = NEW.member_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER enrolment_members_birth_date BEFORE INSERT ON enrolment_members
  FOR EACH ROW EXECUTE FUNCTION enrolment_members_birth_date();

-- The disbursement counts each chunk's members by supplement category from this index alone
-- (an index-only scan over the chunk's range of enrolment ids).
CREATE INDEX enrolment_members_formula ON enrolment_members (enrolment_id)
  INCLUDE (start_month, end_month, member_birth_date, member_seriously_ill,
           member_severely_disabled);
