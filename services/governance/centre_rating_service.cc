#include "services/governance/centre_rating_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.CentreRatingService";

void ToProto(const RatingRecord& r, v1::CentreRating* out) {
  out->set_village_code(r.village_code);
  out->set_centre(r.centre);
  out->set_year(r.year);
  out->set_stars(r.stars);
  out->set_rated_date(FormatDay(r.rated_on));
  out->set_rated_by(r.rated_by);
}

}  // namespace

CentreRatingServiceImpl::CentreRatingServiceImpl(CentreRatingStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status CentreRatingServiceImpl::RateCentre(grpc::ServerContext* context,
                                                 const v1::RateCentreRequest* request,
                                                 v1::RateCentreResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RateCentre"));
    CIVIL_ASSIGN_OR_RETURN(
        const RatingDraft draft,
        ValidateRating(request->village_code(), request->centre(), request->year(),
                       request->stars(), request->rated_date(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", draft.village.value()));
    CIVIL_ASSIGN_OR_RETURN(const RatingRecord rating, store_->Rate(draft, caller.subject));
    ToProto(rating, response->mutable_rating());
    return absl::OkStatus();
  });
}

grpc::Status CentreRatingServiceImpl::ListCentreRatings(grpc::ServerContext* context,
                                                        const v1::ListCentreRatingsRequest* request,
                                                        v1::ListCentreRatingsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListCentreRatings"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    if (request->year() < 2000) return InvalidField("year", "is required (2000 or later)");
    CIVIL_ASSIGN_OR_RETURN(const std::vector<RatingRecord> ratings,
                           store_->OfYear(request->year(), prefix));
    for (const RatingRecord& r : ratings) ToProto(r, response->add_ratings());
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
