// The death registry's decision (DecideDeath): what one report of a death does to the recorded
// one — store it, apply it (stop benefits), propagate it, flag a conflict.
#include "services/common/deaths.h"

#include <algorithm>
#include <optional>

#include "gtest/gtest.h"

namespace civil {
namespace {

constexpr absl::CivilDay kMarch10(2023, 3, 10);
constexpr absl::CivilDay kMarch2(2023, 3, 2);
constexpr absl::CivilDay kMarch20(2023, 3, 20);

DeathDate Exact(absl::CivilDay day) { return {day, false}; }
DeathDate Bound(absl::CivilDay day) { return {day, true}; }

TEST(DecideDeathTest, AFirstReportIsStoredAppliedAndPropagated) {
  const DeathDecision d = DecideDeath(std::nullopt, Exact(kMarch10));
  EXPECT_EQ(d.outcome, DeathOutcome::kFirst);
  EXPECT_EQ(d.recorded.day, kMarch10);
  EXPECT_FALSE(d.recorded.upper_bound);
  EXPECT_TRUE(d.store);
  EXPECT_TRUE(d.apply);
  EXPECT_TRUE(d.emit);
  EXPECT_FALSE(d.conflict);

  const DeathDecision bound = DecideDeath(std::nullopt, Bound(kMarch10));
  EXPECT_TRUE(bound.recorded.upper_bound);
  EXPECT_TRUE(bound.emit);
}

TEST(DecideDeathTest, TheSameDateAgainChangesNothingAndEmitsNothing) {
  for (const DeathDate recorded : {Exact(kMarch10), Bound(kMarch10)}) {
    for (const DeathDate reported : {Exact(kMarch10), Bound(kMarch10)}) {
      const DeathDecision d = DecideDeath(recorded, reported);
      EXPECT_EQ(d.outcome, DeathOutcome::kSame);
      EXPECT_EQ(d.recorded.day, kMarch10);
      EXPECT_FALSE(d.apply);
      EXPECT_FALSE(d.emit);
      EXPECT_FALSE(d.conflict);
    }
  }
  // Exact stays exact, a bound stays a bound unless the report is exact.
  EXPECT_FALSE(DecideDeath(Exact(kMarch10), Exact(kMarch10)).store);
  EXPECT_FALSE(DecideDeath(Exact(kMarch10), Bound(kMarch10)).store);
  EXPECT_FALSE(DecideDeath(Exact(kMarch10), Bound(kMarch10)).recorded.upper_bound);
  EXPECT_FALSE(DecideDeath(Bound(kMarch10), Bound(kMarch10)).store);
}

TEST(DecideDeathTest, AnExactDayConfirmingABoundIsStoredAsExactWithoutApplying) {
  const DeathDecision d = DecideDeath(Bound(kMarch10), Exact(kMarch10));
  EXPECT_EQ(d.outcome, DeathOutcome::kSame);
  EXPECT_TRUE(d.store);
  EXPECT_FALSE(d.recorded.upper_bound);
  EXPECT_FALSE(d.apply);
  EXPECT_FALSE(d.emit);
  EXPECT_FALSE(d.conflict);
}

TEST(DecideDeathTest, AnEarlierDateWinsAndIsPropagated) {
  // Two exact dates: the earlier wins, and they contradict each other.
  DeathDecision d = DecideDeath(Exact(kMarch10), Exact(kMarch2));
  EXPECT_EQ(d.outcome, DeathOutcome::kEarlier);
  EXPECT_EQ(d.recorded.day, kMarch2);
  EXPECT_TRUE(d.store);
  EXPECT_TRUE(d.apply);
  EXPECT_TRUE(d.emit);
  EXPECT_TRUE(d.conflict);

  // Known dead by the 10th, died on the 2nd: they agree.
  d = DecideDeath(Bound(kMarch10), Exact(kMarch2));
  EXPECT_EQ(d.outcome, DeathOutcome::kEarlier);
  EXPECT_EQ(d.recorded.day, kMarch2);
  EXPECT_FALSE(d.recorded.upper_bound);
  EXPECT_TRUE(d.apply);
  EXPECT_TRUE(d.emit);
  EXPECT_FALSE(d.conflict);

  // Died on the 10th, known dead by the 2nd: contradictory, the earlier still wins.
  d = DecideDeath(Exact(kMarch10), Bound(kMarch2));
  EXPECT_EQ(d.recorded.day, kMarch2);
  EXPECT_TRUE(d.recorded.upper_bound);
  EXPECT_TRUE(d.apply);
  EXPECT_TRUE(d.conflict);

  // Two bounds: the earlier is the better one.
  d = DecideDeath(Bound(kMarch10), Bound(kMarch2));
  EXPECT_EQ(d.recorded.day, kMarch2);
  EXPECT_TRUE(d.apply);
  EXPECT_FALSE(d.conflict);
}

TEST(DecideDeathTest, ALaterDateKeepsTheRecordedOneAndIsFlaggedWhenExact) {
  // Two exact dates: the recorded one stays, the conflict is flagged, nothing else happens.
  DeathDecision d = DecideDeath(Exact(kMarch10), Exact(kMarch20));
  EXPECT_EQ(d.outcome, DeathOutcome::kLater);
  EXPECT_EQ(d.recorded.day, kMarch10);
  EXPECT_FALSE(d.recorded.upper_bound);
  EXPECT_FALSE(d.store);
  EXPECT_FALSE(d.apply);
  EXPECT_FALSE(d.emit);
  EXPECT_TRUE(d.conflict);

  // Known dead by the 10th, "died on the 20th": contradictory.
  d = DecideDeath(Bound(kMarch10), Exact(kMarch20));
  EXPECT_EQ(d.recorded.day, kMarch10);
  EXPECT_TRUE(d.recorded.upper_bound);
  EXPECT_FALSE(d.apply);
  EXPECT_TRUE(d.conflict);

  // Died on the 10th, known dead by the 20th: true, nothing to flag.
  d = DecideDeath(Exact(kMarch10), Bound(kMarch20));
  EXPECT_EQ(d.outcome, DeathOutcome::kLater);
  EXPECT_FALSE(d.store);
  EXPECT_FALSE(d.apply);
  EXPECT_FALSE(d.conflict);
}

TEST(DecideDeathTest, OutcomeNames) {
  EXPECT_EQ(DeathOutcomeName(DeathOutcome::kFirst), "FIRST");
  EXPECT_EQ(DeathOutcomeName(DeathOutcome::kSame), "SAME");
  EXPECT_EQ(DeathOutcomeName(DeathOutcome::kEarlier), "EARLIER");
  EXPECT_EQ(DeathOutcomeName(DeathOutcome::kLater), "LATER");
}

TEST(DepartmentsTest, EveryDepartmentOnce) {
  const std::vector<std::string>& all = Departments();
  EXPECT_EQ(all.size(), 7u);
  for (const char* name : {"assistance", "affairs", "eldercare", "childwelfare", "governance",
                           "socialorg", "exchange"}) {
    EXPECT_EQ(std::count(all.begin(), all.end(), name), 1) << name;
  }
}

}  // namespace
}  // namespace civil
