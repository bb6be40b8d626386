// The grassroots-governance department (基层治理; so far the region tree, grids, residents'
// records and their summary) as the department kit builds it: its stores and services. main.cc
// runs it; the integration and e2e tests build the same spec.
#pragma once

#include "services/common/department.h"

namespace civil::governance {

// The department: gRPC 50054, metrics 9104, database civil_governance.
DepartmentSpec Spec();

}  // namespace civil::governance
