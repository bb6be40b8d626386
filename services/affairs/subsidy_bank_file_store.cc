#include "services/affairs/subsidy_bank_file_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/affairs/disability.h"
#include "services/common/bank_file_store.h"
#include "services/common/errors.h"
#include "services/common/log.h"

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

absl::StatusOr<SubsidyBankFile> SubsidyBankFileStore::Export(
    const std::string& actor, const FullView* full_view, const std::string& run_id,
    const std::string& region_prefix,
    const std::function<absl::Status(const std::string&)>& check_region) {
  static const BankFileStatements kStatements{"subsidy_bank_run", "subsidy_bank_count",
                                              "subsidy_bank_rows", "run_id",
                                              "run_id: no such subsidy payment run"};
  // One run pays one kind; its back-payments are of that kind too.
  const BankProgrammeFn programme = [](const pqxx::row& run, const pqxx::row&) {
    return std::string(SubsidyProgrammeLabel(KindOf(run[2])));
  };
  const BankFileAsk ask{run_id, region_prefix, full_view != nullptr, nullptr, check_region};
  SubsidyBankFile out;
  size_t seen = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(BankFileRead file,
                           ReadBankFile(txn, *pii_, kStatements, programme, ask));
    txn.exec_prepared("subsidy_bank_export_insert", run_id, file.prefix, actor, ask.full,
                      static_cast<int>(file.rows));
    if (ask.full) id_views_->RecordIn(txn, *full_view, file.seen);
    seen = file.seen.size();
    out = SubsidyBankFile{run_id,
                          SubsidyBankFileName(KindOf(file.run[2]), file.month, file.prefix),
                          std::move(file.csv),
                          file.rows,
                          file.total_fen,
                          ask.full};
    return absl::OkStatus();
  }));
  if (ask.full) id_views_->Counted(seen);
  Log(LogLevel::kInfo, "bank file exported",
      {{"run_id", absl::string_view(run_id)}, {"rows", out.rows}, {"full_id_numbers", ask.full}});
  return out;
}

}  // namespace civil::affairs
