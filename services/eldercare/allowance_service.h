// gRPC adapter of civil.eldercare.v1.AllowanceService: authorisation and region scope, request
// validation (allowance.h), the low-income check through EnrolmentCheckClient (outside any
// database transaction), proto ⇄ domain and status mapping. No SQL here (AllowanceStore) and no
// rules.
#pragma once

#include "civil/eldercare/v1/allowance.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/enrolment_check.h"
#include "services/eldercare/allowance_store.h"

namespace civil::eldercare {

class AllowanceServiceImpl final : public v1::AllowanceService::Service {
 public:
  // Neither is owned. `today` gives the current date.
  AllowanceServiceImpl(AllowanceStore* store, EnrolmentCheckClient* assistance, Clock today);

  grpc::Status EnrolPerson(grpc::ServerContext* context, const v1::EnrolPersonRequest* request,
                           v1::EnrolPersonResponse* response) override;
  grpc::Status ApproveEnrolment(grpc::ServerContext* context,
                                const v1::ApproveEnrolmentRequest* request,
                                v1::ApproveEnrolmentResponse* response) override;
  grpc::Status RecheckEligibility(grpc::ServerContext* context,
                                  const v1::RecheckEligibilityRequest* request,
                                  v1::RecheckEligibilityResponse* response) override;
  grpc::Status StopEnrolment(grpc::ServerContext* context, const v1::StopEnrolmentRequest* request,
                             v1::StopEnrolmentResponse* response) override;
  grpc::Status GetEnrolment(grpc::ServerContext* context, const v1::GetEnrolmentRequest* request,
                            v1::GetEnrolmentResponse* response) override;
  grpc::Status ListEnrolments(grpc::ServerContext* context,
                              const v1::ListEnrolmentsRequest* request,
                              v1::ListEnrolmentsResponse* response) override;
  grpc::Status SetTierSchedule(grpc::ServerContext* context,
                               const v1::SetTierScheduleRequest* request,
                               v1::SetTierScheduleResponse* response) override;
  grpc::Status ListTierSchedules(grpc::ServerContext* context,
                                 const v1::ListTierSchedulesRequest* request,
                                 v1::ListTierSchedulesResponse* response) override;
  grpc::Status RunPayments(grpc::ServerContext* context, const v1::RunPaymentsRequest* request,
                           v1::RunPaymentsResponse* response) override;

 private:
  AllowanceStore* store_;
  EnrolmentCheckClient* assistance_;
  Clock today_;
};

}  // namespace civil::eldercare
