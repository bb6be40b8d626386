// gRPC adapter of civil.childwelfare.v1.ChildWelfareSummaryService: the period's figures of
// orphans and children without de-facto guardians within the caller's region, with the report's
// own sentence. No SQL here.
#pragma once

#include "civil/childwelfare/v1/summary.grpc.pb.h"
#include "services/childwelfare/child_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"

namespace civil::childwelfare {

class SummaryServiceImpl final : public v1::ChildWelfareSummaryService::Service {
 public:
  // `children` is not owned.
  SummaryServiceImpl(ChildStore* children, Clock today);

  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  ChildStore* children_;
  Clock today_;
};

}  // namespace civil::childwelfare
