-- Every record keeps the date it happened: the day of the adoption, return of guardianship or
-- death that stopped the case, and the day the full-time education was attested.
ALTER TABLE children
  ADD COLUMN stopped_on date,
  ADD COLUMN education_recorded_on date;
