// The social affairs department (社会事务: funeral, marriage and divorce, disability subsidies,
// vagrant relief) as the department kit builds it: its stores, services and event handlers.
// main.cc runs it; the integration and e2e test beds build the same spec.
#pragma once

#include <optional>

#include "services/affairs/affairs_config.h"
#include "services/common/department.h"

namespace civil::affairs {

// What the department can be given instead of reading it from the environment (tests).
struct AffairsOverrides {
  std::optional<AffairsConfig> config;
};

// The department: gRPC 50056, metrics 9106, database civil_affairs. Its own settings
// (services/affairs/affairs_config.h) are read from the environment when it is wired, unless
// overridden.
DepartmentSpec Spec(AffairsOverrides overrides = {});

}  // namespace civil::affairs
