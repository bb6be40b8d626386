-- Every export of a run's bank file (一卡通): who, when, which part of the run, with full or
-- masked names and ID numbers. The persons of a full export are in the kit's id_views.
CREATE TABLE child_bank_file_exports (
  export_id bigserial PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES child_runs (run_id),
  region_prefix text NOT NULL,
  exported_by text NOT NULL,
  full_id_numbers boolean NOT NULL,
  rows_exported integer NOT NULL,
  exported_at timestamptz NOT NULL DEFAULT now()
);
