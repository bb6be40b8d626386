#include "services/eldercare/bank_file_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/bank_file_store.h"
#include "services/common/errors.h"

namespace civil::eldercare {
namespace {

// The statements of one allowance's tables: its runs, its payments and who they pay.
struct Tables {
  const char* prefix;    // of the statements' names
  const char* runs;      // allowance_runs
  const char* payments;  // allowance_payments
  const char* subjects;  // allowance_enrolments
  const char* subject;   // enrolment_id
  const char* settled;   // allowance_adjustment_settlements
};

const Tables& TablesOf(PaidAllowance allowance) {
  static const Tables kOldAge{"bank_allowance",     "allowance_runs",
                              "allowance_payments", "allowance_enrolments",
                              "enrolment_id",       "allowance_adjustment_settlements"};
  static const Tables kHomeCare{"bank_homecare",     "homecare_runs",
                                "homecare_payments", "homecare_subsidies",
                                "subsidy_id",        "homecare_adjustment_settlements"};
  return allowance == PaidAllowance::kOldAge ? kOldAge : kHomeCare;
}

// The payments a run's bank file pays: the run's own, and the adjustments it settled.
std::string PaidBy(const Tables& t) {
  return absl::StrCat("(run_id = $1::uuid OR payment_id IN (SELECT payment_id FROM ", t.settled,
                      " WHERE run_id = $1::uuid))");
}

std::string Name(const Tables& t, absl::string_view what) {
  return absl::StrCat(t.prefix, "_", what);
}

}  // namespace

BankFileStore::BankFileStore(PgPool* pool, const PiiProtector* pii, IdViewLog* id_views)
    : pool_(pool), pii_(pii), id_views_(id_views) {
  for (const PaidAllowance a : {PaidAllowance::kOldAge, PaidAllowance::kHomeCare}) {
    const Tables& t = TablesOf(a);
    pool_->Prepare(Name(t, "run"), absl::StrCat("SELECT month::text, region_prefix FROM ", t.runs,
                                                " WHERE run_id = $1::uuid"));
    pool_->Prepare(Name(t, "count"), absl::StrCat("SELECT count(*) FROM ", t.payments, " WHERE ",
                                                  PaidBy(t), " AND region_code LIKE $2 || '%'"));
    pool_->Prepare(
        Name(t, "rows"),
        absl::StrCat("SELECT p.payment_id, p.month::text, p.amount_fen, p.region_code, "
                     "s.name, s.id_masked, s.id_cipher, s.id_index, p.kind = 'ADJUSTMENT' FROM ",
                     t.payments, " p JOIN ", t.subjects, " s ON s.", t.subject, " = p.", t.subject,
                     " WHERE ", PaidBy(t), " AND p.region_code LIKE $2 || '%' ",
                     "ORDER BY p.kind = 'ADJUSTMENT', p.payment_id"));
  }
  pool_->Prepare("bank_file_export_insert",
                 "INSERT INTO bank_file_exports (allowance, run_id, region_prefix, exported_by, "
                 "full_id_numbers, rows_exported) VALUES ($1, $2::uuid, $3, $4, $5, $6)");
}

absl::StatusOr<ExportedBankFile> BankFileStore::Export(
    PaidAllowance allowance, const std::string& run_id, const std::string& region_prefix,
    const std::string& actor, const FullView* full_view, const RegionCheckFn& check_region) {
  const Tables& t = TablesOf(allowance);
  const BankFileStatements statements{Name(t, "run"), Name(t, "count"), Name(t, "rows"), "run_id",
                                      "run_id: no such payment run"};
  const std::string label(ProgrammeLabel(allowance));
  return ExportBankFile(
      *pool_, *pii_, *id_views_, full_view, statements,
      [&](const pqxx::row&, const pqxx::row&) { return label; },
      BankFileAsk{run_id, region_prefix, false, nullptr, check_region},
      [&](const BankFileRead& file) { return BankFileName(allowance, file.month, file.prefix); },
      [&](pqxx::transaction_base& txn, const BankFileRead& file) {
        txn.exec_prepared("bank_file_export_insert", std::string(AllowanceName(allowance)), run_id,
                          file.prefix, actor, full_view != nullptr, static_cast<int>(file.rows));
      });
}

}  // namespace civil::eldercare
