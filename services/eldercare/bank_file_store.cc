#include "services/eldercare/bank_file_store.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

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

absl::StatusOr<BankFileExport> BankFileStore::Export(
    PaidAllowance allowance, const std::string& run_id, const std::string& region_prefix,
    const std::string& actor, const FullView* full_view, const RegionCheckFn& check_region) {
  const Tables& t = TablesOf(allowance);
  const bool full = full_view != nullptr;
  BankFileExport out;
  std::vector<SeenPerson> seen;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result run = txn.exec_prepared(Name(t, "run"), run_id);
    if (run.empty()) return absl::NotFoundError("run_id: no such payment run");
    const absl::CivilMonth month(DayOf(run[0][0]));
    const std::string run_region = run[0][1].as<std::string>();
    std::string prefix = run_region;
    if (!region_prefix.empty()) {
      CIVIL_RETURN_IF_ERROR(CheckBankFilePrefix(run_region, region_prefix));
      prefix = region_prefix;
    }
    CIVIL_RETURN_IF_ERROR(check_region(prefix));
    const int64_t count = txn.exec_prepared1(Name(t, "count"), run_id, prefix)[0].as<int64_t>();
    CIVIL_RETURN_IF_ERROR(CheckBankFileSize(count, "run_id"));
    pqxx::result rows = txn.exec_prepared(Name(t, "rows"), run_id, prefix);
    std::string csv = BankFileHeader();
    seen.clear();
    int64_t total = 0;
    for (const auto& r : rows) {
      BankFileLine line;
      line.payment_id = r[0].as<int64_t>();
      line.month = absl::CivilMonth(DayOf(r[1]));
      line.amount = Money::Fen(r[2].as<int64_t>());
      line.region_code = r[3].as<std::string>();
      line.name = r[4].as<std::string>();
      line.programme = std::string(ProgrammeLabel(allowance));
      if (r[8].as<bool>()) line.programme += kBackPayLabel;
      if (full) {
        pqxx::binarystring sealed(r[6]);
        absl::StatusOr<std::string> id = pii_->Decrypt(sealed.str());
        if (!id.ok()) return absl::InternalError("an ID number of the run could not be decrypted");
        line.id_number = *std::move(id);
        seen.push_back(SeenPerson{"bank_file", run_id, r[7].as<std::string>(),
                                  r[5].as<std::string>(), line.region_code});
      } else {
        line.id_number = r[5].as<std::string>();
      }
      total += line.amount.fen();
      csv += BankFileRow(line);
    }
    txn.exec_prepared("bank_file_export_insert", std::string(AllowanceName(allowance)), run_id,
                      prefix, actor, full, static_cast<int>(rows.size()));
    if (full) id_views_->RecordIn(txn, *full_view, seen);
    out.run_id = run_id;
    out.file_name = BankFileName(allowance, month, prefix);
    out.content = std::move(csv);
    out.rows = static_cast<int64_t>(rows.size());
    out.total_fen = total;
    out.full_id_numbers = full;
    return absl::OkStatus();
  }));
  if (full) id_views_->Counted(seen.size());
  Log(LogLevel::kInfo, "bank file exported",
      {{"run_id", absl::string_view(run_id)},
       {"allowance", AllowanceName(allowance)},
       {"rows", out.rows},
       {"full_id_numbers", full}});
  return out;
}

}  // namespace civil::eldercare
