// Unit tests of the decisions of a review (services/assistance/review.h) that the review store
// used to make inside its transaction: the month a review takes effect, the new amount and the
// next review date.
#include "services/assistance/review.h"

#include <gtest/gtest.h>

namespace civil::assistance {
namespace {

ReviewedEnrolment Enrolment(Programme programme = Programme::kDibao, bool urban = true) {
  ReviewedEnrolment e;
  e.programme = programme;
  e.urban = urban;
  e.start = absl::CivilMonth(2022, 6);
  return e;
}

TEST(ReviewStartTest, FollowsTheDecisionAndThePaidMonths) {
  ReviewedEnrolment e = Enrolment();
  EXPECT_EQ(*ReviewStart(e, absl::CivilDay(2023, 2, 15)), absl::CivilMonth(2023, 3));
  e.last_paid = absl::CivilMonth(2023, 4);
  EXPECT_EQ(*ReviewStart(e, absl::CivilDay(2023, 2, 15)), absl::CivilMonth(2023, 5));
}

TEST(ReviewStartTest, NeverBeforeTheEnrolmentStarted) {
  ReviewedEnrolment e = Enrolment();
  e.start = absl::CivilMonth(2023, 6);  // approved with a later first month
  EXPECT_EQ(*ReviewStart(e, absl::CivilDay(2023, 2, 15)), absl::CivilMonth(2023, 6));
}

TEST(ReviewStartTest, AnEndedEnrolmentIsNotReviewed) {
  ReviewedEnrolment e = Enrolment();
  e.active = false;
  absl::StatusOr<absl::CivilMonth> start = ReviewStart(e, absl::CivilDay(2023, 2, 15));
  EXPECT_EQ(start.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(start.status().message(), "enrolment_id: the enrolment has ended already");
}

TEST(StopEffectiveMonthTest, TheMonthAfterTheDecision) {
  EXPECT_EQ(StopEffectiveMonth(absl::CivilDay(2023, 3, 10)), absl::CivilMonth(2023, 4));
  EXPECT_EQ(StopEffectiveMonth(absl::CivilDay(2023, 12, 31)), absl::CivilMonth(2024, 1));
}

TEST(DecideReviewTest, IncreaseAndDecreaseSetANewAmount) {
  const AssistanceRules rules;
  const absl::CivilMonth from(2023, 3);
  auto up = DecideReview(rules, Enrolment(), ReviewOutcome::kIncrease, from, Money::Yuan(930),
                         Money::Yuan(1000));
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_TRUE(up->amount_changes);
  EXPECT_EQ(up->amount, Money::Yuan(1000));
  auto down = DecideReview(rules, Enrolment(), ReviewOutcome::kDecrease, from, Money::Yuan(930),
                           Money::Yuan(500));
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->amount, Money::Yuan(500));
  auto wrong = DecideReview(rules, Enrolment(), ReviewOutcome::kIncrease, from, Money::Yuan(930),
                            Money::Yuan(900));
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(DecideReviewTest, UnchangedKeepsTheAmount) {
  auto same = DecideReview(AssistanceRules{}, Enrolment(), ReviewOutcome::kUnchanged,
                           absl::CivilMonth(2023, 3), Money::Yuan(930), Money::Yuan(1));
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->amount_changes);
  EXPECT_EQ(same->amount, Money::Yuan(930));
}

TEST(DecideReviewTest, NextReviewIsDueAsTheProgrammeSays) {
  AssistanceRules rules;
  rules.review_months_urban_dibao = 6;
  rules.review_months_rural_dibao = 12;
  rules.review_months_tekun = 12;
  const absl::CivilMonth from(2023, 3);
  EXPECT_EQ(DecideReview(rules, Enrolment(Programme::kDibao, true), ReviewOutcome::kUnchanged, from,
                         Money::Yuan(930), Money())
                ->next_review_due,
            absl::CivilDay(2023, 9, 1));
  EXPECT_EQ(DecideReview(rules, Enrolment(Programme::kDibao, false), ReviewOutcome::kUnchanged,
                         from, Money::Yuan(930), Money())
                ->next_review_due,
            absl::CivilDay(2024, 3, 1));
}

}  // namespace
}  // namespace civil::assistance
