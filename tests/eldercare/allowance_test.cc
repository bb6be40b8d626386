// Unit tests of the 高龄津贴 rules (services/eldercare/allowance.h): no servers.
#include "services/eldercare/allowance.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/support/test_ids.h"

namespace civil::eldercare {
namespace {

using civil::affairs::testing::Id;

absl::CivilMonth M(int y, int m) { return absl::CivilMonth(y, m); }
absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// The county defaults: 80–89 30 yuan, 90–99 50 yuan, 100+ 300 yuan, from 2023-01.
TierSchedule County(absl::CivilMonth from = M(2023, 1), int64_t first_fen = 3000) {
  return *ValidateTierSchedule("340722", FormatMonth(from),
                               {{80, 89, first_fen}, {90, 99, 5000}, {100, 0, 30000}});
}

std::string TierIn(absl::CivilDay birth, absl::CivilMonth month) {
  std::optional<Tier> t = TierFor(County(M(1900, 1)), birth, month);
  return t ? TierLabel(*t) : "none";
}

TEST(TierScheduleTest, LabelsAndAValidSchedule) {
  EXPECT_EQ(TierLabel({80, 89, 1}), "80-89");
  EXPECT_EQ(TierLabel({100, 0, 1}), "100+");
  const TierSchedule s = County();
  EXPECT_EQ(s.region_prefix.value(), "340722");
  EXPECT_EQ(s.effective_month, M(2023, 1));
  ASSERT_EQ(s.tiers.size(), 3u);
}

TEST(TierScheduleTest, RejectsGapsOverlapsOpenMiddleTiersAndBadAmountsNamingTheField) {
  auto field = [](const std::vector<Tier>& tiers, absl::string_view prefix = "340722",
                  absl::string_view month = "2023-01") {
    absl::StatusOr<TierSchedule> s = ValidateTierSchedule(prefix, month, tiers);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(s.status().message());
    return message.substr(0, message.find(':'));
  };
  EXPECT_EQ(field({{80, 89, 3000}, {91, 99, 5000}}), "tiers[1].min_age");  // gap
  EXPECT_EQ(field({{80, 89, 3000}, {85, 99, 5000}}), "tiers[1].min_age");  // overlap
  EXPECT_EQ(field({{80, 0, 3000}, {90, 99, 5000}}), "tiers[0].max_age");   // open, not last
  EXPECT_EQ(field({{80, 79, 3000}}), "tiers[0].max_age");
  EXPECT_EQ(field({{50, 89, 3000}}), "tiers[0].min_age");
  EXPECT_EQ(field({{80, 89, 0}}), "tiers[0].monthly_fen");
  EXPECT_EQ(field({}), "tiers");
  EXPECT_EQ(field({{80, 0, 1}}, "34072"), "region_prefix");
  EXPECT_EQ(field({{80, 0, 1}}, "340722", "2023-13"), "effective_month");
  EXPECT_EQ(field({{80, 0, 1}}, "340722", ""), "effective_month");
}

TEST(TierScheduleTest, TheMostLocalScheduleInForceApplies) {
  const TierSchedule county = County(M(2023, 1));
  const TierSchedule raised = County(M(2023, 7), 4000);
  const TierSchedule township = *ValidateTierSchedule("340722100", "2022-01", {{80, 0, 2000}});
  const std::vector<TierSchedule> all = {county, raised, township};
  // Same prefix: the latest month not after the month asked about.
  EXPECT_EQ(ScheduleFor(all, "340722200001", M(2023, 6))->effective_month, M(2023, 1));
  EXPECT_EQ(ScheduleFor(all, "340722200001", M(2023, 7))->effective_month, M(2023, 7));
  // A township's own schedule beats the county's, however old.
  EXPECT_EQ(ScheduleFor(all, "340722100001", M(2023, 8))->region_prefix.value(), "340722100");
  // Not yet in force, or another county.
  EXPECT_EQ(ScheduleFor(all, "340722200001", M(2022, 12)), nullptr);
  EXPECT_EQ(ScheduleFor(all, "340823100001", M(2023, 8)), nullptr);
}

TEST(TierTest, TheNewTierAppliesFromTheMonthAfterTheBirthday) {
  // 90 on 2023-05-15: May is still 80–89, June is 90–99.
  EXPECT_EQ(TierIn(D(1933, 5, 15), M(2023, 5)), "80-89");
  EXPECT_EQ(TierIn(D(1933, 5, 15), M(2023, 6)), "90-99");
  // A birthday on the 1st of the month changes the tier from the next month too.
  EXPECT_EQ(TierIn(D(1933, 5, 1), M(2023, 5)), "80-89");
  EXPECT_EQ(TierIn(D(1933, 5, 1), M(2023, 6)), "90-99");
  // On the last day of the month: the next month is the new tier.
  EXPECT_EQ(TierIn(D(1933, 5, 31), M(2023, 6)), "90-99");
  // Under 80 in the month: no tier.
  EXPECT_EQ(TierIn(D(1943, 7, 15), M(2023, 7)), "none");
  EXPECT_EQ(TierIn(D(1943, 7, 15), M(2023, 8)), "80-89");
}

TEST(TierTest, TwentyNinthOfFebruaryBirthdays) {
  // 90 in 2022, not a leap year: the birthday is reached on 1 March, so the new tier is April's.
  EXPECT_EQ(TierAge(D(1932, 2, 29), M(2022, 3)), 89);
  EXPECT_EQ(TierIn(D(1932, 2, 29), M(2022, 3)), "80-89");
  EXPECT_EQ(TierIn(D(1932, 2, 29), M(2022, 4)), "90-99");
  // 100 on 29 February 2024, a leap year: March is the new tier.
  EXPECT_EQ(TierIn(D(1924, 2, 29), M(2024, 2)), "90-99");
  EXPECT_EQ(TierIn(D(1924, 2, 29), M(2024, 3)), "100+");
  // 80 on 29 February 2024: nothing in February, 80–89 from March.
  EXPECT_EQ(TierIn(D(1944, 2, 29), M(2024, 2)), "none");
  EXPECT_EQ(TierIn(D(1944, 2, 29), M(2024, 3)), "80-89");
}

TEST(PriceMonthTest, AHundredthBirthdayInTheMonthOfTheRunIsPaidTheNewTierFromTheNextRun) {
  const std::vector<TierSchedule> schedules = {County()};
  const std::vector<DuePerson> due = {{"e-100", D(1923, 6, 10), "340722100001"},
                                      {"e-last-day", D(1923, 6, 30), "340722100001"}};
  PricedMonth june = PriceMonth(due, schedules, M(2023, 6));
  ASSERT_EQ(june.payments.size(), 2u);
  for (const PricedPayment& p : june.payments) {
    EXPECT_EQ(p.tier, "90-99") << p.enrolment_id;
    EXPECT_EQ(p.amount_fen, 5000);
  }
  PricedMonth july = PriceMonth(due, schedules, M(2023, 7));
  ASSERT_EQ(july.payments.size(), 2u);
  for (const PricedPayment& p : july.payments) {
    EXPECT_EQ(p.tier, "100+") << p.enrolment_id;
    EXPECT_EQ(p.amount_fen, 30000);
  }
}

TEST(PriceMonthTest, ARaisedAmountAppliesFromItsMonthToEveryoneAndGapsAreCounted) {
  const std::vector<TierSchedule> schedules = {County(M(2023, 1)), County(M(2023, 7), 4000)};
  const std::vector<DuePerson> due = {{"old", D(1940, 1, 1), "340722100001"},
                                      {"young", D(1950, 1, 1), "340722100001"},
                                      {"elsewhere", D(1940, 1, 1), "340823100001"}};
  PricedMonth june = PriceMonth(due, schedules, M(2023, 6));
  ASSERT_EQ(june.payments.size(), 1u);
  EXPECT_EQ(june.payments[0].amount_fen, 3000);
  EXPECT_EQ(june.below_tier, 1);
  EXPECT_EQ(june.unpriced, 1);
  PricedMonth july = PriceMonth(due, schedules, M(2023, 7));
  ASSERT_EQ(july.payments.size(), 1u);
  EXPECT_EQ(july.payments[0].amount_fen, 4000);
  EXPECT_EQ(july.payments[0].region_code, "340722100001");
}

TEST(SummaryTierTest, NamesTheTierOrWhyThereIsNone) {
  const std::vector<TierSchedule> schedules = {County()};
  EXPECT_EQ(SummaryTier(schedules, "340722100001", D(1930, 1, 1), false, M(2023, 6)), "90-99");
  EXPECT_EQ(SummaryTier(schedules, "340722100001", D(1950, 1, 1), false, M(2023, 6)),
            kBelowLowestTier);
  EXPECT_EQ(SummaryTier(schedules, "340823100001", D(1930, 1, 1), false, M(2023, 6)), kNoSchedule);
  const std::vector<TierSchedule> low_income = {*ValidateTierSchedule(
      "340722", "2023-01", {{80, 89, 3000, true}, {90, 99, 5000}, {100, 0, 30000}})};
  EXPECT_EQ(SummaryTier(low_income, "340722100001", D(1940, 1, 1), false, M(2023, 6)),
            kNotLowIncome);
  EXPECT_EQ(SummaryTier(low_income, "340722100001", D(1940, 1, 1), true, M(2023, 6)), "80-89");
}

// A county paying 80–89 only to low-income households.
TierSchedule LowIncomeCounty() {
  return *ValidateTierSchedule("340722", "2023-01",
                               {{80, 89, 3000, true}, {90, 99, 5000}, {100, 0, 30000}});
}

TEST(LowIncomeTest, OnlyALowIncomeOnlyTierOnTheApplicationDateNeedsTheCheck) {
  const TierSchedule county = County();
  const TierSchedule low_income = LowIncomeCounty();
  EXPECT_FALSE(NeedsLowIncomeCheck(&county, D(1940, 3, 15), D(2023, 7, 15)));
  EXPECT_TRUE(NeedsLowIncomeCheck(&low_income, D(1940, 3, 15), D(2023, 7, 15)));
  // 90 on the application date: the 90–99 tier is for everyone.
  EXPECT_FALSE(NeedsLowIncomeCheck(&low_income, D(1933, 7, 15), D(2023, 7, 15)));
  EXPECT_TRUE(NeedsLowIncomeCheck(&low_income, D(1933, 7, 16), D(2023, 7, 15)));
  EXPECT_FALSE(NeedsLowIncomeCheck(nullptr, D(1940, 3, 15), D(2023, 7, 15)));
}

TEST(LowIncomeTest, AnActiveDibaoTekunOrMarginalEnrolmentMakesALowIncomeHousehold) {
  EXPECT_FALSE(DecideLowIncome({}).low_income);
  EXPECT_FALSE(DecideLowIncome({{"e1", "PROGRAMME_DIBAO", false, M(2020, 1), M(2022, 12)}})
                   .low_income);  // ended
  EXPECT_FALSE(DecideLowIncome({{"e2", "PROGRAMME_LEPROSY_SUBSIDY", true, M(2020, 1), {}}})
                   .low_income);  // not a low-income programme
  for (const char* programme : {"PROGRAMME_DIBAO", "PROGRAMME_TEKUN", "PROGRAMME_MARGINAL"}) {
    LowIncomeDecision d =
        DecideLowIncome({{"old", "PROGRAMME_DIBAO", false, M(2019, 1), M(2019, 6)},
                         {"e3", programme, true, {}, {}}});
    EXPECT_TRUE(d.low_income) << programme;
    EXPECT_EQ(d.enrolment_id, "e3");
  }
  absl::Status s = NotLowIncomeError("340722", D(2023, 7, 15));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "id_number: ")) << s;
}

TEST(LowIncomeTest, ALowIncomeOnlyTierIsPaidOnlyToConfirmedPersonsAndTheNextTierToEveryone) {
  const std::vector<TierSchedule> schedules = {LowIncomeCounty()};
  const std::vector<DuePerson> due = {{"confirmed", D(1940, 1, 1), "340722100001", true},
                                      {"unconfirmed", D(1940, 1, 1), "340722100001", false},
                                      {"ninety", D(1930, 1, 1), "340722100001", false}};
  PricedMonth june = PriceMonth(due, schedules, M(2023, 6));
  ASSERT_EQ(june.payments.size(), 2u);
  EXPECT_EQ(june.payments[0].enrolment_id, "confirmed");
  EXPECT_EQ(june.payments[1].enrolment_id, "ninety");
  EXPECT_EQ(june.payments[1].amount_fen, 5000);
  EXPECT_EQ(june.not_low_income, 1);
}

TEST(EnrolmentTest, ValidatesEachFieldByName) {
  const absl::CivilDay today = D(2023, 7, 15);
  const std::string id = Id("19400315", true);
  EXPECT_TRUE(ValidateEnrolment({"张某", id, "340722100001", ""}, today).ok());
  EXPECT_EQ(ValidateEnrolment({"张某", id, "340722100001", ""}, today)->applied_on, today);
  std::string wrong = id;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  absl::Status s = ValidateEnrolment({"张某", wrong, "340722100001", ""}, today).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "id_number: wrong check character");
  s = ValidateEnrolment({"张某", id, "340722100001", "2023-07-16"}, today).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "application_date:")) << s;
  s = ValidateEnrolment({"张某", id, "340722100", ""}, today).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "region_code:")) << s;
  s = ValidateEnrolment({"", id, "340722100001", ""}, today).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "name:")) << s;
  s = ValidateEnrolment({"张某", "", "340722100001", ""}, today).status();
  EXPECT_EQ(s.message(), "id_number: is required");
}

TEST(EnrolmentTest, APersonUnderTheLowestTierOrWithoutAScheduleIsRefused) {
  const TierSchedule county = County();
  EXPECT_TRUE(CheckEnrolmentAge(&county, "340722100001", D(1943, 7, 15), D(2023, 7, 15)).ok());
  absl::Status s = CheckEnrolmentAge(&county, "340722100001", D(1943, 7, 16), D(2023, 7, 15));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "id_number: the person is 79 on 2023-07-15, under the lowest 高龄津贴 tier (80)");
  s = CheckEnrolmentAge(nullptr, "340823100001", D(1930, 1, 1), D(2023, 7, 15));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "region_code: no 高龄津贴 tier schedule covers"));
}

TEST(ApprovalTest, MakerIsNotCheckerAndOnlyPendingEnrolmentsAreApproved) {
  const auto pending = EnrolmentStatus::kPendingApproval;
  EXPECT_TRUE(CheckApproval(pending, "clerk", "reviewer", D(2023, 3, 1), D(2023, 3, 2)).ok());
  EXPECT_EQ(CheckApproval(pending, "alice", "alice", D(2023, 3, 1), D(2023, 3, 2)).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckApproval(EnrolmentStatus::kPendingEligibility, "clerk", "reviewer", D(2023, 3, 1),
                          D(2023, 3, 2))
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      CheckApproval(EnrolmentStatus::kActive, "clerk", "reviewer", D(2023, 3, 1), D(2023, 3, 2))
          .code(),
      absl::StatusCode::kFailedPrecondition);
  absl::Status early = CheckApproval(pending, "clerk", "reviewer", D(2023, 3, 1), D(2023, 2, 28));
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(early.message(), "decision_date:"));
}

TEST(RunTest, NotAfterTheCurrentMonthAndDeathStopsAfterItsMonth) {
  EXPECT_TRUE(MonthNotAfterToday("month", M(2023, 7), D(2023, 7, 1)).ok());
  EXPECT_EQ(MonthNotAfterToday("month", M(2023, 8), D(2023, 7, 31)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*StopMonth(EnrolmentStatus::kActive, M(2023, 3), D(2023, 5, 31)), M(2023, 6));
  // Stopped on a date before the enrolment's first month: never paid.
  EXPECT_EQ(*StopMonth(EnrolmentStatus::kActive, M(2023, 3), D(2023, 1, 10)), M(2023, 3));
  EXPECT_EQ(StopMonth(EnrolmentStatus::kStopped, M(2023, 3), D(2023, 5, 31)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      StopMonth(EnrolmentStatus::kPendingApproval, M(2023, 3), D(2023, 5, 31)).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DeathStopMonth(D(2023, 5, 31)), M(2023, 6));
  EXPECT_EQ(DeathStopMonth(D(2023, 12, 1)), M(2024, 1));
}

TEST(StopReversalTest, OnlyAStopNotForADeathIsReversed) {
  EXPECT_TRUE(CheckStopReversal(EnrolmentStatus::kStopped, false).ok());
  const absl::Status dead = CheckStopReversal(EnrolmentStatus::kStopped, true);
  EXPECT_EQ(dead.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(dead.message(), "death")) << dead;
  // Reversed already (active again), never approved or rejected: nothing to reverse.
  for (EnrolmentStatus s :
       {EnrolmentStatus::kActive, EnrolmentStatus::kPendingApproval, EnrolmentStatus::kRejected}) {
    const absl::Status st = CheckStopReversal(s, false);
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(absl::StrContains(st.message(), "not stopped")) << st;
  }
}
}  // namespace
}  // namespace civil::eldercare
