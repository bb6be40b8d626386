#include "services/assistance/bank_file_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"
#include "services/common/log.h"

namespace civil::assistance {

namespace {

// The payments a batch's bank file pays ($1 the batch): its own, and the adjustments it settled.
constexpr char kPaidByBatch[] =
    "(p.batch_id = $1::uuid OR p.payment_id IN (SELECT payment_id FROM adjustment_settlements "
    "WHERE batch_id = $1::uuid))";

}  // namespace

BankFileStore::BankFileStore(PgPool* pool, const PiiProtector* pii, IdViewLog* id_views)
    : pool_(pool), pii_(pii), id_views_(id_views) {
  pool_->Prepare(
      "bank_file_export_select_disbursement_batches",
      "SELECT programme, month::text, region_prefix FROM disbursement_batches WHERE batch_id = "
      "$1::uuid");
  pool_->Prepare("bank_file_export_select_payments",
                 absl::StrCat("SELECT count(*) FROM payments p WHERE ", kPaidByBatch,
                              " AND p.region_code LIKE $2 || '%'"));
  pool_->Prepare(
      "bank_file_export_select_payments_2",
      absl::StrCat(
          "SELECT p.payment_id, p.month::text, p.amount_fen, p.region_code, payee.name, "
          "payee.id_masked, payee.id_cipher, payee.id_index, p.kind = 'ADJUSTMENT' FROM payments p "
          "JOIN LATERAL (SELECT "
          "hm.name, hm.id_masked, hm.id_cipher, hm.id_index FROM enrolment_members m JOIN "
          "household_members hm ON "
          "hm.member_id = m.member_id WHERE m.enrolment_id = p.enrolment_id ORDER BY "
          "(m.start_month <= p.month AND (m.end_month IS NULL OR m.end_month >= p.month)) DESC, "
          "hm.position LIMIT 1) payee ON true WHERE ",
          kPaidByBatch,
          " AND p.region_code LIKE $2 || '%' ORDER BY p.kind = 'ADJUSTMENT', p.payment_id"));
  pool_->Prepare(
      "bank_file_export_insert_bank_file_exports",
      "INSERT INTO bank_file_exports (batch_id, region_prefix, exported_by, full_id_numbers, "
      "rows_exported) VALUES ($1::uuid, $2, $3, $4, $5)");
}

absl::StatusOr<v1::ExportBankFileResponse> BankFileStore::Export(const Actor& actor,
                                                                 const FullView* full_view,
                                                                 const std::string& batch_id,
                                                                 const std::string& region_prefix) {
  v1::ExportBankFileResponse out;
  const bool full = full_view != nullptr;
  std::vector<SeenPerson> seen;
  absl::Status status = pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result batch =
        txn.exec_prepared("bank_file_export_select_disbursement_batches", batch_id);
    if (batch.empty()) return absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
    const std::string programme = batch[0][0].as<std::string>();
    const std::string batch_region = batch[0][2].as<std::string>();
    std::string prefix = batch_region;
    if (region_prefix.empty()) {
      if (!actor.CanActOn(batch_region)) {
        return absl::NotFoundError(NotFound("batch_id", "disbursement batch"));
      }
    } else {
      if (absl::Status s = CheckBankFilePrefix(batch_region, region_prefix); !s.ok()) return s;
      if (absl::Status s = actor.check_region("region_prefix", region_prefix); !s.ok()) return s;
      prefix = region_prefix;
    }
    const int64_t count =
        txn.exec_prepared1("bank_file_export_select_payments", batch_id, prefix)[0].as<int64_t>();
    if (absl::Status s = CheckBankFileSize(count); !s.ok()) return s;
    // The payee: the enrolled member covering the month who comes first in the household.
    pqxx::result rows = txn.exec_prepared("bank_file_export_select_payments_2", batch_id, prefix);
    std::string csv = BankFileHeader();
    seen.clear();
    int64_t total = 0;
    for (const auto& r : rows) {
      BankFileLine line;
      line.payment_id = r[0].as<int64_t>();
      line.month = MonthOf(r[1]);
      line.amount = Money::Fen(r[2].as<int64_t>());
      line.region_code = r[3].as<std::string>();
      line.name = r[4].as<std::string>();
      line.programme = std::string(ProgrammeLabel(programme));
      if (r[8].as<bool>()) line.programme += kBackPayLabel;
      if (full) {
        pqxx::binarystring sealed(r[6]);
        absl::StatusOr<std::string> id = pii_->Decrypt(sealed.str());
        if (!id.ok()) {
          return absl::InternalError("an ID number of the batch could not be decrypted");
        }
        line.id_number = *std::move(id);
        seen.push_back(SeenPerson{"bank_file", batch_id, r[7].as<std::string>(),
                                  r[5].as<std::string>(), line.region_code});
      } else {
        line.id_number = r[5].as<std::string>();
      }
      total += line.amount.fen();
      csv += BankFileRow(line);
    }
    txn.exec_prepared("bank_file_export_insert_bank_file_exports", batch_id, prefix, actor.subject,
                      full, static_cast<int>(rows.size()));
    if (full) id_views_->RecordIn(txn, *full_view, seen);
    out.set_batch_id(batch_id);
    out.set_file_name(
        absl::StrCat("bank-", programme, "-", MonthTextOf(batch[0][1]), "-", prefix, ".csv"));
    out.set_content_type("text/csv; charset=utf-8");
    out.set_content(std::move(csv));
    out.set_rows(static_cast<int64_t>(rows.size()));
    out.set_total_fen(total);
    out.set_full_id_numbers(full);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (full) id_views_->Counted(seen.size());
  Log(LogLevel::kInfo, "bank file exported",
      {{"batch_id", absl::string_view(batch_id)}, {"rows", out.rows()}, {"full_id_numbers", full}});
  return out;
}

}  // namespace civil::assistance
