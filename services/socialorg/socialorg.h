// The social-organisations department (社会组织与社会工作; so far the register, lifecycle events,
// supervision and party building of social organisations) as the department kit builds it.
// main.cc runs it; the integration and e2e tests build the same spec.
#pragma once

#include "services/common/department.h"

namespace civil::socialorg {

// The department: gRPC 50055, metrics 9105, database civil_socialorg.
DepartmentSpec Spec();

}  // namespace civil::socialorg
