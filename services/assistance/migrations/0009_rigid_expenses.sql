-- 支出型困难家庭: the household's rigid expenses per month (medical, education), recorded at the
-- township investigation of a 支出型 application. Approval needs a row here, the household income
-- at or above the 低保 line (standard in force × persons) and income minus these expenses below
-- it; applications filed before this migration have none and must be rejected or filed again.
CREATE TABLE application_rigid_expenses (
  application_id uuid PRIMARY KEY REFERENCES applications (application_id),
  medical_fen bigint NOT NULL CHECK (medical_fen >= 0),
  education_fen bigint NOT NULL CHECK (education_fen >= 0)
);
COMMENT ON TABLE application_rigid_expenses IS
  '支出型 rigid expenses per month found at investigation; one row per 支出型 application';
