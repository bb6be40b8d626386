-- 特困 grounds (社会救助暂行办法 第14条), recorded at the township investigation of a 特困
-- application: the category of person (60 or more, disabled, or under 16) and the three
-- conditions (no capacity to work, no source of income, no legal supporter able to support).
-- Approval of a 特困 application needs a row here with all three true; applications filed
-- before this migration have none and must be rejected or filed again.
CREATE TABLE application_tekun_grounds (
  application_id uuid PRIMARY KEY REFERENCES applications (application_id),
  category text NOT NULL CHECK (category IN ('ELDERLY', 'DISABLED', 'MINOR')),
  no_work_capacity boolean NOT NULL,
  no_income boolean NOT NULL,
  no_supporter boolean NOT NULL
);
COMMENT ON TABLE application_tekun_grounds IS
  '特困 grounds found at investigation (社会救助暂行办法 第14条); one row per 特困 application';
