// The work-summary component (工作总结) as the department kit builds it: the targets' store, the
// clients of the departments' GetSummary and the services. main.cc runs it; the integration and
// e2e tests build the same spec.
#pragma once

#include "services/common/department.h"

namespace civil::report {

// The report: gRPC 50057, metrics 9107, database civil_report.
DepartmentSpec Spec();

}  // namespace civil::report
