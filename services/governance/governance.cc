#include "services/governance/governance.h"

#include "services/common/grievance_service.h"
#include "services/governance/boundary_service.h"
#include "services/governance/centre_rating_service.h"
#include "services/governance/certificate_list_service.h"
#include "services/governance/consultation_service.h"
#include "services/governance/grid_service.h"
#include "services/governance/migrations.h"
#include "services/governance/place_name_service.h"
#include "services/governance/record_service.h"
#include "services/governance/region_service.h"
#include "services/governance/summary_service.h"
#include "services/governance/village_rule_service.h"
#include "services/governance/whistle_service.h"

namespace civil::governance {

namespace {

absl::Status Wire(Department& d) {
  auto& grids = d.Make<GridStore>(&d.pool());
  auto& regions = d.Make<RegionStore>(&d.pool(), &grids);
  d.Serve<RegionServiceImpl>(v1::RegionService::service_full_name(), &regions, d.clock());
  d.Serve<GridServiceImpl>(v1::GridService::service_full_name(), &grids, d.clock());
  auto& records = d.Make<RecordStore>(&d.pool(), &d.pii());
  auto& import_metrics = d.Make<ImportMetrics>(&d.registry());
  d.Serve<ResidentRecordServiceImpl>(v1::ResidentRecordService::service_full_name(), &records,
                                     &grids, &import_metrics, &d.id_views(), d.clock());
  auto& rules = d.Make<VillageRuleStore>(&d.pool());
  d.Serve<VillageRuleServiceImpl>(v1::VillageRuleService::service_full_name(), &rules, d.clock());
  auto& whistles = d.Make<WhistleStore>(&d.pool());
  d.Serve<WhistleServiceImpl>(v1::WhistleService::service_full_name(), &whistles, d.clock());
  auto& ratings = d.Make<CentreRatingStore>(&d.pool());
  d.Serve<CentreRatingServiceImpl>(v1::CentreRatingService::service_full_name(), &ratings,
                                   d.clock());
  auto& boundaries = d.Make<BoundaryStore>(&d.pool());
  d.Serve<BoundaryServiceImpl>(v1::BoundaryService::service_full_name(), &boundaries, d.clock());
  auto& names = d.Make<PlaceNameStore>(&d.pool());
  d.Serve<PlaceNameServiceImpl>(v1::PlaceNameService::service_full_name(), &names, d.clock());
  auto& certificates = d.Make<CertificateListStore>(&d.pool());
  d.Serve<CertificateListServiceImpl>(v1::CertificateListService::service_full_name(),
                                      &certificates, d.clock());
  auto& sites = d.Make<ConsultationStore>(&d.pool());
  d.Serve<ConsultationServiceImpl>(v1::ConsultationService::service_full_name(), &sites, d.clock());
  CIVIL_ASSIGN_OR_RETURN(GrievanceStore * grievances,
                         ServeGrievances(d, {{.name = "WHISTLE_ITEM",
                                              .table = "whistle_items",
                                              .id_column = "item_id",
                                              .region_column = "village_code"}}));
  d.Serve<SummaryServiceImpl>(v1::GovernanceSummaryService::service_full_name(), &records, &grids,
                              &sites, &boundaries, grievances);
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec() {
  return {.name = "governance",
          .grpc_port = 50054,
          .metrics_port = 9104,
          .migrations = &Migrations,
          .wire = Wire,
          .append_only = {"record_events", "region_changes", "grid_moves", "rule_steps",
                          "rule_selections", "centre_ratings", "boundary_inspections",
                          "certificate_lists", "certificate_list_items"}};
}

}  // namespace civil::governance
