#include "services/assistance/bank_file_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/bank_file_store.h"

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
      "SELECT month::text, region_prefix, programme FROM disbursement_batches WHERE batch_id = "
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
  // The payee of a payment: the enrolled member covering the month who comes first in the
  // household (the rows statement).
  static const BankFileStatements kStatements{
      "bank_file_export_select_disbursement_batches", "bank_file_export_select_payments",
      "bank_file_export_select_payments_2", "batch_id", NotFound("batch_id", "disbursement batch")};
  absl::StatusOr<ExportedBankFile> file = ExportBankFile(
      *pool_, *pii_, *id_views_, full_view, kStatements,
      [](const pqxx::row& batch, const pqxx::row&) {
        return std::string(ProgrammeLabel(batch[2].as<std::string>()));
      },
      BankFileAsk{
          batch_id, region_prefix, false, nullptr,
          [&](const std::string& prefix) { return actor.check_region("region_prefix", prefix); }},
      [](const BankFileRead& read) {
        return BankFileNameOf(read.run[2].as<std::string>(), read.month, read.prefix);
      },
      [&](pqxx::transaction_base& txn, const BankFileRead& read) {
        txn.exec_prepared("bank_file_export_insert_bank_file_exports", batch_id, read.prefix,
                          actor.subject, full_view != nullptr, static_cast<int>(read.rows));
      });
  if (!file.ok()) return file.status();
  v1::ExportBankFileResponse out;
  out.set_batch_id(file->id);
  SetBankFileResponse(*std::move(file), &out);
  return out;
}

}  // namespace civil::assistance
