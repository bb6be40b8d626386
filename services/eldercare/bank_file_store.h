// PostgreSQL access for the bank files (一卡通) of eldercare's monthly runs (高龄津贴,
// 居家养老服务补贴): a run's payments with their payees, the export log, and — for a file with full
// ID numbers — the ID-view trail, all in one transaction. The form is services/common/bank_file.h.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/bank_file_store.h"
#include "services/common/id_views.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/eldercare/bank_file.h"

namespace civil::eldercare {

using RegionCheckFn = std::function<absl::Status(const std::string&)>;

class BankFileStore {
 public:
  // `pii` decrypts ID numbers for files with full ID numbers, each of which `id_views` records in
  // the export's transaction; none is owned.
  BankFileStore(PgPool* pool, const PiiProtector* pii, IdViewLog* id_views);

  // The bank file of run `run_id` of `allowance`, restricted to `region_prefix` when not empty
  // (which must lie within the run's region: INVALID_ARGUMENT "region_prefix: …"); `check_region`
  // vets the region exported (the run's, or `region_prefix`). ID numbers are full when `full` is
  // given (the adapter decides: RevealFullIds), each payee then in the ID-view trail; masked
  // otherwise. The export is recorded as `actor`. NOT_FOUND "run_id: …" for an unknown run;
  // FAILED_PRECONDITION above kMaxBankFileRows rows.
  absl::StatusOr<ExportedBankFile> Export(PaidAllowance allowance, const std::string& run_id,
                                          const std::string& region_prefix,
                                          const std::string& actor, const FullView* full,
                                          const RegionCheckFn& check_region);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  IdViewLog* id_views_;
};

}  // namespace civil::eldercare
