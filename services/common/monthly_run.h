// The kit's monthly allowance run: the machinery every department paying a monthly allowance
// shares (eldercare's 高龄津贴 and 居家养老服务补贴, childwelfare's orphans' allowance, …), apart
// from the department's decisions. A run of one allowance, month and region prefix
//   - is serialised against any other run of the same allowance, month and region (a transaction
//     advisory lock), so two concurrent runs do the work once and the second finds it done;
//   - records itself (one row per run in the department's runs table: who, when, due, paid);
//   - asks the department, inside the run's transaction, for the payments due (`PriceFn`: the
//     department reads its enrolments and standards and decides who is paid what);
//   - reads the subjects already paid that month, drops them, and inserts the rest in batches, in
//     subject order, as plain INSERTs. The payments table's UNIQUE (subject, month) is what makes
//     a person paid at most once a month whatever runs overlap or repeat: a run of an overlapping
//     region (the county's and a township's) that commits first makes the other's INSERT fail on
//     that key, and the other run is then done again from the start, finding those payments paid.
//     (ON CONFLICT DO NOTHING gave the same guarantee at the cost of a speculative insertion per
//     row, a sixth of a run's time: make bench, tests/bench/eldercare_bench.sh);
//   - settles the region's adjustment rows no run has settled yet (back-payments after an upheld
//     grievance, PayAdjustment): each is recorded once in the settlements table with this run,
//     whose bank file then lists it after the month's payments;
//   - reports progress in the log (one line per batch) and on the gauge
//     civil_monthly_run_progress_ratio{allowance} (0…1 while a run writes, 1 when done), and
//     counts civil_monthly_run_payments_total{allowance}.
// Payments are immutable: the department's migration puts a trigger refusing UPDATE and DELETE on
// the payments table; corrections are new rows. Who is due, the amounts and when an enrolment
// stops (after the month of death, after a reviewer's stop) stay the department's rules.
//
// The tables are the department's own (each department has its own database), of this shape:
//   CREATE TABLE <runs> (run_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
//     month date NOT NULL, region_prefix text NOT NULL, due integer NOT NULL DEFAULT 0,
//     paid integer NOT NULL DEFAULT 0, paid_fen bigint NOT NULL DEFAULT 0,
//     created_by text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
//   CREATE TABLE <payments> (payment_id bigserial PRIMARY KEY,
//     <subject> uuid NOT NULL REFERENCES …, month date NOT NULL, <label> text NOT NULL,
//     amount_fen bigint NOT NULL CHECK (amount_fen > 0), region_code text NOT NULL,
//     run_id uuid NOT NULL REFERENCES <runs>, created_at timestamptz NOT NULL DEFAULT now(),
//     UNIQUE (<subject>, month));  -- plus the immutability trigger
// and, for back-payments after an upheld grievance (PayAdjustment), run_id nullable with
//     kind text NOT NULL DEFAULT 'RUN' CHECK (kind IN ('RUN', 'ADJUSTMENT')),
//     grievance_id text NOT NULL DEFAULT ''.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/common/pg.h"

namespace civil {

// Which of the department's tables and columns hold one allowance's runs and payments.
struct MonthlyRunTables {
  std::string allowance;       // the metric and log label: "old_age_allowance"
  std::string runs_table;      // "allowance_runs"
  std::string payments_table;  // "allowance_payments"
  std::string subject_column;  // the enrolment paid: "enrolment_id"
  std::string label_column;    // what the amount follows: "tier", "level", "category"
  // Which run's bank file pays each adjustment row: "allowance_adjustment_settlements", of the
  // shape (payment_id bigint PRIMARY KEY, run_id uuid NOT NULL, settled_at timestamptz).
  std::string settlements_table;
};

// INVALID_ARGUMENT naming the field when a name is not a lower-case SQL identifier
// ([a-z_][a-z0-9_]*, at most 63 characters) or `allowance` is empty: the names are spliced into
// SQL, so only plain identifiers are accepted.
absl::Status ValidateMonthlyRunTables(const MonthlyRunTables& tables);

// One payment the department decided on.
struct MonthlyPayment {
  std::string subject_id;  // uuid of the enrolment
  std::string label;       // the tier, level or category paid
  int64_t amount_fen = 0;
  std::string region_code;  // the person's when paid, for region-scoped figures
};

struct MonthlyRunResult {
  std::string run_id;
  int due = 0;           // payments the department decided on
  int paid = 0;          // written by this run
  int already_paid = 0;  // due but paid before (an earlier or concurrent run)
  int64_t paid_fen = 0;  // money of this run's payments
  // Adjustment rows of the region (back-payments after an upheld grievance) not yet in any bank
  // file, which this run's bank file pays, and their money.
  int adjustments_settled = 0;
  int64_t adjustments_fen = 0;
};

// A payment as read back.
struct MonthlyPaymentRecord {
  absl::CivilMonth month;
  std::string label;
  int64_t amount_fen = 0;
  std::string run_id;  // empty for an adjustment row outside any run
};

// The [first, last) ranges of `count` items in batches of `batch` (≥ 1): how a run writes.
std::vector<std::pair<size_t, size_t>> RunBatches(size_t count, size_t batch);

// The progress of a run that wrote `done` of `due` payments: 0…1, and 1 when nothing is due.
double RunProgress(size_t done, size_t due);

// The payments a run writes of `due`: each subject once (its first payment in `due`), none of
// `paid` (the subjects already paid that month), in subject order, the order in which the
// UNIQUE (subject, month) index is cheapest to fill.
std::vector<MonthlyPayment> PaymentsToWrite(std::vector<MonthlyPayment> due,
                                            const std::unordered_set<std::string>& paid);

// One allowance's run on the department's pool. Thread-safe (the pool is).
class MonthlyRunner {
 public:
  // The department's decision of a month, in the run's transaction: every payment due, or an
  // error that aborts the run (nothing written, the run row included).
  using PriceFn =
      std::function<absl::StatusOr<std::vector<MonthlyPayment>>(pqxx::transaction_base& txn)>;

  // Prepares the statements on `pool` (not owned) for `tables`, which must pass
  // ValidateMonthlyRunTables (a programming error otherwise: the constructor aborts). `metrics`
  // may be null (no metrics).
  MonthlyRunner(PgPool* pool, MonthlyRunTables tables, prometheus::Registry* metrics);

  // Runs `month` for `region_prefix` ("" = everywhere) as `actor`: serialised with every other
  // run of the same allowance, month and prefix; `price` decides the payments; each is written
  // at most once per subject and month. Returns the counts, or `price`'s error, or the mapped
  // database error (ABORTED after repeated serialization failures, ALREADY_EXISTS when
  // overlapping runs kept colliding on the same payments kRaceAttempts times, UNAVAILABLE, …).
  absl::StatusOr<MonthlyRunResult> Run(absl::CivilMonth month, const std::string& region_prefix,
                                       const std::string& actor, const PriceFn& price);

  // The payments of one subject, oldest month first, in `txn`.
  std::vector<MonthlyPaymentRecord> PaymentsOf(pqxx::transaction_base& txn,
                                               const std::string& subject_id) const;

  // The money paid for the months first..last (inclusive) within `region_prefix`, by label, in
  // `txn`.
  std::map<std::string, int64_t> PaidByLabel(pqxx::transaction_base& txn, absl::CivilMonth first,
                                             absl::CivilMonth last,
                                             const std::string& region_prefix) const;

  // Subjects paid at least once for the months first..last within `region_prefix`, in `txn`.
  int SubjectsPaid(pqxx::transaction_base& txn, absl::CivilMonth first, absl::CivilMonth last,
                   const std::string& region_prefix) const;

  // The months owed to `subject_id`, of `region_code`, once its stop from `end` (the first month
  // not paid) is reversed on `today`: the kit's MonthsOwedAfterReversal over the months runs
  // reached the region from `end` to today's month and the months the subject was paid since
  // `end`, in `txn`.
  std::vector<absl::CivilMonth> OwedAfterReversal(pqxx::transaction_base& txn,
                                                  const std::string& subject_id,
                                                  const std::string& region_code,
                                                  absl::CivilMonth end, absl::CivilDay today) const;

  // Writes `payment` for `month` as an adjustment row outside any run (run_id NULL, kind
  // ADJUSTMENT, naming `grievance_id`), in `txn`: a back-payment, never a second run payment (the
  // UNIQUE (subject, month) holds for adjustments too).
  void PayAdjustment(pqxx::transaction_base& txn, absl::CivilMonth month,
                     const MonthlyPayment& payment, const std::string& grievance_id) const;

  // Payments written per batch (and per progress log line).
  static constexpr size_t kBatch = 5000;
  // How many times a run is done from the start when an overlapping run paid some of the same
  // subjects between its read of who is paid and its insert.
  static constexpr int kRaceAttempts = 3;

 private:
  std::string Statement(absl::string_view what) const;

  PgPool* pool_;
  MonthlyRunTables tables_;
  prometheus::Gauge* progress_ = nullptr;
  prometheus::Counter* payments_ = nullptr;
};

}  // namespace civil
