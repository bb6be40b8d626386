// The yearly review (年度复核) of every approved 孤儿 / 事实无人抚养儿童 case (pure C++ on Abseil):
// when a case is due, what a township clerk records (the parents' situations now, whether the
// guardian and placement on file still hold, schooling), and the county reviewer's decision —
// another person than the one who prepared it — to continue the allowance or to stop it.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/childwelfare/child.h"

namespace civil::childwelfare {

// Numbers match civil.childwelfare.v1.ReviewOutcome.
enum class ReviewOutcome { kContinue = 1, kStop = 2 };
inline constexpr absl::string_view kReviewOutcomeNameList[] = {"", "CONTINUE", "STOP"};
inline constexpr EnumNames kReviewOutcomeNames{kReviewOutcomeNameList};

// Numbers match civil.childwelfare.v1.ReviewStatus.
enum class ReviewStatus { kPrepared = 1, kDecided = 2 };
inline constexpr absl::string_view kReviewStatusNameList[] = {"", "PREPARED", "DECIDED"};
inline constexpr EnumNames kReviewStatusNames{kReviewStatusNameList};

// A case is listed this many days before its review falls due.
inline constexpr int kReviewLeadDays = 30;

// The day the next review falls due: one year after the last decided review's date, or after the
// approval when the case was never reviewed (29 February falls on 1 March).
absl::CivilDay ReviewDueOn(absl::CivilDay approved_on, std::optional<absl::CivilDay> last_review);

// Where a case stands on `as_of`: not listed (due more than kReviewLeadDays later), due (within
// the lead time or on the day), or overdue (the due day has passed).
enum class ReviewStanding { kNotDue, kDue, kOverdue };
ReviewStanding StandingOn(absl::CivilDay due_on, absl::CivilDay as_of);

// What the township clerk found, as entered.
struct ReviewInput {
  int father = 0;
  int mother = 0;
  bool guardian_confirmed = false;
  bool placement_confirmed = false;
  bool in_school = false;
  std::string school;
  std::string findings;
  int proposed = 0;
  std::string review_date;
};

struct ReviewDraft {
  ParentSituation father = ParentSituation::kAble;
  ParentSituation mother = ParentSituation::kAble;
  bool guardian_confirmed = false;
  bool placement_confirmed = false;
  bool in_school = false;
  std::string school;
  std::string findings;
  ReviewOutcome proposed = ReviewOutcome::kContinue;
  bool grounds_hold = false;  // CheckGrounds on the case's category with the parents found
  absl::CivilDay on;
};

// Validates the findings: the parents' situations, school 1–100 characters when `in_school` (else
// empty), findings 1–2000 characters (line breaks allowed), the proposed outcome, the review date
// (default `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<ReviewDraft> ValidateReview(const ReviewInput& input, absl::CivilDay today);

// Weighs the findings against the case's `category`: sets `grounds_hold` (CheckGrounds with the
// parents found). A proposal to continue when they no longer make the category, or with the
// guardian or placement on file not confirmed (the change is recorded first, PlacementService), is
// INVALID_ARGUMENT "proposed: …".
absl::Status CheckProposal(Category category, ReviewDraft& draft);

// A review may be prepared on `on` for a case in `status` approved on `approved_on`:
// FAILED_PRECONDITION "child_id: …" unless active, "review_date: …" before the approval.
absl::Status CheckReviewable(ChildStatus status, std::optional<absl::CivilDay> approved_on,
                             absl::CivilDay on);

// The decision: PERMISSION_DENIED "maker-checker: …" when `decider` prepared the review;
// FAILED_PRECONDITION unless it is PREPARED, or when `on` is before the review date; continuing
// when the grounds found do not hold is FAILED_PRECONDITION "outcome: …".
absl::Status CheckReviewDecision(ReviewStatus status, absl::string_view prepared_by,
                                 absl::string_view decider, absl::CivilDay review_date,
                                 bool grounds_hold, ReviewOutcome outcome, absl::CivilDay on);

// The stop an adverse decision on `on` makes: paid up to the month of the decision, the reason
// GUARDIANSHIP_RETURNED when a parent found is ABLE, REVIEW_INELIGIBLE otherwise.
StopReason ReviewStopReason(ParentSituation father, ParentSituation mother);

}  // namespace civil::childwelfare
