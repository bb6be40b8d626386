// PostgreSQL access for the bank file (一卡通) of a disbursement batch, and its export log.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/bank_file.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::assistance {

class BankFileStore {
 public:
  // `pii` decrypts ID numbers for exports with full ID numbers; not owned.
  BankFileStore(PgPool* pool, const PiiProtector* pii);

  // The bank file of batch `batch_id`, restricted to `region_prefix` when not empty (which must
  // lie within the batch's region). ID numbers are full when `full_ids` (the adapter decides:
  // the caller MaySeeFullId("assistance")), masked otherwise; the export is recorded. NOT_FOUND
  // for an unknown batch or one outside the actor's region; FAILED_PRECONDITION above
  // kMaxBankFileRows rows.
  absl::StatusOr<v1::ExportBankFileResponse> Export(const Actor& actor, bool full_ids,
                                                    const std::string& batch_id,
                                                    const std::string& region_prefix);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::assistance
