// gRPC adapter of civil.eldercare.v1.EldercareSummaryService: the period's elderly-care figures
// (so far the 高龄津贴) within the caller's region, with the report's own sentence. No SQL here.
#pragma once

#include "civil/eldercare/v1/summary.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/eldercare/allowance_store.h"

namespace civil::eldercare {

class SummaryServiceImpl final : public v1::EldercareSummaryService::Service {
 public:
  // `allowances` is not owned.
  SummaryServiceImpl(AllowanceStore* allowances, Clock today);

  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  AllowanceStore* allowances_;
  Clock today_;
};

}  // namespace civil::eldercare
