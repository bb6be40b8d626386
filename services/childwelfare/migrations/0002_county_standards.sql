-- The county's default standards (枞阳县, 340722) from January 2023. Neither DOMAIN.md nor the
-- report gives the amounts; these are this deployment's plausible defaults, consistent with the
-- report's average (148万元 for 227 orphans over six months ≈ 1,087 yuan per child-month, most of
-- them dispersed): 1,500 yuan a month centralised, 1,100 dispersed, and children without de-facto
-- guardians at the dispersed orphans' standard. The bureau confirms them before go-live and
-- changes them with SetStandard (a new standard from a later month, never an edit).
INSERT INTO child_standards (region_prefix, effective_month, category, monthly_fen, created_by)
VALUES
  ('340722', '2023-01-01', 'ORPHAN_CENTRALISED', 150000, 'migration:0002_county_standards'),
  ('340722', '2023-01-01', 'ORPHAN_DISPERSED', 110000, 'migration:0002_county_standards'),
  ('340722', '2023-01-01', 'DE_FACTO_UNSUPPORTED', 110000, 'migration:0002_county_standards');
