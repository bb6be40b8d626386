// gRPC adapter of civil.childwelfare.v1.ChildReviewService: authorisation and region scope,
// request validation (review.h), proto ⇄ domain and status mapping. No SQL here (ReviewStore).
#pragma once

#include "civil/childwelfare/v1/review.grpc.pb.h"
#include "services/childwelfare/review_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"

namespace civil::childwelfare {

class ReviewServiceImpl final : public v1::ChildReviewService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  // None is owned; `id_views` keeps the trail of the full names shown (name_view.h).
  ReviewServiceImpl(ReviewStore* store, IdViewLog* id_views, Clock today);

  grpc::Status PrepareReview(grpc::ServerContext* context, const v1::PrepareReviewRequest* request,
                             v1::PrepareReviewResponse* response) override;
  grpc::Status DecideReview(grpc::ServerContext* context, const v1::DecideReviewRequest* request,
                            v1::DecideReviewResponse* response) override;
  grpc::Status ListReviews(grpc::ServerContext* context, const v1::ListReviewsRequest* request,
                           v1::ListReviewsResponse* response) override;
  grpc::Status ListReviewsDue(grpc::ServerContext* context,
                              const v1::ListReviewsDueRequest* request,
                              v1::ListReviewsDueResponse* response) override;

 private:
  ReviewStore* store_;
  IdViewLog* id_views_;
  Clock today_;
};

}  // namespace civil::childwelfare
