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

constexpr absl::string_view kService = "civil.assistance.v1.ReviewService";

grpc::Status ReviewServiceImpl::ListReviewsDue(grpc::ServerContext* context,
                                               const v1::ListReviewsDueRequest* request,
                                               v1::ListReviewsDueResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListReviewsDue"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    // A worklist may look ahead: any date, default "due today or earlier".
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> asked,
                           OptionalDate("due_before", request->due_before()));
    const absl::CivilDay due_before = asked.value_or(clock_() + 1);
    if (request->programme() != 0) {
      CIVIL_RETURN_IF_ERROR(ProgrammeFromNumber(request->programme(), "programme").status());
    }
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("reviews-due", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->ListDue(prefix, due_before, request->programme(),
                                                      after, size, clock_()));
    for (auto& item : list.items) *response->add_enrolments() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("reviews-due", list.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status ReviewServiceImpl::RecordReview(grpc::ServerContext* context,
                                             const v1::RecordReviewRequest* request,
                                             v1::RecordReviewResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RecordReview"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("enrolment_id", request->enrolment_id()));
    if (request->outcome() < 1 || request->outcome() > 4) {
      return InvalidField("outcome", "must be given");
    }
    ReviewDraft draft;
    draft.enrolment_id = request->enrolment_id();
    draft.outcome = static_cast<ReviewOutcome>(request->outcome());
    const bool changes_amount =
        draft.outcome == ReviewOutcome::kIncrease || draft.outcome == ReviewOutcome::kDecrease;
    if (changes_amount) {
      if (request->new_monthly_amount_fen() < 0) {
        return InvalidField("new_monthly_amount_fen", "must not be negative");
      }
      if (request->new_monthly_amount_fen() > kMaxAmountFen) {
        return InvalidField("new_monthly_amount_fen", "is implausibly large");
      }
      draft.new_amount = Money::Fen(request->new_monthly_amount_fen());
    } else if (request->new_monthly_amount_fen() != 0) {
      return InvalidField("new_monthly_amount_fen", "only for an increase or a decrease");
    }
    if (draft.outcome == ReviewOutcome::kStop) {
      if (request->exit_reason() < 1 || request->exit_reason() > 5) {
        return InvalidField("exit_reason", "a stop needs the exit reason");
      }
      draft.exit_reason = static_cast<ExitReason>(request->exit_reason());
      if (request->phase_out() && draft.exit_reason != ExitReason::kIneligibleIncome) {
        return InvalidField("phase_out", "only for EXIT_REASON_INELIGIBLE_INCOME (渐退)");
      }
      draft.phase_out = request->phase_out();
    } else if (request->exit_reason() != 0 || request->phase_out()) {
      return InvalidField(request->exit_reason() != 0 ? "exit_reason" : "phase_out",
                          "only for REVIEW_OUTCOME_STOP");
    }
    if (draft.outcome == ReviewOutcome::kStop || draft.outcome == ReviewOutcome::kDecrease) {
      CIVIL_RETURN_IF_ERROR(RequiredText("reason", request->reason(), kMaxNote,
                                         "a decrease or a stop needs a written reason",
                                         TextLines::kMany)
                                .status());
    } else {
      CIVIL_RETURN_IF_ERROR(
          BoundedText("reason", request->reason(), kMaxNote, false, TextLines::kMany).status());
    }
    draft.reason = request->reason();
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("decided_on", request->decided_on(), today));
    draft.decided_on = on;
    if (draft.outcome == ReviewOutcome::kStop) {
      // The exit is the enrolment's own rule (member end months, phase-out, events): carried out
      // by EnrolmentStore::Exit, then the review is recorded against it.
      const absl::CivilMonth effective = StopEffectiveMonth(draft.decided_on);
      CIVIL_ASSIGN_OR_RETURN(
          v1::Enrolment ended,
          enrolments_->Exit(ActorOf(caller), draft.enrolment_id, "", draft.exit_reason, effective,
                            draft.phase_out, draft.reason, draft.decided_on, today));
      CIVIL_ASSIGN_OR_RETURN(v1::Review review,
                             store_->RecordStop(ActorOf(caller), draft, ended, effective, today));
      *response->mutable_review() = std::move(review);
      *response->mutable_enrolment() = std::move(ended);
      return absl::OkStatus();
    }
    CIVIL_ASSIGN_OR_RETURN(auto recorded, store_->Record(ActorOf(caller), draft, today));
    *response->mutable_review() = std::move(recorded.first);
    *response->mutable_enrolment() = std::move(recorded.second);
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance
