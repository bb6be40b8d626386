// gRPC adapter of reviews (ReviewService): authorises the caller against the contract's access
// rule, validates the request naming the field, calls its store and maps the status once.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/enrolment_store.h"
#include "services/assistance/review_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class ReviewServiceImpl final : public v1::ReviewService::Service {
 public:
  // `enrolments` carries out a STOP (EnrolmentStore::Exit); not owned.
  ReviewServiceImpl(ReviewStore* store, EnrolmentStore* enrolments, Clock clock = SystemClock())
      : store_(store), enrolments_(enrolments), clock_(std::move(clock)) {}
  grpc::Status ListReviewsDue(grpc::ServerContext* context,
                              const v1::ListReviewsDueRequest* request,
                              v1::ListReviewsDueResponse* response) override;
  grpc::Status RecordReview(grpc::ServerContext* context, const v1::RecordReviewRequest* request,
                            v1::RecordReviewResponse* response) override;

 private:
  ReviewStore* store_;
  EnrolmentStore* enrolments_;
  Clock clock_;
};

}  // namespace civil::assistance
