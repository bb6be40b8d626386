// The department's own settings, beyond those every service shares (services/common/config.h),
// read once from the environment at start-up:
//   CIVIL_ASSISTANCE_ADDR  gRPC address of assistance's EnrolmentCheckService [127.0.0.1:50051]
//   CIVIL_AFFAIRS_ASSISTANCE_DEADLINE_MS [2000] deadline of each enrolment check (50..60000)
#pragma once

#include <chrono>
#include <string>

#include "absl/status/statusor.h"

namespace civil::affairs {

struct AffairsConfig {
  std::string assistance_addr;
  std::chrono::milliseconds assistance_deadline{2000};
};

// INVALID_ARGUMENT naming every malformed variable.
absl::StatusOr<AffairsConfig> LoadAffairsConfig();

}  // namespace civil::affairs
