// Unit tests of the enrolment rules (services/assistance/enrolment.h) that EnrolmentStore used to
// apply inside its transactions: the month a read shows, what an exit decides, the amount after
// a member leaves, the day a death reported by an exit was known by, and when a death or a move
// out ends a part.
#include "services/assistance/enrolment.h"

#include <gtest/gtest.h>

namespace civil::assistance {
namespace {

using absl::CivilDay;
using absl::CivilMonth;

TEST(ShownMonthTest, TheMonthWithinTheEnrolmentsMonths) {
  const CivilMonth start(2023, 4), end(2023, 9);
  EXPECT_EQ(ShownMonth(start, std::nullopt, CivilMonth(2023, 6)), CivilMonth(2023, 6));
  EXPECT_EQ(ShownMonth(start, std::nullopt, CivilMonth(2023, 2)), start);
  EXPECT_EQ(ShownMonth(start, end, CivilMonth(2024, 1)), end);
  EXPECT_EQ(ShownMonth(std::nullopt, std::nullopt, CivilMonth(2024, 1)), CivilMonth(2024, 1));
}

TEST(DecideExitTest, LastMonthPaidWithAndWithoutPhaseOut) {
  const AssistanceRules rules;  // 6 months of 渐退
  absl::StatusOr<ExitDecision> d =
      DecideExit(rules, true, CivilMonth(2023, 1), CivilMonth(2023, 5), false);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->last, CivilMonth(2023, 4));
  d = DecideExit(rules, true, CivilMonth(2023, 1), CivilMonth(2023, 5), true);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->last, CivilMonth(2023, 10));
}

TEST(DecideExitTest, AnEndedEnrolmentOrAMonthBeforeItsStartIsRefused) {
  const AssistanceRules rules;
  absl::StatusOr<ExitDecision> ended =
      DecideExit(rules, false, CivilMonth(2023, 1), CivilMonth(2023, 5), false);
  EXPECT_EQ(ended.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ended.status().message(), "enrolment_id: the enrolment has ended already");
  absl::StatusOr<ExitDecision> early =
      DecideExit(rules, true, CivilMonth(2023, 3), CivilMonth(2023, 2), false);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(early.status().message(), "effective_month: before the enrolment started (2023-03)");
}

TEST(AmountAfterExitTest, DibaoOfThoseWhoStayOrNothingAboveTheLine) {
  EXPECT_TRUE(RecomputesAfterExit(Programme::kDibao));
  EXPECT_FALSE(RecomputesAfterExit(Programme::kTekun));
  StandardValues line;
  line.monthly = Money::Yuan(640);
  const std::vector<MemberFacts> stay{{CivilDay(1980, 1, 1)}};
  EXPECT_EQ(AmountAfterExit(line, stay, Money::Yuan(200), CivilMonth(2023, 5)), Money::Yuan(440));
  EXPECT_EQ(AmountAfterExit(line, stay, Money::Yuan(700), CivilMonth(2023, 5)), Money());
}

TEST(DeathKnownByTest, TheDecisionOrTheLastDayOfTheLastMonthPaid) {
  EXPECT_EQ(DeathKnownBy(CivilDay(2023, 3, 10), CivilMonth(2023, 3)), CivilDay(2023, 3, 10));
  EXPECT_EQ(DeathKnownBy(CivilDay(2023, 5, 10), CivilMonth(2023, 3)), CivilDay(2023, 3, 31));
}

TEST(EndEffectiveMonthTest, TheMonthAfterButNeverBeforeThePartsFirstMonth) {
  EXPECT_EQ(EndEffectiveMonth(CivilDay(2023, 3, 10), CivilMonth(2023, 1)), CivilMonth(2023, 4));
  EXPECT_EQ(EndEffectiveMonth(CivilDay(2023, 3, 10), CivilMonth(2023, 6)), CivilMonth(2023, 6));
}

}  // namespace
}  // namespace civil::assistance
