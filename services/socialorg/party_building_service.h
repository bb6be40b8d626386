// gRPC adapter of civil.socialorg.v1.PartyBuildingService: records of party building per
// organisation and the counts as of a day; authorisation, region scope, request →
// party_building.h values. No SQL here.
#pragma once

#include "civil/socialorg/v1/party.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/party_building_store.h"

namespace civil::socialorg {

class PartyBuildingServiceImpl final : public v1::PartyBuildingService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  PartyBuildingServiceImpl(PartyBuildingStore* store, Clock today);

  grpc::Status RecordPartyBuilding(grpc::ServerContext* context,
                                   const v1::RecordPartyBuildingRequest* request,
                                   v1::RecordPartyBuildingResponse* response) override;
  grpc::Status GetPartyBuilding(grpc::ServerContext* context,
                                const v1::GetPartyBuildingRequest* request,
                                v1::GetPartyBuildingResponse* response) override;
  grpc::Status CountPartyBuilding(grpc::ServerContext* context,
                                  const v1::CountPartyBuildingRequest* request,
                                  v1::CountPartyBuildingResponse* response) override;

 private:
  PartyBuildingStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg
