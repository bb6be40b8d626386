#include "services/assistance/review.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/assistance/benefit.h"
#include "services/common/config.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::assistance {
namespace {

constexpr absl::string_view kReviewOutcomeNames[] = {"", "INCREASE", "DECREASE", "STOP",
                                                     "UNCHANGED"};
constexpr EnumNames kReviewOutcomes(kReviewOutcomeNames);

}  // namespace

absl::string_view ReviewOutcomeName(ReviewOutcome outcome) {
  return kReviewOutcomes.Name(static_cast<int>(outcome));
}

absl::StatusOr<ReviewOutcome> ReviewOutcomeFromName(absl::string_view name) {
  const int i = kReviewOutcomes.Value(name);
  if (i == 0) return absl::InvalidArgumentError(absl::StrCat("unknown review outcome ", name));
  return static_cast<ReviewOutcome>(i);
}

absl::Status CheckReviewAmount(ReviewOutcome outcome, Money current, Money proposed) {
  if (proposed < Money()) {
    return InvalidField("new_monthly_amount_fen", "must not be negative");
  }
  if (outcome == ReviewOutcome::kIncrease && proposed <= current) {
    return absl::FailedPreconditionError(
        absl::StrCat("new_monthly_amount_fen: an increase must be above the current ",
                     absl::StrCat(current.ToYuan(), " yuan")));
  }
  if (outcome == ReviewOutcome::kDecrease && proposed >= current) {
    return absl::FailedPreconditionError(
        absl::StrCat("new_monthly_amount_fen: a decrease must be below the current ",
                     absl::StrCat(current.ToYuan(), " yuan")));
  }
  return absl::OkStatus();
}

absl::CivilMonth ReviewEffectiveMonth(absl::CivilDay decided_on,
                                      std::optional<absl::CivilMonth> last_paid) {
  absl::CivilMonth effective = absl::CivilMonth(decided_on) + 1;
  if (last_paid && *last_paid + 1 > effective) effective = *last_paid + 1;
  return effective;
}

absl::CivilMonth StopEffectiveMonth(absl::CivilDay decided_on) {
  return absl::CivilMonth(decided_on) + 1;
}

absl::StatusOr<absl::CivilMonth> ReviewStart(const ReviewedEnrolment& enrolment,
                                             absl::CivilDay decided_on) {
  if (!enrolment.active) {
    return absl::FailedPreconditionError("enrolment_id: the enrolment has ended already");
  }
  absl::CivilMonth effective = ReviewEffectiveMonth(decided_on, enrolment.last_paid);
  if (effective < enrolment.start) effective = enrolment.start;
  return effective;
}

absl::StatusOr<ReviewDecision> DecideReview(const AssistanceRules& rules,
                                            const ReviewedEnrolment& enrolment,
                                            ReviewOutcome outcome, absl::CivilMonth effective,
                                            Money current, Money proposed) {
  ReviewDecision d;
  d.amount = current;
  if (outcome == ReviewOutcome::kIncrease || outcome == ReviewOutcome::kDecrease) {
    if (absl::Status s = CheckReviewAmount(outcome, current, proposed); !s.ok()) return s;
    d.amount = proposed;
    d.amount_changes = true;
  }
  d.next_review_due = ReviewDue(rules, enrolment.programme, enrolment.urban, effective);
  return d;
}

}  // namespace civil::assistance
