// PostgreSQL access for project evaluations: written under a share lock on the organisation
// (append-only), read per organisation. The rules are evaluation.h's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/socialorg/evaluation.h"
#include "services/socialorg/organisation_store.h"

namespace civil::socialorg {

struct EvaluationRecord {
  std::string evaluation_id;
  std::string organisation_id;
  Evaluation evaluation;
  std::string recorded_by;
};

class EvaluationStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit EvaluationStore(PgPool* pool);

  // Records after CheckEvaluable; `vet` checks the organisation's region first. NOT_FOUND;
  // ALREADY_EXISTS "project: …" when the project was evaluated already.
  absl::StatusOr<EvaluationRecord> Record(const std::string& organisation_id,
                                          const Evaluation& evaluation, const std::string& actor,
                                          const RegionVet& vet);

  // The organisation's evaluations, oldest first. NOT_FOUND.
  absl::StatusOr<std::vector<EvaluationRecord>> Of(const std::string& organisation_id,
                                                   const RegionVet& vet);

 private:
  PgPool* pool_;
};

}  // namespace civil::socialorg
