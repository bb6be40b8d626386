#include "services/common/monthly_run.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "prometheus/family.h"
#include "services/common/allowance_months.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace civil {
namespace {

bool IsIdentifier(absl::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  for (char c : name) {
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateMonthlyRunTables(const MonthlyRunTables& tables) {
  if (tables.allowance.empty()) return InvalidField("allowance", "must not be empty");
  const std::pair<absl::string_view, const std::string*> names[] = {
      {"runs_table", &tables.runs_table},
      {"payments_table", &tables.payments_table},
      {"subject_column", &tables.subject_column},
      {"label_column", &tables.label_column},
      {"settlements_table", &tables.settlements_table}};
  for (const auto& [field, value] : names) {
    if (!IsIdentifier(*value)) {
      return InvalidField(field, "must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)");
    }
  }
  return absl::OkStatus();
}

std::vector<std::pair<size_t, size_t>> RunBatches(size_t count, size_t batch) {
  std::vector<std::pair<size_t, size_t>> batches;
  if (batch == 0) batch = 1;
  for (size_t first = 0; first < count; first += batch) {
    batches.emplace_back(first, std::min(count, first + batch));
  }
  return batches;
}

std::vector<MonthlyPayment> PaymentsToWrite(std::vector<MonthlyPayment> due,
                                            const std::unordered_set<std::string>& paid) {
  std::unordered_set<std::string> seen;
  std::vector<MonthlyPayment> write;
  write.reserve(due.size());
  for (auto& payment : due) {
    if (paid.count(payment.subject_id) > 0 || !seen.insert(payment.subject_id).second) continue;
    write.push_back(std::move(payment));
  }
  std::stable_sort(
      write.begin(), write.end(),
      [](const MonthlyPayment& a, const MonthlyPayment& b) { return a.subject_id < b.subject_id; });
  return write;
}

double RunProgress(size_t done, size_t due) {
  if (due == 0 || done >= due) return 1.0;
  return static_cast<double>(done) / static_cast<double>(due);
}

std::string MonthlyRunner::Statement(absl::string_view what) const {
  return absl::StrCat("monthly_run_", tables_.payments_table, "_", what);
}

MonthlyRunner::MonthlyRunner(PgPool* pool, MonthlyRunTables tables, prometheus::Registry* metrics)
    : pool_(pool), tables_(std::move(tables)) {
  if (absl::Status valid = ValidateMonthlyRunTables(tables_); !valid.ok()) {
    Log(LogLevel::kError, "monthly run: bad table names", {{"error", valid.message()}});
    std::abort();
  }
  const MonthlyRunTables& t = tables_;
  pool_->Prepare(Statement("lock"), "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))");
  pool_->Prepare(Statement("run_insert"),
                 absl::StrCat("INSERT INTO ", t.runs_table,
                              " (month, region_prefix, created_by) VALUES ($1::date, $2, $3) "
                              "RETURNING run_id::text"));
  // Who is paid for the month already, in any region: those the run must not pay again.
  pool_->Prepare(Statement("paid_in_month"),
                 absl::StrCat("SELECT ", t.subject_column, "::text FROM ", t.payments_table,
                              " WHERE month = $1::date"));
  // A batch of payments none of which is paid yet; a duplicate fails on UNIQUE (subject, month).
  pool_->Prepare(Statement("pay"),
                 absl::StrCat("INSERT INTO ", t.payments_table, " (", t.subject_column, ", month, ",
                              t.label_column,
                              ", amount_fen, region_code, run_id) SELECT s, $1::date, l, a, r, "
                              "$6::uuid FROM unnest($2::uuid[], $3::text[], $4::bigint[], "
                              "$5::text[]) AS p(s, l, a, r)"));
  // The region's adjustments no run has settled, settled by this one (each once: the primary key
  // makes an overlapping run skip what another took), with their count and money.
  pool_->Prepare(
      Statement("settle"),
      absl::StrCat("WITH settled AS (INSERT INTO ", t.settlements_table,
                   " (payment_id, run_id) SELECT p.payment_id, $2::uuid FROM ", t.payments_table,
                   " p WHERE p.kind = 'ADJUSTMENT' AND p.region_code LIKE $1 || '%' AND NOT "
                   "EXISTS (SELECT 1 FROM ",
                   t.settlements_table,
                   " s WHERE s.payment_id = p.payment_id) ORDER BY p.payment_id ON CONFLICT "
                   "(payment_id) DO NOTHING RETURNING payment_id) SELECT count(*)::int, "
                   "coalesce(sum(p.amount_fen), 0)::bigint FROM settled JOIN ",
                   t.payments_table, " p USING (payment_id)"));
  pool_->Prepare(Statement("run_update"),
                 absl::StrCat("UPDATE ", t.runs_table,
                              " SET due = $2, paid = $3, paid_fen = $4 WHERE run_id = $1::uuid"));
  pool_->Prepare(Statement("payments_of"),
                 absl::StrCat("SELECT month::text, ", t.label_column,
                              ", amount_fen, coalesce(run_id::text, '') FROM ", t.payments_table,
                              " WHERE ", t.subject_column, " = $1::uuid ORDER BY month"));
  pool_->Prepare(
      Statement("paid_by_label"),
      absl::StrCat("SELECT ", t.label_column, ", sum(amount_fen)::bigint FROM ", t.payments_table,
                   " WHERE month >= $1::date AND month <= $2::date AND region_code "
                   "LIKE $3 || '%' GROUP BY ",
                   t.label_column));
  pool_->Prepare(
      Statement("subjects_paid"),
      absl::StrCat("SELECT count(DISTINCT ", t.subject_column, ") FROM ", t.payments_table,
                   " WHERE month >= $1::date AND month <= $2::date AND region_code "
                   "LIKE $3 || '%'"));
  pool_->Prepare(Statement("run_months_since"),
                 absl::StrCat("SELECT DISTINCT month::text FROM ", t.runs_table,
                              " WHERE month >= $1::date AND month <= $2::date AND $3 LIKE "
                              "region_prefix || '%' ORDER BY 1"));
  pool_->Prepare(Statement("paid_months_since"),
                 absl::StrCat("SELECT month::text FROM ", t.payments_table, " WHERE ",
                              t.subject_column, " = $1::uuid AND month >= $2::date"));
  pool_->Prepare(Statement("adjustment"),
                 absl::StrCat("INSERT INTO ", t.payments_table, " (", t.subject_column, ", month, ",
                              t.label_column,
                              ", amount_fen, region_code, run_id, kind, grievance_id) VALUES "
                              "($1::uuid, $2::date, $3, $4, $5, NULL, 'ADJUSTMENT', $6)"));
  if (metrics != nullptr) {
    progress_ = &prometheus::BuildGauge()
                     .Name("civil_monthly_run_progress_ratio")
                     .Help("Share of the payments due that the current monthly run has written")
                     .Register(*metrics)
                     .Add({{"allowance", t.allowance}});
    payments_ = &prometheus::BuildCounter()
                     .Name("civil_monthly_run_payments_total")
                     .Help("Payments written by monthly allowance runs")
                     .Register(*metrics)
                     .Add({{"allowance", t.allowance}});
  }
}

absl::StatusOr<MonthlyRunResult> MonthlyRunner::Run(absl::CivilMonth month,
                                                    const std::string& region_prefix,
                                                    const std::string& actor,
                                                    const PriceFn& price) {
  const std::string month_day = MonthDay(month);
  const std::string lock_key = absl::StrCat(tables_.allowance, "|", month_day, "|", region_prefix);
  MonthlyRunResult result;
  for (int attempt = 1;; ++attempt) {
    bool collided = false;  // an overlapping run paid some of the same subjects meanwhile
    absl::Status done = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
      result = MonthlyRunResult();
      // A concurrent run of the same allowance, month and region waits here and then finds its
      // payments written; runs of other months or regions go on in parallel.
      txn.exec_prepared(Statement("lock"), lock_key);
      result.run_id =
          txn.exec_prepared1(Statement("run_insert"), month_day, region_prefix, actor)[0]
              .as<std::string>();
      CIVIL_ASSIGN_OR_RETURN(std::vector<MonthlyPayment> due, price(txn));
      result.due = static_cast<int>(due.size());
      std::unordered_set<std::string> paid;
      for (const auto& row : txn.exec_prepared(Statement("paid_in_month"), month_day)) {
        paid.insert(row[0].as<std::string>());
      }
      const std::vector<MonthlyPayment> write = PaymentsToWrite(std::move(due), paid);
      if (progress_ != nullptr) progress_->Set(RunProgress(0, write.size()));
      for (const auto& [first, last] : RunBatches(write.size(), kBatch)) {
        std::vector<std::string> ids, labels, amounts, regions;
        int64_t batch_fen = 0;
        for (size_t i = first; i < last; ++i) {
          ids.push_back(write[i].subject_id);
          labels.push_back(write[i].label);
          amounts.push_back(absl::StrCat(write[i].amount_fen));
          regions.push_back(write[i].region_code);
          batch_fen += write[i].amount_fen;
        }
        try {
          txn.exec_prepared(Statement("pay"), month_day, ArrayLiteral(ids), ArrayLiteral(labels),
                            ArrayLiteral(amounts), ArrayLiteral(regions), result.run_id);
        } catch (const pqxx::unique_violation&) {
          collided = true;
          throw;
        }
        result.paid += static_cast<int>(last - first);
        result.paid_fen += batch_fen;
        if (progress_ != nullptr) progress_->Set(RunProgress(last, write.size()));
        Log(LogLevel::kInfo, "monthly run progress",
            {{"allowance", absl::string_view(tables_.allowance)},
             {"run_id", absl::string_view(result.run_id)},
             {"month", absl::string_view(FormatMonth(month))},
             {"written", static_cast<int64_t>(last)},
             {"due", static_cast<int64_t>(write.size())}});
      }
      result.already_paid = result.due - result.paid;
      const pqxx::row settled =
          txn.exec_prepared1(Statement("settle"), region_prefix, result.run_id);
      result.adjustments_settled = settled[0].as<int>();
      result.adjustments_fen = settled[1].as<int64_t>();
      txn.exec_prepared(Statement("run_update"), result.run_id, result.due, result.paid,
                        result.paid_fen);
      return absl::OkStatus();
    });
    if (done.ok()) break;
    if (!collided || attempt == kRaceAttempts) return done;
    Log(LogLevel::kInfo, "monthly run collided with an overlapping run; running again",
        {{"allowance", absl::string_view(tables_.allowance)},
         {"month", absl::string_view(FormatMonth(month))},
         {"region_prefix", absl::string_view(region_prefix)},
         {"attempt", static_cast<int64_t>(attempt)}});
  }
  if (progress_ != nullptr) progress_->Set(1.0);
  if (payments_ != nullptr) payments_->Increment(result.paid);
  Log(LogLevel::kInfo, "monthly run done",
      {{"allowance", absl::string_view(tables_.allowance)},
       {"run_id", absl::string_view(result.run_id)},
       {"month", absl::string_view(FormatMonth(month))},
       {"region_prefix", absl::string_view(region_prefix)},
       {"due", static_cast<int64_t>(result.due)},
       {"paid", static_cast<int64_t>(result.paid)},
       {"already_paid", static_cast<int64_t>(result.already_paid)},
       {"paid_fen", result.paid_fen},
       {"adjustments_settled", static_cast<int64_t>(result.adjustments_settled)},
       {"adjustments_fen", result.adjustments_fen}});
  return result;
}

std::vector<MonthlyPaymentRecord> MonthlyRunner::PaymentsOf(pqxx::transaction_base& txn,
                                                            const std::string& subject_id) const {
  std::vector<MonthlyPaymentRecord> payments;
  for (const auto& row : txn.exec_prepared(Statement("payments_of"), subject_id)) {
    payments.push_back(MonthlyPaymentRecord{absl::CivilMonth(DayOf(row[0])),
                                            row[1].as<std::string>(), row[2].as<int64_t>(),
                                            row[3].as<std::string>()});
  }
  return payments;
}

std::map<std::string, int64_t> MonthlyRunner::PaidByLabel(pqxx::transaction_base& txn,
                                                          absl::CivilMonth first,
                                                          absl::CivilMonth last,
                                                          const std::string& region_prefix) const {
  std::map<std::string, int64_t> paid;
  for (const auto& row : txn.exec_prepared(Statement("paid_by_label"), MonthDay(first),
                                           MonthDay(last), region_prefix)) {
    paid[row[0].as<std::string>()] += row[1].as<int64_t>();
  }
  return paid;
}

int MonthlyRunner::SubjectsPaid(pqxx::transaction_base& txn, absl::CivilMonth first,
                                absl::CivilMonth last, const std::string& region_prefix) const {
  return txn
      .exec_prepared1(Statement("subjects_paid"), MonthDay(first), MonthDay(last), region_prefix)[0]
      .as<int>();
}

std::vector<absl::CivilMonth> MonthlyRunner::OwedAfterReversal(pqxx::transaction_base& txn,
                                                               const std::string& subject_id,
                                                               const std::string& region_code,
                                                               absl::CivilMonth end,
                                                               absl::CivilDay today) const {
  std::vector<absl::CivilMonth> run_months, paid_months;
  for (const auto& row : txn.exec_prepared(Statement("run_months_since"), MonthDay(end),
                                           MonthDay(absl::CivilMonth(today)), region_code)) {
    run_months.push_back(absl::CivilMonth(DayOf(row[0])));
  }
  for (const auto& row :
       txn.exec_prepared(Statement("paid_months_since"), subject_id, MonthDay(end))) {
    paid_months.push_back(absl::CivilMonth(DayOf(row[0])));
  }
  return MonthsOwedAfterReversal(end, run_months, paid_months);
}

void MonthlyRunner::PayAdjustment(pqxx::transaction_base& txn, absl::CivilMonth month,
                                  const MonthlyPayment& payment,
                                  const std::string& grievance_id) const {
  txn.exec_prepared(Statement("adjustment"), payment.subject_id, MonthDay(month), payment.label,
                    payment.amount_fen, payment.region_code, grievance_id);
}

}  // namespace civil
