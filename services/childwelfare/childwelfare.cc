#include "services/childwelfare/childwelfare.h"

#include "services/childwelfare/allowance_check_service.h"
#include "services/childwelfare/bank_file_service.h"
#include "services/childwelfare/child_service.h"
#include "services/childwelfare/childwelfare_config.h"
#include "services/childwelfare/distribution_service.h"
#include "services/childwelfare/event_handlers.h"
#include "services/childwelfare/left_behind_service.h"
#include "services/childwelfare/migrations.h"
#include "services/childwelfare/placement_service.h"
#include "services/childwelfare/review_service.h"
#include "services/childwelfare/summary_service.h"
#include "services/common/case_gauges.h"
#include "services/common/errors.h"
#include "services/common/grievance_service.h"

namespace civil::childwelfare {

namespace {

absl::Status Wire(Department& d) {
  CIVIL_ASSIGN_OR_RETURN(const ChildWelfareConfig config, LoadChildWelfareConfig());
  auto& deaths = d.Make<DeathRegistry>(d.name(), &d.pool(), &d.registry());
  auto& children =
      d.Make<ChildStore>(&d.pool(), &d.pii(), &deaths, config.education_max_age, &d.registry());
  d.Serve<AllowanceCheckServiceImpl>(v1::ChildAllowanceCheckService::service_full_name(),
                                     &d.Make<AllowanceCheckStore>(&d.pool()), &d.pii(), d.clock());
  d.Serve<ChildServiceImpl>(v1::ChildService::service_full_name(), &children, &d.id_views(),
                            d.clock());
  auto& bank_files = d.Make<ChildBankFileStore>(&d.pool(), &d.pii(), &d.id_views());
  d.Serve<ChildBankFileServiceImpl>(v1::ChildBankFileService::service_full_name(), &bank_files);
  auto& reviews = d.Make<ReviewStore>(&d.pool(), config.education_max_age);
  d.Serve<ReviewServiceImpl>(v1::ChildReviewService::service_full_name(), &reviews, &d.id_views(),
                             d.clock());
  auto& placements = d.Make<PlacementStore>(&d.pool(), &children);
  d.Serve<PlacementServiceImpl>(v1::PlacementService::service_full_name(), &placements, d.clock());
  auto& care = d.Make<LeftBehindStore>(&d.pool(), &d.pii());
  d.Serve<LeftBehindServiceImpl>(v1::LeftBehindService::service_full_name(), &care, &d.id_views(),
                                 d.clock());
  auto& distributions = d.Make<DistributionStore>(&d.pool());
  d.Serve<DistributionServiceImpl>(v1::CareDistributionService::service_full_name(), &distributions,
                                   &d.id_views(), d.clock());
  // The dashboards' cases waiting for the township check or the county's approval, and the
  // children whose allowance is paid.
  ServeCaseGauges(d,
                  "SELECT category, CASE status WHEN 'PENDING_CHECK' THEN 'CHECK' ELSE 'APPROVAL' "
                  "END, count(*) FROM children WHERE status IN ('PENDING_CHECK', "
                  "'PENDING_APPROVAL') GROUP BY 1, 2",
                  "SELECT category, '', count(*) FROM children WHERE status = 'ACTIVE' GROUP BY "
                  "1");
  // Grievances: an upheld one against a case (CHILD) rejected at the township check sends it
  // back to the check (no money moves: the check and the approval decide again); an upheld one
  // against a stop (ALLOWANCE) resumes the allowance and pays the months missed once (money: a
  // second reviewer confirms).
  CIVIL_ASSIGN_OR_RETURN(
      GrievanceStore * grievances,
      ServeGrievances(d,
                      {{.name = "CHILD",
                        .table = "children",
                        .id_column = "child_id",
                        .region_column = "region_code",
                        .reopen =
                            [&children](pqxx::transaction_base& txn, const ReopenRequest& request) {
                              return children.ReopenCase(txn, request);
                            }},
                       {.name = "ALLOWANCE",
                        .table = "children",
                        .id_column = "child_id",
                        .region_column = "region_code",
                        .reopen =
                            [&children](pqxx::transaction_base& txn, const ReopenRequest& request) {
                              return children.ReverseStop(txn, request);
                            },
                        .pays_money = true}}));
  d.Serve<SummaryServiceImpl>(v1::ChildWelfareSummaryService::service_full_name(), &children,
                              &reviews, &care, &distributions, d.clock(), grievances);
  // A recorded death stops the allowance after the month of death, a move out of the county
  // after the month of the move.
  RegisterEventHandlers(&d.consumer(), &deaths, &children);
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec() {
  return {.name = "childwelfare",
          .grpc_port = 50053,
          .metrics_port = 9103,
          .migrations = &Migrations,
          .wire = Wire,
          .append_only = {"child_payments", "child_adjustment_settlements", "care_visits",
                          "care_distributions", "care_distribution_recipients",
                          "child_bank_file_exports"}};
}

}  // namespace civil::childwelfare
