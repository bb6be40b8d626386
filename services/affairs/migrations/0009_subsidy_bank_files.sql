-- The bank file (一卡通) of a subsidy payment run (困难残疾人生活补贴, 重度残疾人护理补贴), as every
-- paying department exports one (issue 18): before this affairs paid into no bank file, so its
-- back-payments (0008's ADJUSTMENT rows) reached no bank either. The next run of the kind and
-- region settles the adjustments no run has settled (once: the primary key, so overlapping runs
-- settle each once), and that run's bank file lists them after its own payments, marked (补发).
-- Settlements and exports are facts: the service may not change or remove them (db_roles).
CREATE TABLE subsidy_adjustment_settlements (
  payment_id bigint PRIMARY KEY REFERENCES subsidy_payments (payment_id),
  run_id uuid NOT NULL REFERENCES subsidy_payment_runs (run_id),
  settled_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subsidy_adjustment_settlements_run ON subsidy_adjustment_settlements (run_id);
-- The few adjustment rows among the payments, for the run's look for unsettled ones.
CREATE INDEX subsidy_payments_adjustments ON subsidy_payments (kind, payment_id)
  WHERE payment_type = 'ADJUSTMENT';

CREATE TABLE subsidy_bank_file_exports (
  export_id bigserial PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES subsidy_payment_runs (run_id),
  region_prefix text NOT NULL,
  exported_by text NOT NULL,
  full_id_numbers boolean NOT NULL,
  rows_exported integer NOT NULL,
  exported_at timestamptz NOT NULL DEFAULT now()
);
