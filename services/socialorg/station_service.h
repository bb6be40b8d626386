// gRPC adapter of civil.socialorg.v1.StationService: social-work stations, their acceptance,
// yearly tasks and supervision visits, and the counts as of a day; authorisation, region scope,
// request → station.h values. No SQL here.
#pragma once

#include "civil/socialorg/v1/stations.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/station_store.h"

namespace civil::socialorg {

class StationServiceImpl final : public v1::StationService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  StationServiceImpl(StationStore* store, Clock today);

  grpc::Status CreateStation(grpc::ServerContext* context, const v1::CreateStationRequest* request,
                             v1::CreateStationResponse* response) override;
  grpc::Status GetStation(grpc::ServerContext* context, const v1::GetStationRequest* request,
                          v1::GetStationResponse* response) override;
  grpc::Status RecordAcceptance(grpc::ServerContext* context,
                                const v1::RecordAcceptanceRequest* request,
                                v1::RecordAcceptanceResponse* response) override;
  grpc::Status AddStationTask(grpc::ServerContext* context,
                              const v1::AddStationTaskRequest* request,
                              v1::AddStationTaskResponse* response) override;
  grpc::Status CompleteStationTask(grpc::ServerContext* context,
                                   const v1::CompleteStationTaskRequest* request,
                                   v1::CompleteStationTaskResponse* response) override;
  grpc::Status RecordStationVisit(grpc::ServerContext* context,
                                  const v1::RecordStationVisitRequest* request,
                                  v1::RecordStationVisitResponse* response) override;
  grpc::Status CountStations(grpc::ServerContext* context, const v1::CountStationsRequest* request,
                             v1::CountStationsResponse* response) override;

 private:
  StationStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg
