#include "services/affairs/affairs.h"

#include "services/affairs/affairs_config.h"
#include "services/affairs/disability_service.h"
#include "services/affairs/enrolment_client.h"
#include "services/affairs/event_handlers.h"
#include "services/affairs/funeral_service.h"
#include "services/affairs/marriage_service.h"
#include "services/affairs/migrations.h"
#include "services/affairs/relief_service.h"
#include "services/affairs/summary_service.h"
#include "services/common/case_gauges.h"
#include "services/common/death_service.h"
#include "services/common/errors.h"
#include "services/common/grievance_service.h"

namespace civil::affairs {

namespace {

absl::Status Wire(const AffairsOverrides& overrides, Department& d) {
  AffairsConfig config;
  if (overrides.config) {
    config = *overrides.config;
  } else {
    CIVIL_ASSIGN_OR_RETURN(config, LoadAffairsConfig());
  }
  auto& enrolments = d.Make<EnrolmentClient>(config.assistance_addr, config.assistance_deadline,
                                             &d.service_tokens());
  auto& marriages = d.Make<MarriageStore>(&d.pool(), &d.pii());
  auto& disability = d.Make<DisabilityStore>(&d.pool(), &d.pii());
  auto& deaths = d.Make<DeathRegistry>("affairs", &d.pool(), &d.registry());
  // A death ends the person's marriage and stops their subsidies in the transaction that records
  // it: a cremation here, or another department's PersonDeceased (a 低保 exit for death, …).
  const std::vector<DeathHook> death_hooks = {[&](pqxx::transaction_base& txn, const Death& death) {
                                                return marriages.OnDeath(txn, death);
                                              },
                                              [&](pqxx::transaction_base& txn, const Death& death) {
                                                return disability.OnDeath(txn, death);
                                              }};
  auto& funeral = d.Make<FuneralStore>(&d.pool(), &d.pii(), death_hooks, &deaths);
  auto& projects = d.Make<ProjectStore>(&d.pool());
  auto& relief = d.Make<ReliefStore>(&d.pool(), &d.pii());
  auto& summary = d.Make<SummaryStore>(&d.pool());
  auto& bank_files = d.Make<SubsidyBankFileStore>(&d.pool(), &d.pii(), &d.id_views());

  d.Serve<FuneralServiceImpl>(v1::FuneralService::service_full_name(), &funeral, &projects,
                              d.clock());
  d.Serve<MarriageServiceImpl>(v1::MarriageService::service_full_name(), &marriages, d.clock());
  d.Serve<DisabilityServiceImpl>(v1::DisabilityService::service_full_name(), &disability, &projects,
                                 &enrolments, &bank_files, d.clock());
  d.Serve<SubsidyCheckServiceImpl>(v1::SubsidyCheckService::service_full_name(), &disability,
                                   &d.pii(), d.clock());
  d.Serve<ReliefServiceImpl>(v1::VagrantReliefService::service_full_name(), &relief, d.clock());
  // The dashboards' subsidies waiting for the eligibility check and those being paid.
  ServeCaseGauges(d,
                  "SELECT 'DISABILITY_' || kind, 'ELIGIBILITY', count(*) FROM subsidies WHERE "
                  "status = 'PENDING_ELIGIBILITY' GROUP BY 1",
                  "SELECT 'DISABILITY_' || kind, '', count(*) FROM subsidies WHERE status = "
                  "'ACTIVE' GROUP BY 1");
  // Grievances: an upheld one against a refused subsidy sends it back to the eligibility check.
  CIVIL_ASSIGN_OR_RETURN(
      GrievanceStore * grievances,
      ServeGrievances(
          d, {{.name = "SUBSIDY",
               .table = "subsidies",
               .id_column = "subsidy_id",
               .region_column = "region_code",
               .reopen = [&disability](pqxx::transaction_base& txn, const ReopenRequest& request) {
                 return disability.ReopenRejected(txn, request);
               }}}));
  d.Serve<SummaryServiceImpl>(v1::AffairsSummaryService::service_full_name(), &summary, d.clock(),
                              grievances);
  d.Serve<DeathRegistryServiceImpl>(civil::events::v1::DeathRegistryService::service_full_name(),
                                    &deaths, &d.pool(), &d.pii(), d.clock());
  // Assistance's 低保 exits stop the living subsidy; every other department's deaths run the
  // death hooks.
  RegisterEventHandlers(&d.consumer(), &disability, &deaths, death_hooks, d.clock());
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec(AffairsOverrides overrides) {
  return {.name = "affairs",
          .grpc_port = 50056,
          .metrics_port = 9106,
          .migrations = &Migrations,
          .wire = [overrides](Department& d) { return Wire(overrides, d); },
          .append_only = {"marriage_history", "project_history", "relief_case_history",
                          "subsidy_history", "subsidy_payments", "subsidy_adjustment_settlements",
                          "subsidy_bank_file_exports"}};
}

}  // namespace civil::affairs
