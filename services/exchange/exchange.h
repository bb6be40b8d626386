// The exchange with other departments' systems (issue 17, "In"): death notices from public
// security (户籍注销) and health (死亡医学证明), moves out of the county from public security, as
// the department kit builds it. main.cc runs it; the integration and e2e test beds build the
// same spec.
#pragma once

#include "services/common/department.h"

namespace civil::exchange {

// The department: gRPC 50058, metrics 9108, database civil_exchange.
DepartmentSpec Spec();

}  // namespace civil::exchange
