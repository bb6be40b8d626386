#include "services/affairs/subsidy_bank_file_store.h"

#include "absl/strings/str_cat.h"
#include "services/affairs/disability.h"
#include "services/common/bank_file_store.h"
#include "services/common/errors.h"

namespace civil::affairs {
namespace {

// The payments a run's bank file pays ($1 the run): its own, and the back-payments it settled.
constexpr char kPaidByRun[] =
    "(p.run_id = $1::uuid OR p.payment_id IN (SELECT payment_id FROM "
    "subsidy_adjustment_settlements WHERE run_id = $1::uuid))";

SubsidyKind KindOf(const pqxx::field& field) {
  return static_cast<SubsidyKind>(kSubsidyKindNames.Value(field.as<std::string>()));
}

}  // namespace

SubsidyBankFileStore::SubsidyBankFileStore(PgPool* pool, const PiiProtector* pii,
                                           IdViewLog* id_views)
    : pool_(pool), pii_(pii), id_views_(id_views) {
  pool_->Prepare("subsidy_bank_run",
                 "SELECT month::text, region_prefix, kind FROM subsidy_payment_runs WHERE "
                 "run_id = $1::uuid");
  pool_->Prepare("subsidy_bank_count",
                 absl::StrCat("SELECT count(*) FROM subsidy_payments p WHERE ", kPaidByRun,
                              " AND p.region_code LIKE $2 || '%'"));
  pool_->Prepare(
      "subsidy_bank_rows",
      absl::StrCat("SELECT p.payment_id, p.month::text, p.amount_fen, p.region_code, d.name, "
                   "d.id_masked, d.id_cipher, d.id_index, p.payment_type = 'ADJUSTMENT' FROM "
                   "subsidy_payments p JOIN disabled_persons d USING (person_id) WHERE ",
                   kPaidByRun,
                   " AND p.region_code LIKE $2 || '%' ORDER BY p.payment_type = 'ADJUSTMENT', "
                   "p.payment_id"));
  pool_->Prepare("subsidy_bank_export_insert",
                 "INSERT INTO subsidy_bank_file_exports (run_id, region_prefix, exported_by, "
                 "full_id_numbers, rows_exported) VALUES ($1::uuid, $2, $3, $4, $5)");
}

absl::StatusOr<ExportedBankFile> SubsidyBankFileStore::Export(
    const std::string& actor, const FullView* full_view, const std::string& run_id,
    const std::string& region_prefix,
    const std::function<absl::Status(const std::string&)>& check_region) {
  static const BankFileStatements kStatements{"subsidy_bank_run", "subsidy_bank_count",
                                              "subsidy_bank_rows", "run_id",
                                              "run_id: no such subsidy payment run"};
  // One run pays one kind; its back-payments are of that kind too.
  return ExportBankFile(
      *pool_, *pii_, *id_views_, full_view, kStatements,
      [](const pqxx::row& run, const pqxx::row&) {
        return std::string(SubsidyProgrammeLabel(KindOf(run[2])));
      },
      BankFileAsk{run_id, region_prefix, false, nullptr, check_region},
      [](const BankFileRead& file) {
        return SubsidyBankFileName(KindOf(file.run[2]), file.month, file.prefix);
      },
      [&](pqxx::transaction_base& txn, const BankFileRead& file) {
        txn.exec_prepared("subsidy_bank_export_insert", run_id, file.prefix, actor,
                          full_view != nullptr, static_cast<int>(file.rows));
      });
}

}  // namespace civil::affairs
