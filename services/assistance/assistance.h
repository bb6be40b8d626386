// The social assistance department (社会救助: 低保, 特困, 临时救助, mutual aid, outreach, audits,
// reviews, disbursement) as the department kit builds it: its stores, services and event
// handlers. main.cc runs it; the test beds build the same spec.
#pragma once

#include <optional>

#include "services/assistance/benefit.h"
#include "services/assistance/relief_case.h"
#include "services/common/department.h"

namespace civil::assistance {

// What the department can be given instead of reading it from the environment (tests).
struct AssistanceOverrides {
  std::optional<AssistanceRules> rules;
  std::optional<ReliefRules> relief_rules;
};

// The department: gRPC 50051, metrics 9101, database civil_assistance. Its rules are read from
// the environment (services/assistance/assistance_config.h) unless overridden; the county's seed
// standards are loaded from CIVIL_ASSISTANCE_SEED_STANDARDS when set.
DepartmentSpec Spec(AssistanceOverrides overrides = {});

}  // namespace civil::assistance
