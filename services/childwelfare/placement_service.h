// gRPC adapter of civil.childwelfare.v1.PlacementService: authorisation and region scope,
// request validation (placement.h), proto ⇄ domain and status mapping. No SQL here.
#pragma once

#include "civil/childwelfare/v1/placement.grpc.pb.h"
#include "services/childwelfare/placement_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"

namespace civil::childwelfare {

class PlacementServiceImpl final : public v1::PlacementService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  PlacementServiceImpl(PlacementStore* store, Clock today);

  grpc::Status ProposePlacementChange(grpc::ServerContext* context,
                                      const v1::ProposePlacementChangeRequest* request,
                                      v1::ProposePlacementChangeResponse* response) override;
  grpc::Status DecidePlacementChange(grpc::ServerContext* context,
                                     const v1::DecidePlacementChangeRequest* request,
                                     v1::DecidePlacementChangeResponse* response) override;
  grpc::Status ListPlacementChanges(grpc::ServerContext* context,
                                    const v1::ListPlacementChangesRequest* request,
                                    v1::ListPlacementChangesResponse* response) override;

 private:
  PlacementStore* store_;
  Clock today_;
};

}  // namespace civil::childwelfare
