// Unit tests of the weekly-visit rules (services/eldercare/visit.h): no servers.
#include "services/eldercare/visit.h"

#include <gtest/gtest.h>

#include "tests/support/test_ids.h"

namespace civil::eldercare {
namespace {

using civil::affairs::testing::Id;

constexpr absl::CivilDay kToday(2023, 7, 15);  // a Saturday

std::string FieldOf(const absl::Status& s) {
  return std::string(s.message().substr(0, s.message().find(':')));
}

TEST(VisitTest, TheIsoWeekRunsMondayToSundayAndIsNumberedByItsThursday) {
  const IsoWeek w = IsoWeekOf(kToday);
  EXPECT_EQ(w.monday, absl::CivilDay(2023, 7, 10));
  EXPECT_EQ(w.sunday, absl::CivilDay(2023, 7, 16));
  EXPECT_EQ(FormatIsoWeek(w), "2023-W28");
  // A Monday and a Sunday are in their own week.
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2023, 7, 10)).monday, absl::CivilDay(2023, 7, 10));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2023, 7, 16)).monday, absl::CivilDay(2023, 7, 10));
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2023, 7, 17)).monday, absl::CivilDay(2023, 7, 17));
  // Year boundaries: 2021-01-03 (Sunday) is in 2020-W53; 2024-12-30 (Monday) is 2025-W01.
  EXPECT_EQ(FormatIsoWeek(IsoWeekOf(absl::CivilDay(2021, 1, 3))), "2020-W53");
  EXPECT_EQ(FormatIsoWeek(IsoWeekOf(absl::CivilDay(2021, 1, 4))), "2021-W01");
  EXPECT_EQ(FormatIsoWeek(IsoWeekOf(absl::CivilDay(2024, 12, 30))), "2025-W01");
  EXPECT_EQ(IsoWeekOf(absl::CivilDay(2025, 1, 1)).monday, absl::CivilDay(2024, 12, 30));
}

TEST(VisitTest, APilotIsATownshipFromADayNeverInTheFuture) {
  absl::StatusOr<PilotDraft> d = ValidatePilot({"340722100", "会宫镇", "2023-03-01"}, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->township.value(), "340722100");
  EXPECT_EQ(d->name, "会宫镇");
  EXPECT_EQ(d->starts_on, absl::CivilDay(2023, 3, 1));
  absl::StatusOr<PilotDraft> today = ValidatePilot({"340722100", "", ""}, kToday);
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today->starts_on, kToday);
  for (const auto& [input, field] : std::vector<std::pair<PilotInput, std::string>>{
           {{"340722100001", "", ""}, "township_code"},
           {{"340722", "", ""}, "township_code"},
           {{"", "", ""}, "township_code"},
           {{"340722100", std::string(33, 'x'), ""}, "township_name"},
           {{"340722100", "", "2023-07-16"}, "start_date"},
           {{"340722100", "", "2023/07/01"}, "start_date"}}) {
    absl::StatusOr<PilotDraft> bad = ValidatePilot(input, kToday);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
    EXPECT_EQ(FieldOf(bad.status()), field) << bad.status();
  }
}

TEST(VisitTest, APilotRunsFromItsStartToItsLastDay) {
  const absl::CivilDay start(2023, 3, 1), end(2023, 6, 30);
  EXPECT_FALSE(PilotActiveOn(start, std::nullopt, start - 1));
  EXPECT_TRUE(PilotActiveOn(start, std::nullopt, start));
  EXPECT_TRUE(PilotActiveOn(start, end, end));
  EXPECT_FALSE(PilotActiveOn(start, end, end + 1));
  EXPECT_TRUE(PilotActiveIn(start, end, absl::CivilDay(2023, 1, 1), start));
  EXPECT_FALSE(PilotActiveIn(start, end, absl::CivilDay(2023, 1, 1), start - 1));
  EXPECT_TRUE(PilotActiveIn(start, end, end, absl::CivilDay(2023, 12, 31)));
  EXPECT_FALSE(PilotActiveIn(start, end, end + 1, absl::CivilDay(2023, 12, 31)));
  EXPECT_TRUE(
      PilotActiveIn(start, std::nullopt, absl::CivilDay(2030, 1, 1), absl::CivilDay(2030, 1, 2)));

  EXPECT_TRUE(CheckPilotRuns("township", "340722100", true, start, std::nullopt, start).ok());
  absl::Status none = CheckPilotRuns("township", "340722100", false, start, std::nullopt, start);
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(none), "township");
  absl::Status before = CheckPilotRuns("township_code", "340722100", true, start, end, start - 1);
  EXPECT_EQ(before.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(before), "township_code");
  EXPECT_EQ(CheckPilotRuns("township", "340722100", true, start, end, end + 1).code(),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_TRUE(CheckPilotEnd(start, std::nullopt, start).ok());
  absl::Status twice = CheckPilotEnd(start, end, kToday);
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(twice), "step");
  absl::Status early = CheckPilotEnd(start, std::nullopt, start - 1);
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(early), "end_date");
}

TEST(VisitTest, ThePersonsToVisitAre60OrOlderInAVillage) {
  const std::string id = Id("19500310", true, 3);
  absl::StatusOr<RegisterDraft> d =
      ValidateRegistration({"张某", id, "340722100001", "独居, 子女在外", "2023-05-01"}, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->registered_on, absl::CivilDay(2023, 5, 1));
  EXPECT_EQ(d->circumstances, "独居, 子女在外");
  // 59 on the day: refused as a precondition naming the ID number.
  absl::StatusOr<RegisterDraft> young =
      ValidateRegistration({"李某", Id("19630716", true, 4), "340722100001", "", ""}, kToday);
  ASSERT_FALSE(young.ok());
  EXPECT_EQ(young.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(young.status()), "id_number");
  EXPECT_TRUE(
      ValidateRegistration({"李某", Id("19630715", true, 4), "340722100001", "", ""}, kToday).ok());
  std::string wrong = id;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  for (const auto& [input, field] : std::vector<std::pair<RegisterInput, std::string>>{
           {{"", id, "340722100001", "", ""}, "name"},
           {{"张某", wrong, "340722100001", "", ""}, "id_number"},
           {{"张某", id, "340722100", "", ""}, "region_code"},
           {{"张某", id, "340722100001", std::string(501, 'x'), ""}, "circumstances"},
           {{"张某", id, "340722100001", "", "2023-07-16"}, "register_date"}}) {
    absl::StatusOr<RegisterDraft> bad = ValidateRegistration(input, kToday);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
    EXPECT_EQ(FieldOf(bad.status()), field) << bad.status();
  }
}

TEST(VisitTest, DeregistrationIsOnceAndNotBeforeTheRegistration) {
  const absl::CivilDay reg(2023, 5, 1);
  EXPECT_TRUE(CheckDeregistration(reg, std::nullopt, reg).ok());
  absl::Status twice = CheckDeregistration(reg, reg + 3, kToday);
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(twice), "step");
  absl::Status early = CheckDeregistration(reg, std::nullopt, reg - 1);
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(early), "date");
  // On the register from its day, off it from the day of deregistration.
  EXPECT_FALSE(OnRegister(reg, std::nullopt, reg - 1));
  EXPECT_TRUE(OnRegister(reg, std::nullopt, reg));
  EXPECT_TRUE(OnRegister(reg, reg + 10, reg + 9));
  EXPECT_FALSE(OnRegister(reg, reg + 10, reg + 10));
}

TEST(VisitTest, AVisitSaysWhoWhenWhatAndAFollowUpOnlyWhenNeeded) {
  const std::string id = Id("19400101", false, 5);
  VisitInput in{id, "2023-07-14", "村网格员王某", "身体尚可,\n家中无存粮", true, "送米面油"};
  absl::StatusOr<VisitDraft> d = ValidateVisit(in, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->visited_on, absl::CivilDay(2023, 7, 14));
  EXPECT_EQ(d->findings, "身体尚可,\n家中无存粮");
  EXPECT_TRUE(d->follow_up_needed);
  EXPECT_EQ(d->follow_up, "送米面油");
  EXPECT_EQ(ValidateVisit({id, "", "王某", "好", false, ""}, kToday)->visited_on, kToday);
  for (const auto& [input, field] : std::vector<std::pair<VisitInput, std::string>>{
           {{"", "", "王某", "好", false, ""}, "id_number"},
           {{id, "2023-07-16", "王某", "好", false, ""}, "visit_date"},
           {{id, "", "", "好", false, ""}, "visitor"},
           {{id, "", "王某", "", false, ""}, "findings"},
           {{id, "", "王某", std::string(2001, 'x'), false, ""}, "findings"},
           {{id, "", "王某", "好", true, ""}, "follow_up"},
           {{id, "", "王某", "好", true, "  "}, "follow_up"},
           {{id, "", "王某", "好", false, "送药"}, "follow_up"}}) {
    absl::StatusOr<VisitDraft> bad = ValidateVisit(input, kToday);
    ASSERT_FALSE(bad.ok()) << field;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
    EXPECT_EQ(FieldOf(bad.status()), field) << bad.status();
  }
}

TEST(VisitTest, OnlyRegisteredPersonsAreVisitedAndAFollowUpClosesOnce) {
  const absl::CivilDay reg(2023, 5, 1), visit(2023, 7, 14);
  EXPECT_TRUE(CheckVisitOfPerson(true, reg, std::nullopt, visit).ok());
  for (const absl::Status& s : {CheckVisitOfPerson(false, reg, std::nullopt, visit),
                                CheckVisitOfPerson(true, reg, std::nullopt, reg - 1),
                                CheckVisitOfPerson(true, reg, visit, visit)}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_EQ(FieldOf(s), "id_number") << s;
  }
  EXPECT_TRUE(CheckFollowUpClose(true, std::nullopt, visit, visit).ok());
  absl::Status none = CheckFollowUpClose(false, std::nullopt, visit, kToday);
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(none), "step");
  absl::Status closed = CheckFollowUpClose(true, visit, visit, kToday);
  EXPECT_EQ(closed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(closed), "step");
  absl::Status early = CheckFollowUpClose(true, std::nullopt, visit, visit - 1);
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(early), "date");
}

TEST(VisitTest, TheReportSentenceNamesThePilotTownships) {
  EXPECT_EQ(VisitPilotLine({"会宫镇", "雨坛镇", "浮山镇"}),
            "在会宫镇、雨坛镇、浮山镇开展特殊困难老年人探视走访试点项目试点,"
            "实施特殊困难独居老年人周探访");
  EXPECT_EQ(VisitPilotLine({"340722100"}),
            "在340722100开展特殊困难老年人探视走访试点项目试点,实施特殊困难独居老年人周探访");
  EXPECT_EQ(VisitPilotLine({}), "未开展特殊困难老年人探视走访试点");
}

}  // namespace
}  // namespace civil::eldercare
