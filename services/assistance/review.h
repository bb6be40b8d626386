// Rules of reviews (复审复核): outcomes, the new amount, the month a review takes effect — pure
// C++, no SQL or gRPC.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
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

}  // namespace civil::assistance
