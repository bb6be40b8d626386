// The kit's allowance months (services/common/allowance_months.h): the stop after a move out of
// the county, and the months owed when a stop is reversed.
#include "services/common/allowance_months.h"

#include <gtest/gtest.h>

namespace civil {
namespace {

absl::CivilMonth M(int y, int m) { return absl::CivilMonth(y, m); }

TEST(AllowanceMonthsTest, AMoveOutStopsFromTheMonthAfterTheMove) {
  EXPECT_EQ(MoveOutStopMonth(absl::CivilDay(2023, 6, 30)), M(2023, 7));
  EXPECT_EQ(MoveOutStopMonth(absl::CivilDay(2023, 6, 1)), M(2023, 7));
  EXPECT_EQ(MoveOutStopMonth(absl::CivilDay(2023, 12, 31)), M(2024, 1));
}

TEST(AllowanceMonthsTest, OwesEachMonthARunPaidSinceTheStopThatThePersonWasNotPaidOnce) {
  // Stopped from May; runs paid April to August (August twice, by two regions' runs); the
  // person had been paid May before the stop was recorded.
  const std::vector<absl::CivilMonth> owed = MonthsOwedAfterReversal(
      M(2023, 5), {M(2023, 8), M(2023, 4), M(2023, 5), M(2023, 6), M(2023, 7), M(2023, 8)},
      {M(2023, 5)});
  EXPECT_EQ(owed, (std::vector<absl::CivilMonth>{M(2023, 6), M(2023, 7), M(2023, 8)}));
  // Nothing ran since the stop: the next runs pay.
  EXPECT_TRUE(MonthsOwedAfterReversal(M(2023, 9), {M(2023, 8)}, {}).empty());
  // Every month paid already (a second reversal, a retry): nothing twice.
  EXPECT_TRUE(
      MonthsOwedAfterReversal(M(2023, 6), {M(2023, 6), M(2023, 7)}, {M(2023, 6), M(2023, 7)})
          .empty());
}

}  // namespace
}  // namespace civil
