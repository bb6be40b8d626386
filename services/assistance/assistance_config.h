// Settings of the assistance service beyond the common ones: the tunable rules and the seed of
// benefit standards.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/assistance/benefit.h"
#include "services/assistance/standard_store.h"

namespace civil::assistance {

// Reads the rules from the environment (defaults in brackets):
//   CIVIL_ASSISTANCE_LATE_ENTRY_DAYS [30], CIVIL_ASSISTANCE_REVIEW_MONTHS_URBAN_DIBAO [6],
//   CIVIL_ASSISTANCE_REVIEW_MONTHS_RURAL_DIBAO [12], CIVIL_ASSISTANCE_REVIEW_MONTHS_TEKUN [12],
//   CIVIL_ASSISTANCE_PHASE_OUT_MONTHS [6].
// INVALID_ARGUMENT naming every malformed variable.
absl::StatusOr<AssistanceRules> LoadAssistanceRules();

// Loads the standards of a seed file ({"standards": [Standard as JSON, …]}) that the database
// does not hold yet (same programme, area, region and date), recorded as set by "seed". Returns
// how many were added. INVALID_ARGUMENT naming the file and entry when one is malformed.
absl::StatusOr<int> LoadStandardSeed(const std::string& path, StandardStore* store);

}  // namespace civil::assistance
