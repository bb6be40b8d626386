// PostgreSQL access for the bank file (一卡通) of a monthly allowance run, and its export log. The
// file's form is the kit's (services/common/bank_file.h); full ID numbers are recorded in the
// kit's ID-view trail (services/common/id_views.h) in the export's own transaction.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/childwelfare/child_store.h"
#include "services/common/bank_file_store.h"
#include "services/common/id_views.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::childwelfare {

class ChildBankFileStore {
 public:
  // `pii` decrypts ID numbers of full exports, each of which `id_views` records in the export's
  // transaction; none is owned.
  ChildBankFileStore(PgPool* pool, const PiiProtector* pii, IdViewLog* id_views);

  // The bank file of run `run_id` by `actor`, restricted to `region_prefix` when not empty (which
  // must lie within the run's region: INVALID_ARGUMENT "region_prefix: …"; the adapter has
  // checked it against the caller's scope); otherwise the whole run, whose region
  // `check_region` must allow (NOT_FOUND "run_id: …" when it does not, as for an unknown run).
  // With `full` (the adapter decided: RevealFullIds) names and ID numbers are in clear and each
  // child is recorded in the ID-view trail; masked (MaskName, the stored masked ID) otherwise.
  // The export is recorded. FAILED_PRECONDITION above kMaxBankFileRows rows.
  absl::StatusOr<ExportedBankFile> Export(const std::string& actor, const FullView* full,
                                          const std::string& run_id,
                                          const std::string& region_prefix,
                                          const RegionGuard& check_region);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  IdViewLog* id_views_;
};

}  // namespace civil::childwelfare
