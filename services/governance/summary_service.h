// gRPC adapter of civil.governance.v1.GovernanceSummaryService: the period's grassroots-governance
// figures within the caller's region, with the report's sentences (summary.h). No SQL here.
#pragma once

#include "civil/governance/v1/summary.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/grievance_store.h"
#include "services/governance/boundary_store.h"
#include "services/governance/consultation_store.h"
#include "services/governance/grid_store.h"
#include "services/governance/record_store.h"

namespace civil::governance {

class SummaryServiceImpl final : public v1::GovernanceSummaryService::Service {
 public:
  // None is owned.
  SummaryServiceImpl(RecordStore* records, GridStore* grids, ConsultationStore* sites,
                     BoundaryStore* boundaries, GrievanceStore* grievances = nullptr);

  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  RecordStore* records_;
  GridStore* grids_;
  ConsultationStore* sites_;
  BoundaryStore* boundaries_;
  GrievanceStore* grievances_;  // grievance figures (null: none)
};

}  // namespace civil::governance
