// PostgreSQL access for branches: written under a share lock on the organisation, read per
// organisation. The rules are branch.h's.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/socialorg/branch.h"
#include "services/socialorg/organisation_store.h"

namespace civil::socialorg {

struct BranchRecord {
  std::string branch_id;
  std::string organisation_id;
  Branch branch;
  std::string recorded_by;
};

class BranchStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit BranchStore(PgPool* pool);

  // Records after CheckBranch; `vet` checks the organisation's region. NOT_FOUND;
  // ALREADY_EXISTS "name: …" for a branch of the same name.
  absl::StatusOr<BranchRecord> Record(const std::string& organisation_id, const Branch& branch,
                                      const std::string& actor, const RegionVet& vet);

  // The organisation's branches, oldest first. NOT_FOUND.
  absl::StatusOr<std::vector<BranchRecord>> Of(const std::string& organisation_id,
                                               const RegionVet& vet);

 private:
  PgPool* pool_;
};

}  // namespace civil::socialorg
