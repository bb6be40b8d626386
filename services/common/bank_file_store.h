// The bank file (一卡通) of one run or batch, read in the caller's transaction: the kit's part of
// every paying department's export. The department prepares three statements over its own
// tables (its run, how many payments it pays, and those payments with their payees) and names its
// programme; this reads them, checks the region and size, decrypts ID numbers when a full file is
// asked for and lists the payees for the ID-view trail. The department logs the export in its own
// table and records the trail in the same transaction. The file's form is bank_file.h.
#pragma once

#include <cstdint>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_views.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil {

// A department's prepared statements, each with `$1` the run (or batch) id:
//   run:   month::text, region_prefix, then any columns `programme` reads — no row: unknown;
//   count: ($2 the region prefix) count(*) of the payments the file pays;
//   rows:  ($2 the region prefix) payment_id, month::text, amount_fen, region_code, name,
//          id_masked, id_cipher, id_index, is_adjustment (bool), then any columns `programme`
//          reads; the run's own payments first, then its settled back-payments.
struct BankFileStatements {
  std::string run;
  std::string count;
  std::string rows;
  std::string id_field;                   // "run_id" or "batch_id", named by errors
  std::string not_found;                  // e.g. "run_id: no such payment run"
  std::string record_kind = "bank_file";  // of the ID-view trail's rows
};

// The programme a line pays (高龄津贴, 低保…) from the run's and the payment's rows; the back-pay
// label is added by the reader.
using BankProgrammeFn = std::function<std::string(const pqxx::row& run, const pqxx::row& payment)>;

struct BankFileAsk {
  std::string id;             // the run or batch
  std::string region_prefix;  // within the run's region; empty: the whole run
  bool full = false;          // full names and ID numbers (the adapter decided: RevealFullIds)
  // How a masked file shows a name (childwelfare: MaskName); null: in full.
  std::string (*masked_name)(absl::string_view) = nullptr;
  // Vets the region exported against the caller's scope. A whole run outside it answers as an
  // unknown run (NOT_FOUND), so that its existence is not told; an explicit prefix outside it
  // gets this function's error.
  std::function<absl::Status(const std::string& prefix)> check_region;
};

struct BankFileRead {
  absl::CivilMonth month;
  std::string run_region;
  std::string prefix;  // the region exported
  std::string csv;
  int64_t rows = 0;
  int64_t total_fen = 0;
  std::vector<SeenPerson> seen;  // with a full file: every payee, for IdViewLog::RecordIn
  pqxx::row run;                 // the run statement's row
};

// A bank file as exported.
struct ExportedBankFile {
  std::string id;  // the run or batch
  std::string file_name;
  std::string content;  // the CSV
  int64_t rows = 0;
  int64_t total_fen = 0;
  bool full = false;
};

// The department's part of an export: the file's name, and its export-log row (in the export's
// transaction).
using BankFileNameFn = std::function<std::string(const BankFileRead& file)>;
using BankFileLogFn = std::function<void(pqxx::transaction_base& txn, const BankFileRead& file)>;

// NOT_FOUND `not_found` for an unknown run (or a whole run outside the caller's scope);
// INVALID_ARGUMENT "region_prefix: outside …"; FAILED_PRECONDITION above kMaxBankFileRows;
// INTERNAL when an ID number cannot be decrypted.
absl::StatusOr<BankFileRead> ReadBankFile(pqxx::transaction_base& txn, const PiiProtector& pii,
                                          const BankFileStatements& statements,
                                          const BankProgrammeFn& programme, const BankFileAsk& ask);

// A whole export in one transaction of `pool`: ReadBankFile (full when `full` is given: the
// adapter decided, RevealFullIds), the department's `log` row, and for a full file the ID-view
// trail of every payee (counted after the commit). Errors as ReadBankFile's.
absl::StatusOr<ExportedBankFile> ExportBankFile(PgPool& pool, const PiiProtector& pii,
                                                IdViewLog& id_views, const FullView* full,
                                                const BankFileStatements& statements,
                                                const BankProgrammeFn& programme, BankFileAsk ask,
                                                const BankFileNameFn& name,
                                                const BankFileLogFn& log);

// Fills any department's export response (file_name, content_type, content, rows, total_fen,
// full_id_numbers: the same fields everywhere) but the run's or batch's id.
template <typename Response>
void SetBankFileResponse(ExportedBankFile file, Response* response) {
  response->set_file_name(std::move(file.file_name));
  response->set_content_type("text/csv; charset=utf-8");
  response->set_content(std::move(file.content));
  response->set_rows(file.rows);
  response->set_total_fen(file.total_fen);
  response->set_full_id_numbers(file.full);
}

}  // namespace civil
