// Social-work stations (社工站, pure C++ on Abseil): the county station and one per township,
// their acceptance (验收), the yearly task list (任务清单) with its completion, supervision
// visits, and the counts as of a day (stations accepted, tasks completed and overdue).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/values.h"

namespace civil::socialorg {

enum class StationLevel { kCounty = 1, kTownship = 2 };
inline constexpr absl::string_view kStationLevelNameList[] = {"", "COUNTY", "TOWNSHIP"};
inline constexpr EnumNames kStationLevelNames{kStationLevelNameList};

enum class AcceptanceResult { kPassed = 1, kFailed = 2 };
inline constexpr absl::string_view kAcceptanceResultNameList[] = {"", "PASSED", "FAILED"};
inline constexpr EnumNames kAcceptanceResultNames{kAcceptanceResultNameList};

struct Station {
  std::string name;
  std::string region_code;  // 6 digits: the county station; 9: a township's
  StationLevel level = StationLevel::kTownship;
  absl::CivilDay established_on;
};

// A station as entered: `name` required; `region_code` of the county (6 digits) or a township
// (9 digits), which decides the level; `established_date` default `today`, never in the future.
// INVALID_ARGUMENT naming the field.
absl::StatusOr<Station> ValidateStation(absl::string_view name, absl::string_view region_code,
                                        absl::string_view established_date, absl::CivilDay today);

struct Acceptance {
  absl::CivilDay accepted_on;
  AcceptanceResult result = AcceptanceResult::kPassed;
  std::string notes;
};

// An acceptance as entered: `accepted_date` default `today`, never in the future; `result`
// required; notes required when it failed. INVALID_ARGUMENT naming the field.
absl::StatusOr<Acceptance> ValidateAcceptance(absl::string_view accepted_date, int result,
                                              absl::string_view notes, absl::CivilDay today);

// Whether `station` with `earlier` acceptances may take `next`: FAILED_PRECONDITION
// "accepted_date: …" before the station's establishment or not after the latest acceptance, and
// "station_id: …" when it passed already.
absl::Status CheckAcceptable(const Station& station, const std::vector<Acceptance>& earlier,
                             const Acceptance& next);

// Whether the station stood accepted on `day`: its latest acceptance on or before it passed.
bool AcceptedOn(const std::vector<Acceptance>& acceptances, absl::CivilDay day);

struct StationTask {
  int year = 0;
  std::string title;
  absl::CivilDay due_on;
};

// A task of the yearly list: `year` 2000..2100, `title` required, `due_date` required and within
// the year. INVALID_ARGUMENT naming the field.
absl::StatusOr<StationTask> ValidateTask(int year, absl::string_view title,
                                         absl::string_view due_date);

struct TaskCompletion {
  absl::CivilDay completed_on;
  std::string evidence;
};

// A completion as entered: `completed_date` default `today`, never in the future; `evidence`
// (the record that shows it done) required. INVALID_ARGUMENT naming the field.
absl::StatusOr<TaskCompletion> ValidateCompletion(absl::string_view completed_date,
                                                  absl::string_view evidence, absl::CivilDay today);

// Whether `task` may be completed by `completion`: FAILED_PRECONDITION "task_id: …" when it is
// completed already, "completed_date: …" before the task's year.
absl::Status CheckCompletable(const StationTask& task, const std::optional<TaskCompletion>& done,
                              const TaskCompletion& completion);

struct Visit {
  absl::CivilDay visited_on;
  std::string visitor;
  std::string findings;
};

// A supervision visit: `visited_date` default `today`, never in the future; `visitor` and
// `findings` required. INVALID_ARGUMENT naming the field.
absl::StatusOr<Visit> ValidateVisit(absl::string_view visited_date, absl::string_view visitor,
                                    absl::string_view findings, absl::CivilDay today);

// One station with its acceptances and tasks (each with its completion, if any).
struct StationFacts {
  Station station;
  std::vector<Acceptance> acceptances;
  std::vector<std::pair<StationTask, std::optional<TaskCompletion>>> tasks;
};

struct StationCounts {
  int stations = 0;            // established on or before the day
  int county_accepted = 0;     // the county station accepted on the day (0 or 1)
  int townships_accepted = 0;  // township stations accepted on the day
  int tasks = 0;               // tasks of the day's year
  int tasks_completed = 0;     // of those, completed on or before the day
  int tasks_overdue = 0;       // due before the day and not completed by it
};

// The counts as of `day` over `stations`.
StationCounts CountStationsAsOf(const std::vector<StationFacts>& stations, absl::CivilDay day);

}  // namespace civil::socialorg
