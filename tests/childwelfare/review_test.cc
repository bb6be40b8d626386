// Unit tests of the yearly review rules (services/childwelfare/review.h): no servers.
#include "services/childwelfare/review.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::childwelfare {
namespace {

using PS = ParentSituation;
absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

ReviewInput Findings(PS father = PS::kDeceased, PS mother = PS::kDeceased,
                     ReviewOutcome proposed = ReviewOutcome::kContinue) {
  ReviewInput in;
  in.father = static_cast<int>(father);
  in.mother = static_cast<int>(mother);
  in.guardian_confirmed = true;
  in.placement_confirmed = true;
  in.in_school = true;
  in.school = "枞阳县第一小学";
  in.findings = "祖母照料良好";
  in.proposed = static_cast<int>(proposed);
  in.review_date = "2024-03-01";
  return in;
}

TEST(ReviewDueTest, OneYearAfterTheApprovalOrTheLastReview) {
  EXPECT_EQ(ReviewDueOn(D(2023, 3, 15), std::nullopt), D(2024, 3, 15));
  EXPECT_EQ(ReviewDueOn(D(2023, 3, 15), D(2024, 2, 20)), D(2025, 2, 20));
  EXPECT_EQ(ReviewDueOn(D(2024, 2, 29), std::nullopt), D(2025, 3, 1));
}

TEST(ReviewDueTest, ListedThirtyDaysAheadOverdueTheDayAfter) {
  const absl::CivilDay due = D(2024, 3, 15);
  EXPECT_EQ(StandingOn(due, D(2024, 2, 13)), ReviewStanding::kNotDue);
  EXPECT_EQ(StandingOn(due, D(2024, 2, 14)), ReviewStanding::kDue);
  EXPECT_EQ(StandingOn(due, D(2024, 3, 15)), ReviewStanding::kDue);
  EXPECT_EQ(StandingOn(due, D(2024, 3, 16)), ReviewStanding::kOverdue);
}

TEST(ReviewValidationTest, NamesTheFieldAndRefusesTheFuture) {
  ReviewInput in = Findings();
  in.findings = "";
  EXPECT_TRUE(absl::StartsWith(ValidateReview(in, D(2024, 3, 1)).status().message(), "findings:"));
  in = Findings();
  in.school = "";
  EXPECT_TRUE(absl::StartsWith(ValidateReview(in, D(2024, 3, 1)).status().message(), "school:"));
  in = Findings();
  in.in_school = false;
  EXPECT_TRUE(absl::StartsWith(ValidateReview(in, D(2024, 3, 1)).status().message(), "school:"));
  in = Findings();
  in.proposed = 0;
  EXPECT_TRUE(absl::StartsWith(ValidateReview(in, D(2024, 3, 1)).status().message(), "proposed:"));
  EXPECT_TRUE(absl::StartsWith(ValidateReview(Findings(), D(2024, 2, 29)).status().message(),
                               "review_date:"));
  absl::StatusOr<ReviewDraft> ok = ValidateReview(Findings(), D(2024, 3, 1));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->on, D(2024, 3, 1));
}

TEST(ReviewProposalTest, ContinueOnlyWhileTheGroundsAndTheGuardianHold) {
  absl::StatusOr<ReviewDraft> draft = ValidateReview(Findings(), D(2024, 3, 1));
  ASSERT_TRUE(draft.ok());
  EXPECT_TRUE(CheckProposal(Category::kOrphanDispersed, *draft).ok());
  EXPECT_TRUE(draft->grounds_hold);

  // A father found able again: an orphan's grounds no longer hold.
  draft = ValidateReview(Findings(PS::kAble, PS::kDeceased), D(2024, 3, 1));
  ASSERT_TRUE(draft.ok());
  const absl::Status s = CheckProposal(Category::kOrphanDispersed, *draft);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "proposed:")) << s;
  EXPECT_FALSE(draft->grounds_hold);
  draft = ValidateReview(Findings(PS::kAble, PS::kDeceased, ReviewOutcome::kStop), D(2024, 3, 1));
  ASSERT_TRUE(draft.ok());
  EXPECT_TRUE(CheckProposal(Category::kOrphanDispersed, *draft).ok());
  EXPECT_FALSE(draft->grounds_hold);

  // The guardian on file is not the one found.
  ReviewInput in = Findings(PS::kImprisoned, PS::kSeverelyDisabled);
  in.guardian_confirmed = false;
  draft = ValidateReview(in, D(2024, 3, 1));
  ASSERT_TRUE(draft.ok());
  EXPECT_TRUE(absl::StartsWith(CheckProposal(Category::kDeFactoUnsupported, *draft).message(),
                               "proposed:"));
}

TEST(ReviewDecisionTest, AnotherPersonDecidesNotBeforeTheReview) {
  const absl::CivilDay on = D(2024, 3, 1);
  EXPECT_EQ(CheckReviewDecision(ReviewStatus::kPrepared, "clerk", "clerk", on, true,
                                ReviewOutcome::kContinue, on)
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckReviewDecision(ReviewStatus::kPrepared, "clerk", "reviewer", on, true,
                                  ReviewOutcome::kContinue, on)
                  .ok());
  EXPECT_EQ(CheckReviewDecision(ReviewStatus::kDecided, "clerk", "reviewer", on, true,
                                ReviewOutcome::kContinue, on)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckReviewDecision(ReviewStatus::kPrepared, "clerk", "reviewer", on, true,
                                ReviewOutcome::kContinue, on - 1)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(CheckReviewDecision(ReviewStatus::kPrepared, "clerk", "reviewer", on,
                                                   false, ReviewOutcome::kContinue, on)
                                   .message(),
                               "outcome:"));
  EXPECT_TRUE(CheckReviewDecision(ReviewStatus::kPrepared, "clerk", "reviewer", on, false,
                                  ReviewOutcome::kStop, on)
                  .ok());
}

TEST(ReviewDecisionTest, OnlyAnActiveCaseIsReviewedAndTheStopSaysWhy) {
  EXPECT_TRUE(CheckReviewable(ChildStatus::kActive, D(2023, 3, 1), D(2024, 3, 1)).ok());
  EXPECT_EQ(CheckReviewable(ChildStatus::kStopped, D(2023, 3, 1), D(2024, 3, 1)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(
      CheckReviewable(ChildStatus::kActive, D(2023, 3, 1), D(2023, 2, 1)).message(),
      "review_date:"));
  EXPECT_EQ(ReviewStopReason(PS::kAble, PS::kDeceased), StopReason::kGuardianshipReturned);
  EXPECT_EQ(ReviewStopReason(PS::kImprisoned, PS::kDeceased), StopReason::kReviewIneligible);
}

}  // namespace
}  // namespace civil::childwelfare
