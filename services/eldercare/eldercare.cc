#include "services/eldercare/eldercare.h"

#include "services/common/case_gauges.h"
#include "services/common/errors.h"
#include "services/common/grievance_service.h"
#include "services/eldercare/adaptation_service.h"
#include "services/eldercare/allowance_service.h"
#include "services/eldercare/bank_file_service.h"
#include "services/eldercare/check_service.h"
#include "services/eldercare/event_handlers.h"
#include "services/eldercare/facility_service.h"
#include "services/eldercare/homecare_service.h"
#include "services/eldercare/inspection_service.h"
#include "services/eldercare/migrations.h"
#include "services/eldercare/summary_service.h"
#include "services/eldercare/visit_service.h"

namespace civil::eldercare {

namespace {

absl::Status Wire(Department& d) {
  CIVIL_ASSIGN_OR_RETURN(const EnrolmentCheckConfig assistance, LoadEnrolmentCheckConfig(d.name()));
  auto& enrolments =
      d.Make<EnrolmentCheckClient>(assistance.address, assistance.deadline, &d.service_tokens());
  auto& deaths = d.Make<DeathRegistry>(d.name(), &d.pool(), &d.registry());
  auto& allowances = d.Make<AllowanceStore>(&d.pool(), &d.pii(), &deaths, &d.registry());
  d.Serve<AllowanceServiceImpl>(v1::AllowanceService::service_full_name(), &allowances, &enrolments,
                                d.clock());
  auto& homecare = d.Make<HomeCareStore>(&d.pool(), &d.pii(), &deaths, &d.registry());
  d.Serve<EldercareCheckServiceImpl>(v1::EldercareCheckService::service_full_name(),
                                     &d.Make<CheckStore>(&d.pool()), &d.pii(), d.clock());
  d.Serve<HomeCareServiceImpl>(v1::HomeCareService::service_full_name(), &homecare, d.clock());
  auto& bank_files = d.Make<BankFileStore>(&d.pool(), &d.pii(), &d.id_views());
  d.Serve<BankFileServiceImpl>(v1::BankFileService::service_full_name(), &bank_files);
  auto& facilities = d.Make<FacilityStore>(&d.pool());
  d.Serve<FacilityServiceImpl>(v1::FacilityService::service_full_name(), &facilities, d.clock());
  auto& adaptations = d.Make<AdaptationStore>(&d.pool(), &d.pii());
  d.Serve<AdaptationServiceImpl>(v1::AdaptationService::service_full_name(), &adaptations,
                                 d.clock());
  auto& visits = d.Make<VisitStore>(&d.pool(), &d.pii());
  d.Serve<VisitServiceImpl>(v1::VisitService::service_full_name(), &visits, d.clock());
  auto& inspections = d.Make<InspectionStore>(&d.pool());
  d.Serve<InspectionServiceImpl>(v1::InspectionService::service_full_name(), &inspections,
                                 d.clock());
  // The dashboards' enrolments waiting for approval and allowances being paid.
  ServeCaseGauges(d,
                  "SELECT 'OLD_AGE_ALLOWANCE', 'APPROVAL', count(*) FROM allowance_enrolments "
                  "WHERE status = 'PENDING_APPROVAL' UNION ALL SELECT 'HOMECARE_SUBSIDY', "
                  "'APPROVAL', count(*) FROM homecare_subsidies WHERE status = 'PENDING_APPROVAL'",
                  "SELECT 'OLD_AGE_ALLOWANCE', '', count(*) FROM allowance_enrolments WHERE "
                  "status = 'ACTIVE' UNION ALL SELECT 'HOMECARE_SUBSIDY', '', count(*) FROM "
                  "homecare_subsidies WHERE status = 'ACTIVE'");
  // Grievances: an upheld one against a stopped 高龄津贴 or 居家养老服务补贴 reverses the stop and
  // pays the months missed once (money: a second reviewer confirms).
  CIVIL_ASSIGN_OR_RETURN(
      GrievanceStore * grievances,
      ServeGrievances(
          d, {{.name = "ALLOWANCE",
               .table = "allowance_enrolments",
               .id_column = "enrolment_id",
               .region_column = "region_code",
               .reopen =
                   [&allowances](pqxx::transaction_base& txn, const ReopenRequest& request) {
                     return allowances.ReverseStop(txn, request);
                   },
               .pays_money = true},
              {.name = "HOMECARE_SUBSIDY",
               .table = "homecare_subsidies",
               .id_column = "subsidy_id",
               .region_column = "region_code",
               .reopen =
                   [&homecare](pqxx::transaction_base& txn, const ReopenRequest& request) {
                     return homecare.ReverseStop(txn, request);
                   },
               .pays_money = true}}));
  d.Serve<SummaryServiceImpl>(v1::EldercareSummaryService::service_full_name(), &allowances,
                              &homecare, &facilities, &adaptations, &visits, d.clock(), grievances);
  // A recorded death stops the allowance and the subsidy after the month of death.
  RegisterEventHandlers(&d.consumer(), &deaths, &allowances, &homecare);
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec() {
  return {.name = "eldercare",
          .grpc_port = 50052,
          .metrics_port = 9102,
          .migrations = &Migrations,
          .wire = Wire,
          .append_only = {"allowance_payments", "homecare_payments", "bank_file_exports",
                          "allowance_adjustment_settlements", "homecare_adjustment_settlements"}};
}

}  // namespace civil::eldercare
