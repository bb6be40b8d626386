// gRPC adapter of civil.eldercare.v1.EldercareSummaryService: the period's elderly-care figures
// (高龄津贴, 居家养老服务补贴, facilities planned and built, adaptations,
// placements, visit pilots and visits) within the caller's region, with the report's own sentence.
// No SQL here.
#pragma once

#include "civil/eldercare/v1/summary.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/grievance_store.h"
#include "services/eldercare/adaptation_store.h"
#include "services/eldercare/allowance_store.h"
#include "services/eldercare/facility_store.h"
#include "services/eldercare/homecare_store.h"
#include "services/eldercare/visit_store.h"

namespace civil::eldercare {

class SummaryServiceImpl final : public v1::EldercareSummaryService::Service {
 public:
  // No store is owned.
  SummaryServiceImpl(AllowanceStore* allowances, HomeCareStore* homecare, FacilityStore* facilities,
                     AdaptationStore* adaptations, VisitStore* visits, Clock today,
                     GrievanceStore* grievances = nullptr);

  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  AllowanceStore* allowances_;
  HomeCareStore* homecare_;
  FacilityStore* facilities_;
  AdaptationStore* adaptations_;
  VisitStore* visits_;
  Clock today_;
  GrievanceStore* grievances_;  // grievance figures (null: none)
};

}  // namespace civil::eldercare
