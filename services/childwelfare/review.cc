#include "services/childwelfare/review.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::childwelfare {

absl::CivilDay ReviewDueOn(absl::CivilDay approved_on, std::optional<absl::CivilDay> last_review) {
  return BirthdayAt(last_review.value_or(approved_on), 1);
}

ReviewStanding StandingOn(absl::CivilDay due_on, absl::CivilDay as_of) {
  if (due_on < as_of) return ReviewStanding::kOverdue;
  if (due_on - as_of <= kReviewLeadDays) return ReviewStanding::kDue;
  return ReviewStanding::kNotDue;
}

absl::StatusOr<ReviewDraft> ValidateReview(const ReviewInput& input, absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(kParentSituationNames.Require("father", input.father));
  CIVIL_RETURN_IF_ERROR(kParentSituationNames.Require("mother", input.mother));
  ReviewDraft draft;
  draft.father = static_cast<ParentSituation>(input.father);
  draft.mother = static_cast<ParentSituation>(input.mother);
  draft.guardian_confirmed = input.guardian_confirmed;
  draft.placement_confirmed = input.placement_confirmed;
  draft.in_school = input.in_school;
  if (input.in_school) {
    CIVIL_ASSIGN_OR_RETURN(draft.school, RequiredText("school", input.school, 100,
                                                      "is required when the child is in school"));
  } else if (!input.school.empty()) {
    return InvalidField("school", "must be empty when the child is not in school");
  }
  CIVIL_ASSIGN_OR_RETURN(draft.findings,
                         RequiredText("findings", input.findings, 2000,
                                      "a review records what was found", TextLines::kMany));
  CIVIL_RETURN_IF_ERROR(kReviewOutcomeNames.Require("proposed", input.proposed));
  draft.proposed = static_cast<ReviewOutcome>(input.proposed);
  CIVIL_ASSIGN_OR_RETURN(draft.on, EventDate("review_date", input.review_date, today));
  return draft;
}

absl::Status CheckProposal(Category category, ReviewDraft& draft) {
  draft.grounds_hold = CheckGrounds(category, draft.father, draft.mother).ok();
  if (draft.proposed == ReviewOutcome::kContinue) {
    if (!draft.grounds_hold) {
      return InvalidField(
          "proposed",
          absl::StrCat("CONTINUE, but the parents found no longer make the case ",
                       kCategoryNames.Name(static_cast<int>(category)), "; propose STOP"));
    }
    if (!draft.guardian_confirmed || !draft.placement_confirmed) {
      return InvalidField("proposed",
                          "CONTINUE with the guardian or placement on file not confirmed; record "
                          "the change (PlacementService) first, or propose STOP");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckReviewable(ChildStatus status, std::optional<absl::CivilDay> approved_on,
                             absl::CivilDay on) {
  if (status != ChildStatus::kActive || !approved_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("child_id: the case is ", kChildStatusNames.Name(static_cast<int>(status)),
                     "; only an active case is reviewed"));
  }
  if (on < *approved_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("review_date: must not be before the approval ", FormatDay(*approved_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckReviewDecision(ReviewStatus status, absl::string_view prepared_by,
                                 absl::string_view decider, absl::CivilDay review_date,
                                 bool grounds_hold, ReviewOutcome outcome, absl::CivilDay on) {
  if (status != ReviewStatus::kPrepared) {
    return absl::FailedPreconditionError("review_id: the review is decided already");
  }
  if (prepared_by == decider) {
    return absl::PermissionDeniedError(
        "maker-checker: the review must be decided by another person than the one who prepared "
        "it");
  }
  if (on < review_date) {
    return absl::FailedPreconditionError(
        absl::StrCat("decision_date: must not be before the review date ", FormatDay(review_date)));
  }
  if (outcome == ReviewOutcome::kContinue && !grounds_hold) {
    return absl::FailedPreconditionError(
        "outcome: CONTINUE, but the parents found no longer make the case's category");
  }
  return absl::OkStatus();
}

StopReason ReviewStopReason(ParentSituation father, ParentSituation mother) {
  if (father == ParentSituation::kAble || mother == ParentSituation::kAble) {
    return StopReason::kGuardianshipReturned;
  }
  return StopReason::kReviewIneligible;
}

}  // namespace civil::childwelfare
