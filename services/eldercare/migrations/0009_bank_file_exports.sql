-- Every bank file (一卡通) exported of a 高龄津贴 or 居家养老服务补贴 run: who, when, which part of
-- the run, whether with full ID numbers (those payees are also in the kit's id_views).
CREATE TABLE bank_file_exports (
  export_id bigserial PRIMARY KEY,
  allowance text NOT NULL CHECK (allowance IN ('OLD_AGE_ALLOWANCE', 'HOMECARE_SUBSIDY')),
  run_id uuid NOT NULL,  -- allowance_runs or homecare_runs, by `allowance`
  region_prefix text NOT NULL,
  exported_by text NOT NULL,
  full_id_numbers boolean NOT NULL,
  rows_exported integer NOT NULL,
  exported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_file_exports_run ON bank_file_exports (run_id);
