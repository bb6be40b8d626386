// gRPC adapter of civil.affairs.v1.AffairsSummaryService: the department's report figures for a
// period and a region (validation, scope, proto). The counting itself is SummaryStore's.
#pragma once

#include "civil/affairs/v1/summary.grpc.pb.h"
#include "services/affairs/summary_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/grievance_store.h"

namespace civil::affairs {

class SummaryServiceImpl final : public v1::AffairsSummaryService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  SummaryServiceImpl(SummaryStore* store, Clock today, GrievanceStore* grievances = nullptr);

  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  SummaryStore* store_;
  Clock today_;
  GrievanceStore* grievances_;  // grievance figures (null: none)
};

}  // namespace civil::affairs
