#include "services/childwelfare/bank_file_store.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/childwelfare/privacy.h"
#include "services/common/bank_file.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/store_util.h"

namespace civil::childwelfare {
namespace {

// The payments a run's bank file pays ($1 the run): its own, and the adjustments it settled.
constexpr char kPaidByRun[] =
    "(p.run_id = $1::uuid OR p.payment_id IN (SELECT payment_id FROM "
    "child_adjustment_settlements WHERE run_id = $1::uuid))";

absl::Status NoSuchRun() { return absl::NotFoundError("run_id: no such allowance payment run"); }

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
                              "p.category, c.name, c.id_masked, c.id_cipher, c.id_index, p.kind = "
                              "'ADJUSTMENT' FROM child_payments p JOIN children c USING (child_id) "
                              "WHERE ",
                              kPaidByRun,
                              " AND p.region_code LIKE $2 || '%' ORDER BY p.kind = 'ADJUSTMENT', "
                              "p.payment_id"));
  pool_->Prepare("child_bank_export_insert",
                 "INSERT INTO child_bank_file_exports (run_id, region_prefix, exported_by, "
                 "full_id_numbers, rows_exported) VALUES ($1::uuid, $2, $3, $4, $5)");
}

absl::StatusOr<BankFile> ChildBankFileStore::Export(const std::string& actor,
                                                    const FullView* full_view,
                                                    const std::string& run_id,
                                                    const std::string& region_prefix,
                                                    const RegionGuard& check_region) {
  BankFile out;
  const bool full = full_view != nullptr;
  std::vector<SeenPerson> seen;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result run = txn.exec_prepared("child_bank_run", run_id);
    if (run.empty()) return NoSuchRun();
    const absl::CivilMonth month(DayOf(run[0][0]));
    const std::string run_region = run[0][1].as<std::string>();
    std::string prefix = run_region;
    if (region_prefix.empty()) {
      if (!check_region(run_region).ok()) return NoSuchRun();
    } else {
      CIVIL_RETURN_IF_ERROR(CheckBankFilePrefix(run_region, region_prefix));
      prefix = region_prefix;
    }
    CIVIL_RETURN_IF_ERROR(CheckBankFileSize(
        txn.exec_prepared1("child_bank_count", run_id, prefix)[0].as<int64_t>(), "run_id"));
    std::string csv = BankFileHeader();
    seen.clear();
    int64_t total = 0, rows = 0;
    for (const auto& r : txn.exec_prepared("child_bank_rows", run_id, prefix)) {
      BankFileLine line;
      line.payment_id = r[0].as<int64_t>();
      line.month = absl::CivilMonth(DayOf(r[1]));
      line.amount = Money::Fen(r[2].as<int64_t>());
      line.region_code = r[3].as<std::string>();
      line.programme = std::string(
          BankProgrammeLabel(static_cast<Category>(kCategoryNames.Value(r[4].as<std::string>()))));
      if (r[9].as<bool>()) line.programme += kBackPayLabel;
      const std::string name = r[5].as<std::string>();
      if (full) {
        const pqxx::binarystring sealed(r[7]);
        absl::StatusOr<std::string> id = pii_->Decrypt(sealed.str());
        if (!id.ok()) return absl::InternalError("an ID number of the run could not be decrypted");
        line.name = name;
        line.id_number = *std::move(id);
        seen.push_back(SeenPerson{"bank_file", run_id, r[8].as<std::string>(),
                                  r[6].as<std::string>(), line.region_code});
      } else {
        line.name = MaskName(name);
        line.id_number = r[6].as<std::string>();
      }
      total += line.amount.fen();
      ++rows;
      csv += BankFileRow(line);
    }
    txn.exec_prepared("child_bank_export_insert", run_id, prefix, actor, full,
                      static_cast<int>(rows));
    if (full) id_views_->RecordIn(txn, *full_view, seen);
    out = BankFile{run_id,
                   absl::StrCat("bank-CHILD-", FormatMonth(month), "-",
                                prefix.empty() ? "all" : prefix, ".csv"),
                   std::move(csv),
                   rows,
                   total,
                   full};
    return absl::OkStatus();
  }));
  if (full) id_views_->Counted(seen.size());
  Log(LogLevel::kInfo, "bank file exported",
      {{"run_id", absl::string_view(run_id)}, {"rows", out.rows}, {"full_id_numbers", full}});
  return out;
}

}  // namespace civil::childwelfare
