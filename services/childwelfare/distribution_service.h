// gRPC adapter of civil.childwelfare.v1.CareDistributionService: authorisation and region scope,
// request validation (distribution.h), proto ⇄ domain (children's names as NameView shows them)
// and status mapping. No SQL here.
#pragma once

#include "civil/childwelfare/v1/distribution.grpc.pb.h"
#include "services/childwelfare/distribution_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"

namespace civil::childwelfare {

class DistributionServiceImpl final : public v1::CareDistributionService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  // None is owned; `id_views` keeps the trail of the full names shown (name_view.h).
  DistributionServiceImpl(DistributionStore* store, IdViewLog* id_views, Clock today);

  grpc::Status RecordDistribution(grpc::ServerContext* context,
                                  const v1::RecordDistributionRequest* request,
                                  v1::RecordDistributionResponse* response) override;
  grpc::Status ListDistributions(grpc::ServerContext* context,
                                 const v1::ListDistributionsRequest* request,
                                 v1::ListDistributionsResponse* response) override;

 private:
  DistributionStore* store_;
  IdViewLog* id_views_;
  Clock today_;
};

}  // namespace civil::childwelfare
