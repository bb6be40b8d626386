// gRPC adapter of civil.eldercare.v1.HomeCareService (居家养老服务补贴): authorisation and region
// scope, request validation (homecare.h), proto ⇄ domain and status mapping. No SQL here
// (HomeCareStore) and no rules.
#pragma once

#include "civil/eldercare/v1/homecare.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/eldercare/homecare_store.h"

namespace civil::eldercare {

class HomeCareServiceImpl final : public v1::HomeCareService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  HomeCareServiceImpl(HomeCareStore* store, Clock today);

  grpc::Status AssessPerson(grpc::ServerContext* context, const v1::AssessPersonRequest* request,
                            v1::AssessPersonResponse* response) override;
  grpc::Status ApproveSubsidy(grpc::ServerContext* context,
                              const v1::ApproveSubsidyRequest* request,
                              v1::ApproveSubsidyResponse* response) override;
  grpc::Status StopSubsidy(grpc::ServerContext* context, const v1::StopSubsidyRequest* request,
                           v1::StopSubsidyResponse* response) override;
  grpc::Status GetSubsidy(grpc::ServerContext* context, const v1::GetSubsidyRequest* request,
                          v1::GetSubsidyResponse* response) override;
  grpc::Status ListSubsidies(grpc::ServerContext* context, const v1::ListSubsidiesRequest* request,
                             v1::ListSubsidiesResponse* response) override;
  grpc::Status SetLevelSchedule(grpc::ServerContext* context,
                                const v1::SetLevelScheduleRequest* request,
                                v1::SetLevelScheduleResponse* response) override;
  grpc::Status ListLevelSchedules(grpc::ServerContext* context,
                                  const v1::ListLevelSchedulesRequest* request,
                                  v1::ListLevelSchedulesResponse* response) override;
  grpc::Status RunSubsidyPayments(grpc::ServerContext* context,
                                  const v1::RunSubsidyPaymentsRequest* request,
                                  v1::RunSubsidyPaymentsResponse* response) override;

 private:
  HomeCareStore* store_;
  Clock today_;
};

}  // namespace civil::eldercare
