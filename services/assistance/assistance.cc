#include "services/assistance/assistance.h"

#include <cstdlib>

#include "services/assistance/application_service.h"
#include "services/assistance/application_store.h"
#include "services/assistance/assistance_config.h"
#include "services/assistance/audit_service.h"
#include "services/assistance/audit_store.h"
#include "services/assistance/bank_file_service.h"
#include "services/assistance/bank_file_store.h"
#include "services/assistance/disbursement_service.h"
#include "services/assistance/disbursement_store.h"
#include "services/assistance/enrolment_service.h"
#include "services/assistance/enrolment_store.h"
#include "services/assistance/event_handlers.h"
#include "services/assistance/household_service.h"
#include "services/assistance/household_store.h"
#include "services/assistance/migrations.h"
#include "services/assistance/mutual_aid_service.h"
#include "services/assistance/mutual_aid_store.h"
#include "services/assistance/outreach_service.h"
#include "services/assistance/outreach_store.h"
#include "services/assistance/relief_case_service.h"
#include "services/assistance/relief_case_store.h"
#include "services/assistance/relief_figures_store.h"
#include "services/assistance/review_service.h"
#include "services/assistance/review_store.h"
#include "services/assistance/standard_service.h"
#include "services/assistance/standard_store.h"
#include "services/assistance/summary_service.h"
#include "services/assistance/summary_store.h"
#include "services/common/case_gauges.h"
#include "services/common/death_service.h"
#include "services/common/errors.h"
#include "services/common/grievance_service.h"
#include "services/common/log.h"

namespace civil::assistance {

namespace {

absl::Status Wire(const AssistanceOverrides& overrides, Department& d) {
  AssistanceRules rules;
  if (overrides.rules) {
    rules = *overrides.rules;
  } else {
    CIVIL_ASSIGN_OR_RETURN(rules, LoadAssistanceRules());
  }
  ReliefRules relief_rules;
  if (overrides.relief_rules) {
    relief_rules = *overrides.relief_rules;
  } else {
    CIVIL_ASSIGN_OR_RETURN(relief_rules, LoadReliefRules());
  }
  auto& cache = d.Make<ReadThroughCache>(&d.redis(), "civil:assistance:household:v1",
                                         d.config().cache_ttl, &d.registry(), "household");
  auto& households = d.Make<HouseholdStore>(&d.pool(), &d.pii());
  auto& standards = d.Make<StandardStore>(&d.pool());
  auto& applications = d.Make<ApplicationStore>(&d.pool(), &d.pii(), rules);
  auto& deaths = d.Make<DeathRegistry>("assistance", &d.pool(), &d.registry());
  auto& enrolments = d.Make<EnrolmentStore>(&d.pool(), rules, &deaths);
  auto& disbursements = d.Make<DisbursementStore>(&d.pool());
  auto& summaries = d.Make<SummaryStore>(&d.pool());
  auto& relief_cases = d.Make<ReliefCaseStore>(&d.pool(), relief_rules, rules);
  auto& mutual_aid = d.Make<MutualAidStore>(&d.pool(), rules);
  auto& outreach = d.Make<OutreachStore>(&d.pool(), rules);
  auto& audits = d.Make<AuditStore>(&d.pool());
  auto& reviews = d.Make<ReviewStore>(&d.pool(), rules);
  auto& bank_files = d.Make<BankFileStore>(&d.pool(), &d.pii(), &d.id_views());
  auto& relief_figures = d.Make<ReliefFiguresStore>(&d.pool());

  if (const char* seed = std::getenv("CIVIL_ASSISTANCE_SEED_STANDARDS"); seed && *seed) {
    CIVIL_ASSIGN_OR_RETURN(const int added, LoadStandardSeed(seed, &standards));
    Log(LogLevel::kInfo, "standards seeded", {{"added", int64_t{added}}});
  }

  d.Serve<HouseholdServiceImpl>(v1::HouseholdService::service_full_name(), &households, &cache,
                                &d.id_views(), d.clock());
  d.Serve<StandardServiceImpl>(v1::StandardService::service_full_name(), &standards);
  d.Serve<ApplicationServiceImpl>(v1::ApplicationService::service_full_name(), &applications,
                                  d.clock());
  d.Serve<EnrolmentServiceImpl>(v1::EnrolmentService::service_full_name(), &enrolments, d.clock());
  d.Serve<EnrolmentCheckServiceImpl>(v1::EnrolmentCheckService::service_full_name(), &enrolments,
                                     &d.pii(), d.clock());
  d.Serve<DisbursementServiceImpl>(v1::DisbursementService::service_full_name(), &disbursements,
                                   &d.registry(), d.clock());
  // The dashboards' applications waiting (by the step they wait for) and active enrolments.
  ServeCaseGauges(d,
                  "SELECT programme, CASE status WHEN 'SUBMITTED' THEN 'INVESTIGATION' WHEN "
                  "'INVESTIGATED' THEN 'NOTICE' ELSE 'APPROVAL' END, count(*) FROM applications "
                  "WHERE status IN ('SUBMITTED', 'INVESTIGATED', 'IN_NOTICE') GROUP BY 1, 2",
                  "SELECT programme, '', count(*) FROM enrolments WHERE status = 'ACTIVE' GROUP "
                  "BY 1");
  // Grievances: a rejected application goes back to investigation; an exit is reversed with its
  // back-payment (which pays money: a second reviewer confirms).
  CIVIL_ASSIGN_OR_RETURN(
      GrievanceStore * grievances,
      ServeGrievances(
          d, {{.name = "APPLICATION",
               .table = "applications",
               .id_column = "application_id",
               .region_column = "region_code",
               .reopen = &ApplicationStore::ReopenRejected},
              {.name = "ENROLMENT",
               .table = "enrolments",
               .id_column = "enrolment_id",
               .region_column = "region_code",
               .reopen =
                   [&enrolments](pqxx::transaction_base& txn, const ReopenRequest& request) {
                     return enrolments.ReverseExit(txn, request);
                   },
               .pays_money = true}}));
  d.Serve<SummaryServiceImpl>(v1::SummaryService::service_full_name(), &summaries, &relief_figures,
                              grievances);
  d.Serve<TemporaryReliefServiceImpl>(v1::TemporaryReliefService::service_full_name(),
                                      &relief_cases, d.clock());
  d.Serve<MutualAidServiceImpl>(v1::MutualAidService::service_full_name(), &mutual_aid, d.clock());
  d.Serve<OutreachServiceImpl>(v1::OutreachService::service_full_name(), &outreach, d.clock());
  d.Serve<AuditServiceImpl>(v1::AuditService::service_full_name(), &audits, d.clock());
  d.Serve<ReviewServiceImpl>(v1::ReviewService::service_full_name(), &reviews, &enrolments,
                             d.clock());
  d.Serve<BankFileServiceImpl>(v1::BankFileService::service_full_name(), &bank_files);
  d.Serve<DeathRegistryServiceImpl>(civil::events::v1::DeathRegistryService::service_full_name(),
                                    &deaths, &d.pool(), &d.pii(), d.clock());
  // Deaths recorded by every other department end every enrolment of the person.
  RegisterEventHandlers(&d.consumer(), &enrolments, d.clock());
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec(AssistanceOverrides overrides) {
  return {.name = "assistance",
          .grpc_port = 50051,
          .metrics_port = 9101,
          .migrations = &Migrations,
          .wire = [overrides](Department& d) { return Wire(overrides, d); },
          .append_only = {"application_history", "enrolment_history", "household_history",
                          "relief_case_history", "payments", "enrolment_checks",
                          "bank_file_exports", "adjustment_settlements"}};
}

}  // namespace civil::assistance
