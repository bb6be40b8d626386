// PostgreSQL access for the bank file (一卡通) of a disability subsidy payment run: the run's
// payments and the back-payments it settled, with their payees, the export log and — for a file
// with full ID numbers — the ID-view trail, all in one transaction. The reading is the kit's
// (services/common/bank_file_store.h), the form services/common/bank_file.h.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/bank_file_store.h"
#include "services/common/id_views.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::affairs {

class SubsidyBankFileStore {
 public:
  // `pii` decrypts ID numbers of full files, each payee of which `id_views` records in the
  // export's transaction; none is owned.
  SubsidyBankFileStore(PgPool* pool, const PiiProtector* pii, IdViewLog* id_views);

  // The bank file of run `run_id` by `actor`, restricted to `region_prefix` when not empty (which
  // must lie within the run's region: INVALID_ARGUMENT "region_prefix: …"); `check_region` vets
  // the region exported against the caller's scope (a whole run outside it: NOT_FOUND "run_id: …",
  // as for an unknown run). With `full` (the adapter decided: RevealFullIds) ID numbers are in
  // clear and each payee is in the ID-view trail; masked otherwise. FAILED_PRECONDITION above
  // kMaxBankFileRows rows. The export is recorded.
  absl::StatusOr<ExportedBankFile> Export(
      const std::string& actor, const FullView* full, const std::string& run_id,
      const std::string& region_prefix,
      const std::function<absl::Status(const std::string&)>& check_region);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  IdViewLog* id_views_;
};

}  // namespace civil::affairs
