#include "services/socialorg/socialorg.h"

#include "services/common/grievance_service.h"
#include "services/socialorg/branch_service.h"
#include "services/socialorg/credit_commitment_service.h"
#include "services/socialorg/evaluation_service.h"
#include "services/socialorg/incubation_service.h"
#include "services/socialorg/lifecycle_service.h"
#include "services/socialorg/migrations.h"
#include "services/socialorg/organisation_service.h"
#include "services/socialorg/party_building_service.h"
#include "services/socialorg/station_service.h"
#include "services/socialorg/summary_service.h"
#include "services/socialorg/supervision_service.h"

namespace civil::socialorg {

namespace {

absl::Status Wire(Department& d) {
  auto& organisations = d.Make<OrganisationStore>(&d.pool(), &d.pii());
  d.Serve<OrganisationServiceImpl>(v1::OrganisationService::service_full_name(), &organisations,
                                   &d.id_views(), d.clock());
  d.Serve<LifecycleServiceImpl>(v1::LifecycleService::service_full_name(), &organisations,
                                d.clock());
  auto& supervision = d.Make<SupervisionStore>(&d.pool());
  d.Serve<SupervisionServiceImpl>(v1::SupervisionService::service_full_name(), &supervision,
                                  d.clock());
  auto& party = d.Make<PartyBuildingStore>(&d.pool());
  d.Serve<PartyBuildingServiceImpl>(v1::PartyBuildingService::service_full_name(), &party,
                                    d.clock());
  auto& stations = d.Make<StationStore>(&d.pool());
  d.Serve<StationServiceImpl>(v1::StationService::service_full_name(), &stations, d.clock());
  auto& evaluations = d.Make<EvaluationStore>(&d.pool());
  d.Serve<EvaluationServiceImpl>(v1::EvaluationService::service_full_name(), &evaluations,
                                 d.clock());
  auto& incubation = d.Make<IncubationStore>(&d.pool());
  d.Serve<IncubationServiceImpl>(v1::IncubationService::service_full_name(), &incubation,
                                 d.clock());
  auto& credit = d.Make<CreditCommitmentStore>(&d.pool());
  d.Serve<CreditCommitmentServiceImpl>(v1::CreditCommitmentService::service_full_name(), &credit,
                                       d.clock());
  auto& branches = d.Make<BranchStore>(&d.pool());
  d.Serve<BranchServiceImpl>(v1::BranchService::service_full_name(), &branches, d.clock());
  // An approved deregistration closes the organisation's open branches in its transaction.
  organisations.OnDeregistration(
      [&branches](pqxx::transaction_base& txn, const ApprovedDeregistration& deregistration) {
        return branches.CloseForDeregistration(txn, deregistration);
      });
  CIVIL_ASSIGN_OR_RETURN(
      GrievanceStore * grievances,
      ServeGrievances(d, {{.name = "ORGANISATION",
                           .table = "organisations",
                           .id_column = "organisation_id",
                           .region_column = "region_code"},
                          // A rejected lifecycle event (a registration
                          // refused, …) goes back to pending review.
                          {.name = "LIFECYCLE_EVENT",
                           .table = "org_event_cases",
                           .id_column = "event_id",
                           .region_column = "region_code",
                           .reopen = [&organisations](pqxx::transaction_base& txn,
                                                      const ReopenRequest& request) {
                             return organisations.ReopenEvent(txn, request);
                           }}}));
  d.Serve<SummaryServiceImpl>(v1::SocialorgSummaryService::service_full_name(), &organisations,
                              &supervision, &party, &stations, &incubation, &credit, grievances);
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec() {
  return {.name = "socialorg",
          .grpc_port = 50055,
          .metrics_port = 9105,
          .migrations = &Migrations,
          .wire = Wire,
          .append_only = {"inspection_findings", "station_acceptances", "station_tasks",
                          "station_task_completions", "station_visits", "project_evaluations",
                          "incubated_organisations", "credit_commitments"}};
}

}  // namespace civil::socialorg
