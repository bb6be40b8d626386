#include "services/childwelfare/review_service.h"

#include <utility>

#include "services/childwelfare/name_view.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/paging.h"

namespace civil::childwelfare {
namespace {

constexpr absl::string_view kService = "civil.childwelfare.v1.ChildReviewService";
constexpr absl::string_view kDueKind = "childwelfare-reviews-due";

void ToProto(const ReviewRecord& r, v1::Review* out) {
  out->set_review_id(r.review_id);
  out->set_child_id(r.child_id);
  out->set_review_date(FormatDay(r.draft.on));
  out->set_father(static_cast<v1::ParentSituation>(r.draft.father));
  out->set_mother(static_cast<v1::ParentSituation>(r.draft.mother));
  out->set_guardian_confirmed(r.draft.guardian_confirmed);
  out->set_placement_confirmed(r.draft.placement_confirmed);
  out->set_in_school(r.draft.in_school);
  out->set_school(r.draft.school);
  out->set_findings(r.draft.findings);
  out->set_proposed(static_cast<v1::ReviewOutcome>(r.draft.proposed));
  out->set_grounds_hold(r.draft.grounds_hold);
  out->set_prepared_by(r.prepared_by);
  out->set_status(static_cast<v1::ReviewStatus>(r.status));
  if (r.outcome) out->set_outcome(static_cast<v1::ReviewOutcome>(*r.outcome));
  out->set_decided_by(r.decided_by);
  if (r.decided_on) out->set_decision_date(FormatDay(*r.decided_on));
  out->set_decision_note(r.decision_note);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

}  // namespace

ReviewServiceImpl::ReviewServiceImpl(ReviewStore* store, IdViewLog* id_views, Clock today)
    : store_(store), id_views_(id_views), today_(std::move(today)) {}

grpc::Status ReviewServiceImpl::PrepareReview(grpc::ServerContext* context,
                                              const v1::PrepareReviewRequest* request,
                                              v1::PrepareReviewResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "PrepareReview"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_ASSIGN_OR_RETURN(
        ReviewDraft draft,
        ValidateReview(
            ReviewInput{request->father(), request->mother(), request->guardian_confirmed(),
                        request->placement_confirmed(), request->in_school(), request->school(),
                        request->findings(), request->proposed(), request->review_date()},
            today_()));
    CIVIL_ASSIGN_OR_RETURN(const ReviewRecord record,
                           store_->Prepare(request->child_id(), std::move(draft), caller.subject,
                                           RegionCheck(caller)));
    ToProto(record, response->mutable_review());
    return absl::OkStatus();
  });
}

grpc::Status ReviewServiceImpl::DecideReview(grpc::ServerContext* context,
                                             const v1::DecideReviewRequest* request,
                                             v1::DecideReviewResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "DecideReview"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("review_id", request->review_id()));
    CIVIL_RETURN_IF_ERROR(kReviewOutcomeNames.Require("outcome", request->outcome()));
    const auto outcome = static_cast<ReviewOutcome>(request->outcome());
    std::string note;
    if (outcome == ReviewOutcome::kStop) {
      CIVIL_ASSIGN_OR_RETURN(note, RequiredText("note", request->note(), 500,
                                                "a STOP decision needs a written reason"));
    } else {
      CIVIL_ASSIGN_OR_RETURN(note, BoundedText("note", request->note(), 500, /*required=*/false));
    }
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const ReviewDecision decision,
                           store_->Decide(request->review_id(), caller.subject, outcome, note, on,
                                          RegionCheck(caller)));
    if (outcome == ReviewOutcome::kStop) {
      Log(LogLevel::kInfo, "child allowance stopped by the yearly review",
          {{"child_id", absl::string_view(decision.review.child_id)},
           {"end_month", absl::string_view(FormatMonth(*decision.end_month))}});
    }
    ToProto(decision.review, response->mutable_review());
    response->set_child_status(static_cast<v1::ChildStatus>(decision.child_status));
    if (decision.end_month) response->set_end_month(FormatMonth(*decision.end_month));
    return absl::OkStatus();
  });
}

grpc::Status ReviewServiceImpl::ListReviews(grpc::ServerContext* context,
                                            const v1::ListReviewsRequest* request,
                                            v1::ListReviewsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListReviews"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<ReviewRecord> reviews,
                           store_->List(request->child_id(), RegionCheck(caller)));
    for (const ReviewRecord& r : reviews) ToProto(r, response->add_reviews());
    return absl::OkStatus();
  });
}

grpc::Status ReviewServiceImpl::ListReviewsDue(grpc::ServerContext* context,
                                               const v1::ListReviewsDueRequest* request,
                                               v1::ListReviewsDueResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListReviewsDue"));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of,
                           EventDate("as_of", request->as_of(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t skip, DecodeOffsetToken(kDueKind, request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<ReviewDueRecord> due, store_->Due(prefix, as_of));
    const NameView names(caller);
    int overdue = 0;
    for (size_t i = 0; i < due.size(); ++i) {
      const ReviewDueRecord& d = due[i];
      if (d.overdue) ++overdue;
      if (i < static_cast<size_t>(skip) || i >= static_cast<size_t>(skip + size)) continue;
      v1::ReviewDue* out = response->add_reviews();
      out->set_child_id(d.child_id);
      out->set_name(names.Shown(d.name, d.region_code,
                                {"child_name", d.child_id, "", d.id_masked, d.region_code}));
      out->set_id_number_masked(d.id_masked);
      out->set_region_code(d.region_code);
      out->set_category(static_cast<v1::Category>(d.category));
      out->set_due_date(FormatDay(d.due_on));
      out->set_overdue(d.overdue);
      if (d.last_review) out->set_last_review_date(FormatDay(*d.last_review));
      out->set_open_review_id(d.open_review_id);
    }
    response->set_overdue(overdue);
    if (static_cast<size_t>(skip + size) < due.size()) {
      response->set_next_page_token(EncodePageToken(kDueKind, skip + size + 1));
    }
    return names.Record(*id_views_, caller, "ListReviewsDue", response);
  });
}

}  // namespace civil::childwelfare
