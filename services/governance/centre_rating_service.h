// gRPC adapter of civil.governance.v1.CentreRatingService: neighbourhood-centre star ratings.
// Authorisation and region scope, request validation (centre_rating.h), proto ⇄ domain and
// status mapping. No SQL here (CentreRatingStore).
#pragma once

#include "civil/governance/v1/centre_rating.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/centre_rating_store.h"

namespace civil::governance {

class CentreRatingServiceImpl final : public v1::CentreRatingService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  CentreRatingServiceImpl(CentreRatingStore* store, Clock today);

  grpc::Status RateCentre(grpc::ServerContext* context, const v1::RateCentreRequest* request,
                          v1::RateCentreResponse* response) override;
  grpc::Status ListCentreRatings(grpc::ServerContext* context,
                                 const v1::ListCentreRatingsRequest* request,
                                 v1::ListCentreRatingsResponse* response) override;

 private:
  CentreRatingStore* store_;
  Clock today_;
};

}  // namespace civil::governance
