#include "services/report/report.h"

#include "services/common/errors.h"
#include "services/report/migrations.h"
#include "services/report/report_config.h"
#include "services/report/summary_sources.h"
#include "services/report/target_service.h"
#include "services/report/target_store.h"
#include "services/report/work_summary_service.h"

namespace civil::report {

namespace {

absl::Status Wire(Department& d) {
  CIVIL_ASSIGN_OR_RETURN(const ReportConfig config, LoadReportConfig());
  auto& sources = d.Make<SummarySources>(config.addresses, config.deadline, &d.service_tokens());
  auto& targets = d.Make<TargetStore>(&d.pool());
  d.Serve<WorkSummaryServiceImpl>(v1::WorkSummaryService::service_full_name(), &sources, &targets,
                                  config.bureau, d.clock());
  d.Serve<TargetServiceImpl>(v1::TargetService::service_full_name(), &targets);
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec() {
  return {.name = "report",
          .grpc_port = 50057,
          .metrics_port = 9107,
          .migrations = &Migrations,
          .wire = Wire};
}

}  // namespace civil::report
