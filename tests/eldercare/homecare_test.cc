// Unit tests of the 居家养老服务补贴 rules (services/eldercare/homecare.h): no servers.
#include "services/eldercare/homecare.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/support/test_ids.h"

namespace civil::eldercare {
namespace {

using civil::affairs::testing::Id;

absl::CivilMonth M(int y, int m) { return absl::CivilMonth(y, m); }
constexpr absl::CivilDay kToday(2023, 7, 15);

LevelSchedule County(absl::CivilMonth from = M(2023, 1), int64_t first = 4000) {
  return *ValidateLevelSchedule("340722", FormatMonth(from), {{1, first}, {2, 6000}, {3, 10000}});
}

AssessmentInput Input() {
  AssessmentInput in;
  in.name = "老人";
  in.id_number = Id("19500310", true);
  in.region_code = "340722100001";
  in.living_alone = true;
  in.level = 2;
  in.assessment_date = "2023-03-05";
  in.assessor = "县养老服务评估中心";
  return in;
}

std::string FieldOf(const absl::Status& s) {
  return std::string(s.message().substr(0, s.message().find(':')));
}

TEST(LevelScheduleTest, RejectsEmptyUnorderedOutOfRangeLevelsAndAmountsNamingTheField) {
  EXPECT_EQ(County().levels.size(), 3u);
  EXPECT_EQ(FieldOf(ValidateLevelSchedule("340722", "2023-01", {}).status()), "levels");
  EXPECT_EQ(FieldOf(ValidateLevelSchedule("340722", "2023-01", {{2, 1}, {2, 1}}).status()),
            "levels[1].level");
  EXPECT_EQ(FieldOf(ValidateLevelSchedule("340722", "2023-01", {{0, 1}}).status()),
            "levels[0].level");
  EXPECT_EQ(FieldOf(ValidateLevelSchedule("340722", "2023-01", {{1, 0}}).status()),
            "levels[0].monthly_fen");
  EXPECT_EQ(FieldOf(ValidateLevelSchedule("34072", "2023-01", {{1, 1}}).status()), "region_prefix");
  EXPECT_EQ(FieldOf(ValidateLevelSchedule("340722", "2023-13", {{1, 1}}).status()),
            "effective_month");
}

TEST(LevelScheduleTest, TheMostLocalPrefixThenTheLatestMonthApplies) {
  const std::vector<LevelSchedule> all = {
      County(M(2023, 1), 4000), County(M(2023, 5), 4500),
      *ValidateLevelSchedule("340722100", "2023-03", {{1, 5000}})};
  EXPECT_EQ(LevelAmountOf(*LevelScheduleFor(all, "340722200001", M(2023, 4)), 1), 4000);
  EXPECT_EQ(LevelAmountOf(*LevelScheduleFor(all, "340722200001", M(2023, 5)), 1), 4500);
  EXPECT_EQ(LevelAmountOf(*LevelScheduleFor(all, "340722100001", M(2023, 6)), 1), 5000);
  EXPECT_EQ(LevelScheduleFor(all, "340722100001", M(2022, 12)), nullptr);
  EXPECT_EQ(LevelScheduleFor(all, "340800100001", M(2023, 6)), nullptr);
}

TEST(AssessmentTest, AValidAssessmentDefaultsItsDateToToday) {
  AssessmentInput in = Input();
  in.assessment_date = "";
  absl::StatusOr<AssessmentDraft> d = ValidateAssessment(in, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->assessed_on, kToday);
  EXPECT_EQ(d->level, 2);
  EXPECT_TRUE(d->living_alone);
}

TEST(AssessmentTest, BadInputNamesTheField) {
  auto field = [](void (*change)(AssessmentInput&)) {
    AssessmentInput in = Input();
    change(in);
    absl::StatusOr<AssessmentDraft> d = ValidateAssessment(in, kToday);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    return FieldOf(d.status());
  };
  EXPECT_EQ(field([](AssessmentInput& in) { in.name = ""; }), "name");
  EXPECT_EQ(field([](AssessmentInput& in) {
              in.id_number.back() = in.id_number.back() == '1' ? '2' : '1';
            }),
            "id_number");
  EXPECT_EQ(field([](AssessmentInput& in) { in.region_code = "340722100"; }), "region_code");
  EXPECT_EQ(field([](AssessmentInput& in) { in.living_alone = false; }), "grounds");
  EXPECT_EQ(field([](AssessmentInput& in) { in.level = 10; }), "level");
  EXPECT_EQ(field([](AssessmentInput& in) { in.assessment_date = "2023-07-16"; }),
            "assessment_date");
  EXPECT_EQ(field([](AssessmentInput& in) { in.assessor = ""; }), "assessor");
}

TEST(AssessmentTest, AgeScheduleAndLevelAreCheckedAgainstTheScheduleInForce) {
  const LevelSchedule county = County();
  AssessmentDraft d = *ValidateAssessment(Input(), kToday);
  EXPECT_TRUE(CheckAssessment(&county, d).ok());
  // 60 on 2023-03-10: five days short on the assessment date.
  AssessmentInput young = Input();
  young.id_number = Id("19630310", false);
  absl::Status s = CheckAssessment(&county, *ValidateAssessment(young, kToday));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "id_number: the person is 59 on 2023-03-05")) << s;
  s = CheckAssessment(nullptr, d);
  EXPECT_TRUE(absl::StartsWith(s.message(), "region_code: no 居家养老服务补贴")) << s;
  d.level = 4;
  s = CheckAssessment(&county, d);
  EXPECT_EQ(s.message(),
            "level: level 4 is not in the schedule of 340722 from 2023-01 (levels 1, 2, 3)");
}

TEST(SubsidyApprovalTest, MakerIsNotCheckerAndOnlyPendingSubsidiesAreApproved) {
  const absl::CivilDay on(2023, 3, 5);
  EXPECT_TRUE(CheckSubsidyApproval(SubsidyStatus::kPendingApproval, "a", "b", on, on).ok());
  EXPECT_EQ(CheckSubsidyApproval(SubsidyStatus::kPendingApproval, "a", "a", on, on).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckSubsidyApproval(SubsidyStatus::kActive, "a", "b", on, on).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(
      CheckSubsidyApproval(SubsidyStatus::kPendingApproval, "a", "b", on, on - 1).message(),
      "decision_date"));
}

TEST(SubsidyStopTest, PaidUpToTheMonthOfTheStopWithAReason) {
  const int moved = static_cast<int>(SubsidyStopReason::kMovedOut);
  EXPECT_EQ(
      *SubsidyStopMonth(SubsidyStatus::kActive, M(2023, 3), moved, "", absl::CivilDay(2023, 5, 31)),
      M(2023, 6));
  // A stop dated before the start stops at the start: nothing is paid.
  EXPECT_EQ(
      *SubsidyStopMonth(SubsidyStatus::kActive, M(2023, 3), moved, "", absl::CivilDay(2023, 1, 2)),
      M(2023, 3));
  auto field = [](int reason, absl::string_view note, SubsidyStatus status) {
    return FieldOf(
        SubsidyStopMonth(status, M(2023, 3), reason, note, absl::CivilDay(2023, 5, 1)).status());
  };
  EXPECT_EQ(field(0, "", SubsidyStatus::kActive), "reason");
  EXPECT_EQ(field(static_cast<int>(SubsidyStopReason::kDeceased), "", SubsidyStatus::kActive),
            "reason");
  EXPECT_EQ(field(static_cast<int>(SubsidyStopReason::kOther), "", SubsidyStatus::kActive), "note");
  EXPECT_EQ(field(moved, "", SubsidyStatus::kStopped), "subsidy_id");
}

TEST(SubsidyStopTest, TheMonthOfDeathIsTheLastMonthPaid) {
  EXPECT_EQ(SubsidyStopAfterDeath(absl::CivilDay(2023, 4, 30)), M(2023, 5));
  EXPECT_EQ(SubsidyStopAfterDeath(absl::CivilDay(2023, 12, 1)), M(2024, 1));
}

TEST(PriceSubsidiesTest, EachPersonIsPaidTheAmountOfTheirLevelInForceThatMonth) {
  const std::vector<LevelSchedule> all = {County(M(2023, 1), 4000), County(M(2023, 5), 4500)};
  const std::vector<DueSubsidy> due = {{"a", 1, "340722100001"},
                                       {"b", 3, "340722100001"},
                                       {"c", 5, "340722100001"},   // no such level
                                       {"d", 1, "340800100001"}};  // no schedule
  PricedSubsidies april = PriceSubsidies(due, all, M(2023, 4));
  ASSERT_EQ(april.payments.size(), 2u);
  EXPECT_EQ(april.payments[0].level, "level-1");
  EXPECT_EQ(april.payments[0].amount_fen, 4000);
  EXPECT_EQ(april.payments[1].amount_fen, 10000);
  EXPECT_EQ(april.unpriced, 2);
  // A raised amount reaches everyone of the level from its month.
  EXPECT_EQ(PriceSubsidies(due, all, M(2023, 5)).payments[0].amount_fen, 4500);
}

}  // namespace
}  // namespace civil::eldercare
