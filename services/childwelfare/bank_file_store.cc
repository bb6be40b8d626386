#include "services/childwelfare/bank_file_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/childwelfare/privacy.h"
#include "services/common/bank_file.h"
#include "services/common/bank_file_store.h"
#include "services/common/errors.h"

namespace civil::childwelfare {
namespace {

// The payments a run's bank file pays ($1 the run): its own, and the adjustments it settled.
constexpr char kPaidByRun[] =
    "(p.run_id = $1::uuid OR p.payment_id IN (SELECT payment_id FROM "
    "child_adjustment_settlements WHERE run_id = $1::uuid))";

constexpr char kNoSuchRun[] = "run_id: no such allowance payment run";

}  // namespace

ChildBankFileStore::ChildBankFileStore(PgPool* pool, const PiiProtector* pii, IdViewLog* id_views)
    : pool_(pool), pii_(pii), id_views_(id_views) {
  pool_->Prepare("child_bank_run",
                 "SELECT month::text, region_prefix FROM child_runs WHERE "
                 "run_id = $1::uuid");
  pool_->Prepare("child_bank_count", absl::StrCat("SELECT count(*) FROM child_payments p WHERE ",
                                                  kPaidByRun, " AND p.region_code LIKE $2 || '%'"));
  pool_->Prepare("child_bank_rows",
                 absl::StrCat("SELECT p.payment_id, p.month::text, p.amount_fen, p.region_code, "
                              "c.name, c.id_masked, c.id_cipher, c.id_index, p.kind = "
                              "'ADJUSTMENT', p.category FROM child_payments p JOIN children c "
                              "USING (child_id) WHERE ",
                              kPaidByRun,
                              " AND p.region_code LIKE $2 || '%' ORDER BY p.kind = 'ADJUSTMENT', "
                              "p.payment_id"));
  pool_->Prepare("child_bank_export_insert",
                 "INSERT INTO child_bank_file_exports (run_id, region_prefix, exported_by, "
                 "full_id_numbers, rows_exported) VALUES ($1::uuid, $2, $3, $4, $5)");
}

absl::StatusOr<ExportedBankFile> ChildBankFileStore::Export(const std::string& actor,
                                                            const FullView* full_view,
                                                            const std::string& run_id,
                                                            const std::string& region_prefix,
                                                            const RegionGuard& check_region) {
  static const BankFileStatements kStatements{"child_bank_run", "child_bank_count",
                                              "child_bank_rows", "run_id", kNoSuchRun};
  return ExportBankFile(
      *pool_, *pii_, *id_views_, full_view, kStatements,
      [](const pqxx::row&, const pqxx::row& payment) {
        return std::string(BankProgrammeLabel(
            static_cast<Category>(kCategoryNames.Value(payment[9].as<std::string>()))));
      },
      BankFileAsk{run_id, region_prefix, false, &MaskName, check_region},
      [](const BankFileRead& file) { return BankFileNameOf("CHILD", file.month, file.prefix); },
      [&](pqxx::transaction_base& txn, const BankFileRead& file) {
        txn.exec_prepared("child_bank_export_insert", run_id, file.prefix, actor,
                          full_view != nullptr, static_cast<int>(file.rows));
      });
}

}  // namespace civil::childwelfare
