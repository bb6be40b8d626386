// Unit tests of the funeral rules: cremation validation (dates), the fee waiver chosen from the
// fee schedules, fee schedule and funeral vehicle case validation, and project milestones.
#include "services/affairs/funeral.h"

#include <gtest/gtest.h>

#include "services/affairs/project.h"
#include "tests/support/test_ids.h"

namespace civil::affairs {
namespace {

using testing::Id;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

RegionCode Region(const char* code) { return *RegionCode::Parse(code); }

CremationInput Valid() {
  return CremationInput{"王某",       Id("19400101", true), "2023-03-01",
                        "2023-03-03", "枞阳县殡仪馆",       "340722100001"};
}

TEST(CremationTest, AcceptsAValidRecordAndDefaultsTheCremationDateToToday) {
  absl::StatusOr<CremationDraft> d = ValidateCremation(Valid(), Day(2023, 6, 30));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->date_of_death, Day(2023, 3, 1));
  EXPECT_EQ(d->cremation_date, Day(2023, 3, 3));
  CremationInput in = Valid();
  in.cremation_date = "";
  in.date_of_death = "2023-06-30";
  d = ValidateCremation(in, Day(2023, 6, 30));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->cremation_date, Day(2023, 6, 30));
}

TEST(CremationTest, RejectsImpossibleDatesNamingTheField) {
  const absl::CivilDay today = Day(2023, 6, 30);
  auto message = [&](const CremationInput& in) {
    return std::string(ValidateCremation(in, today).status().message());
  };
  CremationInput in = Valid();
  in.cremation_date = "2023-07-01";
  EXPECT_EQ(message(in), "cremation_date: must not be in the future (today is 2023-06-30)");
  in = Valid();
  in.date_of_death = "2023-03-04";
  EXPECT_EQ(message(in), "date_of_death: must not be after the cremation date");
  in = Valid();
  in.date_of_death = "";
  EXPECT_EQ(message(in), "date_of_death: is required");
  in = Valid();
  in.id_number = Id("19400101", true).substr(0, 17);
  EXPECT_EQ(message(in), "id_number: must be 18 characters");
  in = Valid();
  in.id_number = Id("20230601", true);
  in.date_of_death = "2023-05-01";
  in.cremation_date = "2023-06-02";
  EXPECT_EQ(message(in), "date_of_death: must not be before the birth date in the ID number");
  in = Valid();
  in.region_code = "340722100";
  EXPECT_EQ(message(in), "region_code: must be a 12-digit region code");
  in = Valid();
  in.funeral_home = " ";
  EXPECT_EQ(message(in), "funeral_home: is required");
}

std::vector<FeeSchedule> Schedules() {
  auto make = [](const char* id, const char* prefix, absl::CivilDay from, int64_t fen) {
    return FeeSchedule{id, Region(prefix), from, {{"CREMATION", "火化", fen}}, Money::Fen(fen)};
  };
  return {make("county-2020", "340722", Day(2020, 1, 1), 80000),
          make("county-2023", "340722", Day(2023, 1, 1), 100000),
          make("town-2022", "340722100", Day(2022, 1, 1), 120000)};
}

TEST(FeeWaiverTest, ChoosesTheMostLocalThenLatestSchedule) {
  const std::vector<FeeSchedule> schedules = Schedules();
  // Another township of the county: the county schedule in force on the date.
  const FeeSchedule* s = SelectFeeSchedule(schedules, Region("340722200001"), Day(2022, 12, 31));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schedule_id, "county-2020");
  s = SelectFeeSchedule(schedules, Region("340722200001"), Day(2023, 1, 1));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schedule_id, "county-2023");
  EXPECT_EQ(s->waived, Money::Fen(100000));
  // The township's own schedule wins over the county's, even an older one.
  s = SelectFeeSchedule(schedules, Region("340722100001"), Day(2023, 6, 1));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schedule_id, "town-2022");
  // Before the township's schedule applied, the county's did.
  s = SelectFeeSchedule(schedules, Region("340722100001"), Day(2021, 6, 1));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->schedule_id, "county-2020");
}

TEST(FeeWaiverTest, NothingIsWaivedForNonResidentsOrBeforeAnySchedule) {
  EXPECT_EQ(SelectFeeSchedule(Schedules(), Region("340823100001"), Day(2023, 6, 1)), nullptr);
  EXPECT_EQ(SelectFeeSchedule(Schedules(), Region("340722200001"), Day(2019, 12, 31)), nullptr);
  EXPECT_EQ(SelectFeeSchedule({}, Region("340722200001"), Day(2023, 6, 1)), nullptr);
}

TEST(FeeScheduleTest, SumsTheItemsAndValidatesThem) {
  absl::StatusOr<FeeSchedule> s = ValidateFeeSchedule("340722", "2023-01-01",
                                                      {{"TRANSPORT", "遗体接运", 30000},
                                                       {"STORAGE", "遗体存放", 20000},
                                                       {"CREMATION", "遗体火化", 50000},
                                                       {"URN", "骨灰盒", 0}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->waived, Money::Fen(100000));
  EXPECT_EQ(ValidateFeeSchedule("340722", "2023-01-01", {}).status().message(),
            "items: at least one fee item is required");
  EXPECT_EQ(ValidateFeeSchedule("340722", "2023-01-01", {{"A", "a", 1}, {"A", "b", 2}})
                .status()
                .message(),
            "items[1].code: appears twice");
  EXPECT_EQ(ValidateFeeSchedule("340722", "2023-01-01", {{"a b", "a", 1}}).status().message(),
            "items[0].code: must be 1 to 32 of A-Z, 0-9 and _");
  EXPECT_EQ(ValidateFeeSchedule("340722", "2023-01-01", {{"A", "a", -1}}).status().message(),
            "items[0].amount_fen: must be from 0 to 100000000");
  EXPECT_EQ(ValidateFeeSchedule("", "2023-01-01", {{"A", "a", 1}}).status().message(),
            "region_prefix: is required");
  EXPECT_EQ(ValidateFeeSchedule("340722", "", {{"A", "a", 1}}).status().message(),
            "effective_from: is required");
}

TEST(VehicleCaseTest, FineGoesWithTheFinedOutcome) {
  VehicleCaseInput in{"340722100", "2023-04-01", "皖G12345", 2, 2, 50000, "民政,公安", ""};
  EXPECT_TRUE(ValidateVehicleCase(in, Day(2023, 6, 30)).ok());
  in.fine_fen = 0;
  EXPECT_EQ(ValidateVehicleCase(in, Day(2023, 6, 30)).status().message(),
            "fine_fen: must be positive exactly when the outcome is FINED");
  in.outcome = 1;
  EXPECT_TRUE(ValidateVehicleCase(in, Day(2023, 6, 30)).ok());
  in.violation = 0;
  EXPECT_EQ(ValidateVehicleCase(in, Day(2023, 6, 30)).status().message(),
            "violation: must be given");
  in.violation = 1;
  in.date = "2023-07-01";
  EXPECT_EQ(ValidateVehicleCase(in, Day(2023, 6, 30)).status().message(),
            "date: must not be in the future (today is 2023-06-30)");
}

TEST(ProjectTest, StatusAndOverdueFollowTheMilestoneDates) {
  ProjectDates d{Day(2023, 12, 31), Day(2023, 3, 1), Day(2023, 6, 1), std::nullopt};
  EXPECT_EQ(StatusOn(d, Day(2023, 2, 28)), ProjectStatus::kPlanned);
  EXPECT_EQ(StatusOn(d, Day(2023, 3, 1)), ProjectStatus::kUnderConstruction);
  EXPECT_EQ(StatusOn(d, Day(2023, 6, 1)), ProjectStatus::kCompleted);
  d.accepted = Day(2023, 8, 1);
  EXPECT_EQ(StatusOn(d, Day(2023, 8, 1)), ProjectStatus::kAccepted);
  EXPECT_FALSE(OverdueOn(d, Day(2024, 1, 1)));

  ProjectDates late{Day(2023, 9, 30), Day(2023, 7, 1), std::nullopt, std::nullopt};
  EXPECT_FALSE(OverdueOn(late, Day(2023, 9, 30)));  // the due day itself is not late
  EXPECT_TRUE(OverdueOn(late, Day(2023, 10, 1)));
  late.completed = Day(2023, 10, 15);
  EXPECT_TRUE(OverdueOn(late, Day(2023, 10, 14)));
  EXPECT_FALSE(OverdueOn(late, Day(2023, 10, 15)));
}

TEST(ProjectTest, MilestonesComeInOrderOnceEach) {
  ProjectDates d{Day(2023, 12, 31), std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(CheckMilestone(d, Milestone::kCompleted, Day(2023, 5, 1)).message(),
            "milestone: a project is completed only after it was started");
  ASSERT_TRUE(CheckMilestone(d, Milestone::kStarted, Day(2023, 3, 1)).ok());
  d = WithMilestone(d, Milestone::kStarted, Day(2023, 3, 1));
  EXPECT_EQ(CheckMilestone(d, Milestone::kStarted, Day(2023, 3, 2)).message(),
            "milestone: STARTED was already recorded on 2023-03-01");
  EXPECT_EQ(CheckMilestone(d, Milestone::kCompleted, Day(2023, 2, 1)).message(),
            "date: COMPLETED on 2023-02-01 would be before it was started (2023-03-01)");
  EXPECT_TRUE(CheckMilestone(d, Milestone::kCompleted, Day(2023, 3, 1)).ok());
}

TEST(ProjectTest, ValidatesNewProjects) {
  absl::StatusOr<ProjectDraft> p =
      ValidateProject(ProjectKind::kCemetery, "麒麟镇公墓", "340722104", 2023, "");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->due_date, Day(2023, 12, 31));
  EXPECT_EQ(ValidateProject(ProjectKind::kCemetery, "x", "340722", 2023, "").status().message(),
            "region_code: must be a 9/12-digit region code");
  EXPECT_EQ(ValidateProject(ProjectKind::kCemetery, "x", "340722104", 1999, "").status().message(),
            "target_year: must be from 2000 to 2100");
  EXPECT_EQ(ValidateProject(ProjectKind::kCemetery, "x", "340722104", 2023, "2022-12-31")
                .status()
                .message(),
            "due_date: must not be before the target year");
}

}  // namespace
}  // namespace civil::affairs
