// gRPC adapters of EnrolmentService (read, list, exit) and EnrolmentCheckService (whether a
// person is enrolled, for other departments).
#pragma once

#include "civil/assistance/v1/programme.grpc.pb.h"
#include "services/assistance/enrolment_store.h"
#include "services/common/clock.h"
#include "services/common/pii.h"

namespace civil::assistance {

class EnrolmentServiceImpl final : public v1::EnrolmentService::Service {
 public:
  explicit EnrolmentServiceImpl(EnrolmentStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status GetEnrolment(grpc::ServerContext* context, const v1::GetEnrolmentRequest* request,
                            v1::GetEnrolmentResponse* response) override;
  grpc::Status ListEnrolments(grpc::ServerContext* context,
                              const v1::ListEnrolmentsRequest* request,
                              v1::ListEnrolmentsResponse* response) override;
  grpc::Status ExitEnrolment(grpc::ServerContext* context, const v1::ExitEnrolmentRequest* request,
                             v1::ExitEnrolmentResponse* response) override;

 private:
  EnrolmentStore* store_;
  Clock clock_;
};

class EnrolmentCheckServiceImpl final : public v1::EnrolmentCheckService::Service {
 public:
  EnrolmentCheckServiceImpl(EnrolmentStore* store, const PiiProtector* pii,
                            Clock clock = SystemClock())
      : store_(store), pii_(pii), clock_(std::move(clock)) {}
  grpc::Status CheckEnrolment(grpc::ServerContext* context,
                              const v1::CheckEnrolmentRequest* request,
                              v1::CheckEnrolmentResponse* response) override;

 private:
  EnrolmentStore* store_;
  const PiiProtector* pii_;
  Clock clock_;
};

}  // namespace civil::assistance
