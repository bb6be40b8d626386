// The elderly-care department (养老服务; so far the 高龄津贴) as the department kit builds it: its
// store, services and event handlers. main.cc runs it; the integration and e2e tests build the
// same spec.
#pragma once

#include "services/common/department.h"

namespace civil::eldercare {

// The department: gRPC 50052, metrics 9102, database civil_eldercare.
DepartmentSpec Spec();

}  // namespace civil::eldercare
