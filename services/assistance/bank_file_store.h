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
#include "services/common/id_views.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::assistance {

class BankFileStore {
 public:
  // `pii` decrypts ID numbers for exports with full ID numbers, each of which `id_views` records
  // in the export's transaction; none is owned.
  BankFileStore(PgPool* pool, const PiiProtector* pii, IdViewLog* id_views);

  // The bank file of batch `batch_id`, restricted to `region_prefix` when not empty (which must
  // lie within the batch's region). ID numbers are full when `full` is given (the adapter
  // decides: RevealFullIds), each payee then recorded in the ID-view trail in the same
  // transaction; masked otherwise. The export is recorded. NOT_FOUND for an unknown batch or one
  // outside the actor's region; FAILED_PRECONDITION above kMaxBankFileRows rows.
  absl::StatusOr<v1::ExportBankFileResponse> Export(const Actor& actor, const FullView* full,
                                                    const std::string& batch_id,
                                                    const std::string& region_prefix);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
  IdViewLog* id_views_;
};

}  // namespace civil::assistance
