// gRPC adapter of civil.affairs.v1.FuneralService: authorisation and region scope, request
// validation (funeral.h, project.h), proto ⇄ domain and status mapping. No SQL here
// (FuneralStore, ProjectStore) and no rules.
#pragma once

#include "civil/affairs/v1/funeral.grpc.pb.h"
#include "services/affairs/funeral_store.h"
#include "services/affairs/project_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"

namespace civil::affairs {

class FuneralServiceImpl final : public v1::FuneralService::Service {
 public:
  // Neither store is owned. `today` gives the current date.
  FuneralServiceImpl(FuneralStore* store, ProjectStore* projects, Clock today);

  grpc::Status RecordCremation(grpc::ServerContext* context,
                               const v1::RecordCremationRequest* request,
                               v1::RecordCremationResponse* response) override;
  grpc::Status GetCremation(grpc::ServerContext* context, const v1::GetCremationRequest* request,
                            v1::GetCremationResponse* response) override;
  grpc::Status ListCremations(grpc::ServerContext* context,
                              const v1::ListCremationsRequest* request,
                              v1::ListCremationsResponse* response) override;
  grpc::Status SetFuneralFeeSchedule(grpc::ServerContext* context,
                                     const v1::SetFuneralFeeScheduleRequest* request,
                                     v1::SetFuneralFeeScheduleResponse* response) override;
  grpc::Status ListFuneralFeeSchedules(grpc::ServerContext* context,
                                       const v1::ListFuneralFeeSchedulesRequest* request,
                                       v1::ListFuneralFeeSchedulesResponse* response) override;
  grpc::Status CreateCemeteryProject(grpc::ServerContext* context,
                                     const v1::CreateCemeteryProjectRequest* request,
                                     v1::CreateCemeteryProjectResponse* response) override;
  grpc::Status RecordCemeteryMilestone(grpc::ServerContext* context,
                                       const v1::RecordCemeteryMilestoneRequest* request,
                                       v1::RecordCemeteryMilestoneResponse* response) override;
  grpc::Status ListCemeteryProjects(grpc::ServerContext* context,
                                    const v1::ListCemeteryProjectsRequest* request,
                                    v1::ListCemeteryProjectsResponse* response) override;
  grpc::Status RecordVehicleCase(grpc::ServerContext* context,
                                 const v1::RecordVehicleCaseRequest* request,
                                 v1::RecordVehicleCaseResponse* response) override;
  grpc::Status ListVehicleCases(grpc::ServerContext* context,
                                const v1::ListVehicleCasesRequest* request,
                                v1::ListVehicleCasesResponse* response) override;

 private:
  FuneralStore* store_;
  ProjectStore* projects_;
  Clock today_;
};

}  // namespace civil::affairs
