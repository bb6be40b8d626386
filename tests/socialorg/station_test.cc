// Unit tests of the social-work station rules (services/socialorg/station.h): levels from the
// region code, acceptance order, the yearly task list and the counts as of a day. No servers.
#include "services/socialorg/station.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(StationTest, TheRegionCodeDecidesTheLevel) {
  const absl::CivilDay today = D(2023, 6, 30);
  EXPECT_EQ(ValidateStation("枞阳县社工总站", "340722", "2022-05-01", today)->level,
            StationLevel::kCounty);
  EXPECT_EQ(ValidateStation("枞阳镇社工站", "340722100", "", today)->level,
            StationLevel::kTownship);
  EXPECT_EQ(ValidateStation("枞阳镇社工站", "340722100", "", today)->established_on, today);
  EXPECT_NE(
      ValidateStation("村社工室", "340722100201", "", today).status().message().find("region_code"),
      std::string::npos);
  EXPECT_NE(ValidateStation("站", "340722100", "2023-07-01", today)
                .status()
                .message()
                .find("established_date"),
            std::string::npos);
}

TEST(StationTest, AcceptanceFollowsEstablishmentAndEndsWhenPassed) {
  const Station s{"枞阳镇社工站", "340722100", StationLevel::kTownship, D(2022, 5, 1)};
  const Acceptance failed{D(2022, 10, 1), AcceptanceResult::kFailed, "台账不全"};
  const Acceptance passed{D(2022, 12, 1), AcceptanceResult::kPassed, ""};
  EXPECT_EQ(CheckAcceptable(s, {}, {D(2022, 4, 30), AcceptanceResult::kPassed, ""}).message(),
            "accepted_date: must not be before the station's establishment on 2022-05-01");
  EXPECT_TRUE(CheckAcceptable(s, {failed}, passed).ok());
  EXPECT_EQ(CheckAcceptable(s, {failed}, {D(2022, 9, 1), AcceptanceResult::kPassed, ""}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckAcceptable(s, {failed, passed}, {D(2023, 1, 1), AcceptanceResult::kPassed, ""})
                .message(),
            "station_id: the station passed its acceptance on 2022-12-01");
  EXPECT_FALSE(AcceptedOn({failed, passed}, D(2022, 11, 30)));
  EXPECT_TRUE(AcceptedOn({failed, passed}, D(2022, 12, 1)));
  EXPECT_EQ(ValidateAcceptance("", 2, "", D(2023, 1, 1)).status().message(),
            "notes: a failed acceptance needs what is wanting");
  EXPECT_EQ(ValidateAcceptance("", 0, "", D(2023, 1, 1)).status().message(), "result: is required");
}

TEST(StationTest, TasksAreOfTheirYearAndCompletedOnceWithEvidence) {
  EXPECT_EQ(ValidateTask(2023, "走访困难群众", "2024-01-10").status().message(),
            "due_date: must be within the year 2023");
  EXPECT_TRUE(ValidateTask(2023, "走访困难群众", "2023-06-30").ok());
  EXPECT_EQ(ValidateCompletion("", "", D(2023, 6, 1)).status().message(),
            "evidence: a completion needs the record that shows it done");
  EXPECT_EQ(ValidateCompletion("2023-06-02", "记录", D(2023, 6, 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  const StationTask task{2023, "走访困难群众", D(2023, 6, 30)};
  const TaskCompletion done{D(2023, 5, 1), "走访记录"};
  EXPECT_EQ(CheckCompletable(task, done, done).message(),
            "task_id: completed already on 2023-05-01");
  EXPECT_EQ(CheckCompletable(task, std::nullopt, {D(2022, 12, 31), "x"}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StationTest, CountsAsOfADay) {
  StationFacts county{{"总站", "340722", StationLevel::kCounty, D(2022, 1, 1)},
                      {{D(2022, 6, 1), AcceptanceResult::kPassed, ""}},
                      {}};
  StationFacts town{{"镇站", "340722100", StationLevel::kTownship, D(2022, 1, 1)},
                    {{D(2023, 3, 1), AcceptanceResult::kPassed, ""}},
                    {}};
  town.tasks.push_back({{2023, "a", D(2023, 3, 31)}, TaskCompletion{D(2023, 3, 20), "e"}});
  town.tasks.push_back({{2023, "b", D(2023, 4, 30)}, std::nullopt});
  town.tasks.push_back({{2023, "c", D(2023, 12, 31)}, TaskCompletion{D(2023, 7, 2), "e"}});
  town.tasks.push_back({{2022, "old", D(2022, 12, 31)}, std::nullopt});
  StationFacts later{{"新站", "340722101", StationLevel::kTownship, D(2023, 7, 1)}, {}, {}};
  const StationCounts june = CountStationsAsOf({county, town, later}, D(2023, 6, 30));
  EXPECT_EQ(june.stations, 2);
  EXPECT_EQ(june.county_accepted, 1);
  EXPECT_EQ(june.townships_accepted, 1);
  EXPECT_EQ(june.tasks, 3);
  EXPECT_EQ(june.tasks_completed, 1);
  EXPECT_EQ(june.tasks_overdue, 1);
  const StationCounts feb = CountStationsAsOf({county, town, later}, D(2023, 2, 1));
  EXPECT_EQ(feb.townships_accepted, 0);
  EXPECT_EQ(feb.tasks_completed, 0);
  EXPECT_EQ(feb.tasks_overdue, 0);
}

}  // namespace
}  // namespace civil::socialorg
