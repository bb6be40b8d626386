// Rules of reviews (复审复核): outcomes, the new amount, the month a review takes effect — pure
// C++, no SQL or gRPC.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/assistance/benefit.h"
#include "services/common/money.h"

namespace civil::assistance {

// Numbers match civil.assistance.v1.ReviewOutcome.
enum class ReviewOutcome { kIncrease = 1, kDecrease = 2, kStop = 3, kUnchanged = 4 };
absl::string_view ReviewOutcomeName(ReviewOutcome outcome);
absl::StatusOr<ReviewOutcome> ReviewOutcomeFromName(absl::string_view name);

// For INCREASE the new amount must be above the current one, for DECREASE below it (and not
// negative): FAILED_PRECONDITION "new_monthly_amount_fen: …" naming the current amount.
absl::Status CheckReviewAmount(ReviewOutcome outcome, Money current, Money proposed);

// The first month a review decided on `decided_on` changes: the month after the decision, or
// the month after the last month already paid when that is later (payments are never
// rewritten).
absl::CivilMonth ReviewEffectiveMonth(absl::CivilDay decided_on,
                                      std::optional<absl::CivilMonth> last_paid);

// The month a STOP decided on `decided_on` takes effect: the month after the decision.
absl::CivilMonth StopEffectiveMonth(absl::CivilDay decided_on);

// An active-or-not enrolment as a review of it needs it.
struct ReviewedEnrolment {
  Programme programme = Programme::kDibao;
  bool urban = false;
  bool active = true;
  absl::CivilMonth start;                     // the enrolment's first month
  std::optional<absl::CivilMonth> last_paid;  // the last month of a regular payment
};

// The month an INCREASE, DECREASE or UNCHANGED review decided on `decided_on` takes effect:
// ReviewEffectiveMonth, never before the enrolment's first month. FAILED_PRECONDITION
// "enrolment_id: the enrolment has ended already" for an enrolment no longer active.
absl::StatusOr<absl::CivilMonth> ReviewStart(const ReviewedEnrolment& enrolment,
                                             absl::CivilDay decided_on);

// What such a review decides from its month `effective` on.
struct ReviewDecision {
  Money amount;                 // the monthly amount from `effective`
  bool amount_changes = false;  // INCREASE / DECREASE: a new amount from `effective`
  absl::CivilDay next_review_due;
};

// `current` is the amount in force in `effective`, `proposed` the review's new amount: for
// INCREASE and DECREASE it must agree with the outcome (CheckReviewAmount) and becomes the
// amount; otherwise the amount stays. The next review is due as ReviewDue from `effective`.
absl::StatusOr<ReviewDecision> DecideReview(const AssistanceRules& rules,
                                            const ReviewedEnrolment& enrolment,
                                            ReviewOutcome outcome, absl::CivilMonth effective,
                                            Money current, Money proposed);

}  // namespace civil::assistance
