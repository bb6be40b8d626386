// gRPC adapter of ApplicationService: the application workflow (file, investigate, publish,
// object, approve, reject) and its reads.
#pragma once

#include "civil/assistance/v1/programme.grpc.pb.h"
#include "services/assistance/application_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class ApplicationServiceImpl final : public v1::ApplicationService::Service {
 public:
  // `clock` gives the day a step without a date happened on, and the day dates are checked against.
  explicit ApplicationServiceImpl(ApplicationStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status CreateApplication(grpc::ServerContext* context,
                                 const v1::CreateApplicationRequest* request,
                                 v1::CreateApplicationResponse* response) override;
  grpc::Status GetApplication(grpc::ServerContext* context,
                              const v1::GetApplicationRequest* request,
                              v1::GetApplicationResponse* response) override;
  grpc::Status ListApplications(grpc::ServerContext* context,
                                const v1::ListApplicationsRequest* request,
                                v1::ListApplicationsResponse* response) override;
  grpc::Status InvestigateApplication(grpc::ServerContext* context,
                                      const v1::InvestigateApplicationRequest* request,
                                      v1::InvestigateApplicationResponse* response) override;
  grpc::Status PublishApplication(grpc::ServerContext* context,
                                  const v1::PublishApplicationRequest* request,
                                  v1::PublishApplicationResponse* response) override;
  grpc::Status RecordObjection(grpc::ServerContext* context,
                               const v1::RecordObjectionRequest* request,
                               v1::RecordObjectionResponse* response) override;
  grpc::Status ApproveApplication(grpc::ServerContext* context,
                                  const v1::ApproveApplicationRequest* request,
                                  v1::ApproveApplicationResponse* response) override;
  grpc::Status RejectApplication(grpc::ServerContext* context,
                                 const v1::RejectApplicationRequest* request,
                                 v1::RejectApplicationResponse* response) override;

 private:
  ApplicationStore* store_;
  Clock clock_;
};

}  // namespace civil::assistance
