#include "services/common/bank_file_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/bank_file.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/store_util.h"

namespace civil {

absl::StatusOr<BankFileRead> ReadBankFile(pqxx::transaction_base& txn, const PiiProtector& pii,
                                          const BankFileStatements& statements,
                                          const BankProgrammeFn& programme,
                                          const BankFileAsk& ask) {
  const pqxx::result run = txn.exec_prepared(statements.run, ask.id);
  if (run.empty()) return absl::NotFoundError(statements.not_found);
  BankFileRead out;
  out.run = run[0];
  out.month = MonthOf(run[0][0]);
  out.run_region = run[0][1].as<std::string>();
  out.prefix = out.run_region;
  if (ask.region_prefix.empty()) {
    if (!ask.check_region(out.run_region).ok()) return absl::NotFoundError(statements.not_found);
  } else {
    CIVIL_RETURN_IF_ERROR(CheckBankFilePrefix(out.run_region, ask.region_prefix));
    CIVIL_RETURN_IF_ERROR(ask.check_region(ask.region_prefix));
    out.prefix = ask.region_prefix;
  }
  CIVIL_RETURN_IF_ERROR(
      CheckBankFileSize(txn.exec_prepared1(statements.count, ask.id, out.prefix)[0].as<int64_t>(),
                        statements.id_field));
  out.csv = BankFileHeader();
  for (const auto& r : txn.exec_prepared(statements.rows, ask.id, out.prefix)) {
    BankFileLine line;
    line.payment_id = r[0].as<int64_t>();
    line.month = MonthOf(r[1]);
    line.amount = Money::Fen(r[2].as<int64_t>());
    line.region_code = r[3].as<std::string>();
    line.programme = programme(out.run, r);
    if (r[8].as<bool>()) line.programme += kBackPayLabel;
    const std::string name = r[4].as<std::string>();
    if (ask.full) {
      const pqxx::binarystring sealed(r[6]);
      absl::StatusOr<std::string> id = pii.Decrypt(sealed.str());
      if (!id.ok()) {
        return absl::InternalError(
            absl::StrCat("an ID number of ", statements.id_field, " could not be decrypted"));
      }
      line.name = name;
      line.id_number = *std::move(id);
      out.seen.push_back(SeenPerson{statements.record_kind, ask.id, r[7].as<std::string>(),
                                    r[5].as<std::string>(), line.region_code});
    } else {
      line.name = ask.masked_name != nullptr ? ask.masked_name(name) : name;
      line.id_number = r[5].as<std::string>();
    }
    out.total_fen += line.amount.fen();
    ++out.rows;
    out.csv += BankFileRow(line);
  }
  return out;
}

absl::StatusOr<ExportedBankFile> ExportBankFile(PgPool& pool, const PiiProtector& pii,
                                                IdViewLog& id_views, const FullView* full,
                                                const BankFileStatements& statements,
                                                const BankProgrammeFn& programme, BankFileAsk ask,
                                                const BankFileNameFn& name,
                                                const BankFileLogFn& log) {
  ask.full = full != nullptr;
  ExportedBankFile out;
  size_t seen = 0;
  CIVIL_RETURN_IF_ERROR(pool.Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(BankFileRead file, ReadBankFile(txn, pii, statements, programme, ask));
    log(txn, file);
    if (ask.full) id_views.RecordIn(txn, *full, file.seen);
    seen = file.seen.size();
    out = ExportedBankFile{ask.id,    name(file),     std::move(file.csv),
                           file.rows, file.total_fen, ask.full};
    return absl::OkStatus();
  }));
  if (ask.full) id_views.Counted(seen);
  Log(LogLevel::kInfo, "bank file exported",
      {{statements.id_field, absl::string_view(ask.id)},
       {"rows", out.rows},
       {"full_id_numbers", ask.full}});
  return out;
}

}  // namespace civil
