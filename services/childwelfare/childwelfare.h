// The child-welfare department (儿童福利; so far 孤儿 and 事实无人抚养儿童 with their basic living
// allowance) as the department kit builds it. main.cc runs it; the integration and e2e tests build
// the same spec.
#pragma once

#include "services/common/department.h"

namespace civil::childwelfare {

// The department: gRPC 50053, metrics 9103, database civil_childwelfare.
DepartmentSpec Spec();

}  // namespace civil::childwelfare
