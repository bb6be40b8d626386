-- The divorce periods are decided when the application is filed and kept with it: the cooling-off
-- period's last day and the certificate window's last day, each extended past a rest day by the
-- holiday calendar (民法典 第203条; marriage.h TimelineOf). Applications filed before keep the
-- dates counted then (applied + 30, applied + 60).
ALTER TABLE divorce_applications ADD COLUMN cooling_off_end date, ADD COLUMN window_end date;
UPDATE divorce_applications SET cooling_off_end = applied_on + 30, window_end = applied_on + 60;
ALTER TABLE divorce_applications ALTER COLUMN cooling_off_end SET NOT NULL,
  ALTER COLUMN window_end SET NOT NULL,
  ADD CHECK (cooling_off_end >= applied_on + 30 AND window_end >= cooling_off_end + 30);
