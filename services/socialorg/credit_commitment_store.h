// PostgreSQL access for credit commitments: written under a share lock on the organisation
// (append-only), read per organisation. The rules are credit_commitment.h's.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/socialorg/credit_commitment.h"
#include "services/socialorg/organisation_store.h"

namespace civil::socialorg {

// Industry associations registered on a day and the commitments signed in a period.
struct CommitmentCounts {
  int industry_associations = 0;
  int signed_in_period = 0;
};

struct CommitmentRecord {
  std::string organisation_id;
  CreditCommitment commitment;
  std::string recorded_by;
};

class CreditCommitmentStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit CreditCommitmentStore(PgPool* pool);

  // Records after CheckCommitment; `vet` checks the organisation's region. NOT_FOUND;
  // ALREADY_EXISTS "year: …" when the year's commitment is recorded.
  absl::StatusOr<CommitmentRecord> Record(const std::string& organisation_id,
                                          const CreditCommitment& commitment,
                                          const std::string& actor, const RegionVet& vet);

  // The organisation's commitments by year. NOT_FOUND.
  absl::StatusOr<std::vector<CommitmentRecord>> Of(const std::string& organisation_id,
                                                   const RegionVet& vet);

  // Under `region_prefix`: industry associations registered on `end` (established by then, not
  // deregistered before it), and commitments signed from `start` to `end`.
  absl::StatusOr<CommitmentCounts> CountIn(const std::string& region_prefix, absl::CivilDay start,
                                           absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::socialorg
