#include "services/assistance/review_service.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/household.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

grpc::Status ReviewServiceImpl::ListReviewsDue(grpc::ServerContext* context,
                                               const v1::ListReviewsDueRequest* request,
                                               v1::ListReviewsDueResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ReviewService::service_full_name(), "ListReviewsDue");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  // A worklist may look ahead: any date, default "due today or earlier".
  absl::CivilDay due_before = clock_() + 1;
  if (!request->due_before().empty()) {
    absl::StatusOr<absl::CivilDay> d = ParseDay(request->due_before());
    if (!d.ok()) return Fail(InvalidField("due_before", d.status().message()));
    due_before = *d;
  }
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("reviews-due", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->ListDue(*prefix, due_before, request->programme(), *after, *size, clock_());
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_enrolments() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("reviews-due", list->next_after));
  }
  return grpc::Status::OK;
}

grpc::Status ReviewServiceImpl::RecordReview(grpc::ServerContext* context,
                                             const v1::RecordReviewRequest* request,
                                             v1::RecordReviewResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ReviewService::service_full_name(), "RecordReview");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("enrolment_id", request->enrolment_id()); !s.ok()) {
    return Fail(s);
  }
  if (request->outcome() < 1 || request->outcome() > 4) {
    return Fail(InvalidField("outcome", "must be given"));
  }
  ReviewDraft draft;
  draft.enrolment_id = request->enrolment_id();
  draft.outcome = static_cast<ReviewOutcome>(request->outcome());
  const bool changes_amount =
      draft.outcome == ReviewOutcome::kIncrease || draft.outcome == ReviewOutcome::kDecrease;
  if (changes_amount) {
    if (request->new_monthly_amount_fen() < 0) {
      return Fail(InvalidField("new_monthly_amount_fen", "must not be negative"));
    }
    if (request->new_monthly_amount_fen() > kMaxAmountFen) {
      return Fail(InvalidField("new_monthly_amount_fen", "is implausibly large"));
    }
    draft.new_amount = Money::Fen(request->new_monthly_amount_fen());
  } else if (request->new_monthly_amount_fen() != 0) {
    return Fail(InvalidField("new_monthly_amount_fen", "only for an increase or a decrease"));
  }
  if (draft.outcome == ReviewOutcome::kStop) {
    if (request->exit_reason() < 1 || request->exit_reason() > 5) {
      return Fail(InvalidField("exit_reason", "a stop needs the exit reason"));
    }
    draft.exit_reason = static_cast<ExitReason>(request->exit_reason());
    if (request->phase_out() && draft.exit_reason != ExitReason::kIneligibleIncome) {
      return Fail(InvalidField("phase_out", "only for EXIT_REASON_INELIGIBLE_INCOME (渐退)"));
    }
    draft.phase_out = request->phase_out();
  } else if (request->exit_reason() != 0 || request->phase_out()) {
    return Fail(InvalidField(request->exit_reason() != 0 ? "exit_reason" : "phase_out",
                             "only for REVIEW_OUTCOME_STOP"));
  }
  if (draft.outcome == ReviewOutcome::kStop || draft.outcome == ReviewOutcome::kDecrease) {
    if (absl::Status s =
            RequiredText("reason", request->reason(), kMaxNote,
                         "a decrease or a stop needs a written reason", TextLines::kMany)
                .status();
        !s.ok()) {
      return Fail(s);
    }
  } else if (absl::Status s =
                 BoundedText("reason", request->reason(), kMaxNote, false, TextLines::kMany)
                     .status();
             !s.ok()) {
    return Fail(s);
  }
  draft.reason = request->reason();
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("decided_on", request->decided_on(), today);
  if (!on.ok()) return Fail(on);
  draft.decided_on = *on;
  if (draft.outcome == ReviewOutcome::kStop) {
    // The exit is the enrolment's own rule (member end months, phase-out, events): carried out
    // by EnrolmentStore::Exit, then the review is recorded against it.
    const absl::CivilMonth effective = StopEffectiveMonth(draft.decided_on);
    absl::StatusOr<v1::Enrolment> ended =
        enrolments_->Exit(ActorOf(*caller), draft.enrolment_id, "", draft.exit_reason, effective,
                          draft.phase_out, draft.reason, draft.decided_on, today);
    if (!ended.ok()) return Fail(ended);
    absl::StatusOr<v1::Review> review =
        store_->RecordStop(ActorOf(*caller), draft, *ended, effective, today);
    if (!review.ok()) return Fail(review);
    *response->mutable_review() = *std::move(review);
    *response->mutable_enrolment() = *std::move(ended);
    return grpc::Status::OK;
  }
  auto recorded = store_->Record(ActorOf(*caller), draft, today);
  if (!recorded.ok()) return Fail(recorded);
  *response->mutable_review() = std::move(recorded->first);
  *response->mutable_enrolment() = std::move(recorded->second);
  return grpc::Status::OK;
}

}  // namespace civil::assistance
