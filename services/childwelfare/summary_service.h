// gRPC adapter of civil.childwelfare.v1.ChildWelfareSummaryService: the period's figures of
// orphans and children without de-facto guardians within the caller's region, with the report's
// own sentences (the care distributions' too), and the yearly reviews' and the left-behind
// register's figures. No SQL here.
#pragma once

#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "services/childwelfare/child_store.h"
#include "services/childwelfare/distribution_store.h"
#include "services/childwelfare/left_behind_store.h"
#include "services/childwelfare/review_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/grievance_store.h"

namespace civil::childwelfare {

class SummaryServiceImpl final : public v1::ChildWelfareSummaryService::Service {
 public:
  // None is owned.
  SummaryServiceImpl(ChildStore* children, ReviewStore* reviews, LeftBehindStore* care,
                     DistributionStore* distributions, Clock today,
                     GrievanceStore* grievances = nullptr);

  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  ChildStore* children_;
  ReviewStore* reviews_;
  LeftBehindStore* care_;
  DistributionStore* distributions_;
  Clock today_;
  GrievanceStore* grievances_;  // grievance figures (null: none)
};

}  // namespace civil::childwelfare
