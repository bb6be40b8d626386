-- The county's default tiers (枞阳县, 340722) from January 2023: 80–89, 90–99 and 100 and over.
-- Neither DOMAIN.md nor the report gives the amounts; these are this deployment's plausible
-- defaults, consistent with the report's average (418万元 for 22,007 persons over six months ≈
-- 31.7 yuan per person-month, most of them 80–89): 30, 50 and 300 yuan a month. The bureau
-- confirms them before go-live and changes them with SetTierSchedule (a new schedule from a later
-- month, never an edit of past months).
INSERT INTO allowance_tiers (region_prefix, effective_month, min_age, max_age, monthly_fen,
                             created_by) VALUES
  ('340722', '2023-01-01', 80, 89, 3000, 'migration:0002_county_tiers'),
  ('340722', '2023-01-01', 90, 99, 5000, 'migration:0002_county_tiers'),
  ('340722', '2023-01-01', 100, NULL, 30000, 'migration:0002_county_tiers');
