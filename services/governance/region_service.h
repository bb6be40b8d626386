// gRPC adapter of civil.governance.v1.RegionService: authorisation and region scope, request
// validation (region.h), proto ⇄ domain and status mapping. No SQL here (RegionStore).
#pragma once

#include "civil/governance/v1/region.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/region_store.h"

namespace civil::governance {

class RegionServiceImpl final : public v1::RegionService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  RegionServiceImpl(RegionStore* store, Clock today);

  grpc::Status GetRegion(grpc::ServerContext* context, const v1::GetRegionRequest* request,
                         v1::GetRegionResponse* response) override;
  grpc::Status ListRegions(grpc::ServerContext* context, const v1::ListRegionsRequest* request,
                           v1::ListRegionsResponse* response) override;
  grpc::Status AddRegion(grpc::ServerContext* context, const v1::AddRegionRequest* request,
                         v1::AddRegionResponse* response) override;
  grpc::Status RenameRegion(grpc::ServerContext* context, const v1::RenameRegionRequest* request,
                            v1::RenameRegionResponse* response) override;
  grpc::Status MergeVillage(grpc::ServerContext* context, const v1::MergeVillageRequest* request,
                            v1::MergeVillageResponse* response) override;

 private:
  RegionStore* store_;
  Clock today_;
};

}  // namespace civil::governance
