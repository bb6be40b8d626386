#include "services/socialorg/station.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {

absl::StatusOr<Station> ValidateStation(absl::string_view name, absl::string_view region_code,
                                        absl::string_view established_date, absl::CivilDay today) {
  Station s;
  CIVIL_ASSIGN_OR_RETURN(s.name, BoundedText("name", name, 100));
  CIVIL_ASSIGN_OR_RETURN(const RegionCode region,
                         RegionOf("region_code", region_code,
                                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship}));
  s.region_code = std::string(region_code);
  s.level = s.region_code.size() == 6 ? StationLevel::kCounty : StationLevel::kTownship;
  CIVIL_ASSIGN_OR_RETURN(s.established_on, EventDate("established_date", established_date, today));
  return s;
}

absl::StatusOr<Acceptance> ValidateAcceptance(absl::string_view accepted_date, int result,
                                              absl::string_view notes, absl::CivilDay today) {
  Acceptance a;
  CIVIL_ASSIGN_OR_RETURN(a.accepted_on, EventDate("accepted_date", accepted_date, today));
  CIVIL_RETURN_IF_ERROR(kAcceptanceResultNames.Require("result", result));
  a.result = static_cast<AcceptanceResult>(result);
  if (a.result == AcceptanceResult::kFailed) {
    CIVIL_ASSIGN_OR_RETURN(
        a.notes, RequiredText("notes", notes, 4000, "a failed acceptance needs what is wanting",
                              TextLines::kMany));
  } else {
    CIVIL_ASSIGN_OR_RETURN(a.notes, BoundedText("notes", notes, 4000, false, TextLines::kMany));
  }
  return a;
}

absl::Status CheckAcceptable(const Station& station, const std::vector<Acceptance>& earlier,
                             const Acceptance& next) {
  if (next.accepted_on < station.established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("accepted_date: must not be before the station's establishment on ",
                     FormatDay(station.established_on)));
  }
  for (const Acceptance& a : earlier) {
    if (a.result == AcceptanceResult::kPassed) {
      return absl::FailedPreconditionError(absl::StrCat(
          "station_id: the station passed its acceptance on ", FormatDay(a.accepted_on)));
    }
    if (next.accepted_on <= a.accepted_on) {
      return absl::FailedPreconditionError(absl::StrCat(
          "accepted_date: must be after the last acceptance on ", FormatDay(a.accepted_on)));
    }
  }
  return absl::OkStatus();
}

bool AcceptedOn(const std::vector<Acceptance>& acceptances, absl::CivilDay day) {
  const Acceptance* latest = nullptr;
  for (const Acceptance& a : acceptances) {
    if (a.accepted_on <= day && (latest == nullptr || a.accepted_on > latest->accepted_on)) {
      latest = &a;
    }
  }
  return latest != nullptr && latest->result == AcceptanceResult::kPassed;
}

absl::StatusOr<StationTask> ValidateTask(int year, absl::string_view title,
                                         absl::string_view due_date) {
  StationTask t;
  if (year < 2000 || year > 2100) return InvalidField("year", "must be between 2000 and 2100");
  t.year = year;
  CIVIL_ASSIGN_OR_RETURN(t.title, BoundedText("title", title, 200));
  CIVIL_ASSIGN_OR_RETURN(t.due_on, RequiredDate("due_date", due_date));
  if (t.due_on.year() != year) {
    return InvalidField("due_date", absl::StrCat("must be within the year ", year));
  }
  return t;
}

absl::StatusOr<TaskCompletion> ValidateCompletion(absl::string_view completed_date,
                                                  absl::string_view evidence,
                                                  absl::CivilDay today) {
  TaskCompletion c;
  CIVIL_ASSIGN_OR_RETURN(c.completed_on, EventDate("completed_date", completed_date, today));
  CIVIL_ASSIGN_OR_RETURN(
      c.evidence,
      RequiredText("evidence", evidence, 4000, "a completion needs the record that shows it done",
                   TextLines::kMany));
  return c;
}

absl::Status CheckCompletable(const StationTask& task, const std::optional<TaskCompletion>& done,
                              const TaskCompletion& completion) {
  if (done) {
    return absl::FailedPreconditionError(
        absl::StrCat("task_id: completed already on ", FormatDay(done->completed_on)));
  }
  if (completion.completed_on.year() < task.year) {
    return absl::FailedPreconditionError(
        absl::StrCat("completed_date: must not be before the task's year ", task.year));
  }
  return absl::OkStatus();
}

absl::StatusOr<Visit> ValidateVisit(absl::string_view visited_date, absl::string_view visitor,
                                    absl::string_view findings, absl::CivilDay today) {
  Visit v;
  CIVIL_ASSIGN_OR_RETURN(v.visited_on, EventDate("visited_date", visited_date, today));
  CIVIL_ASSIGN_OR_RETURN(v.visitor, BoundedText("visitor", visitor, 100));
  CIVIL_ASSIGN_OR_RETURN(v.findings,
                         BoundedText("findings", findings, 4000, true, TextLines::kMany));
  return v;
}

StationCounts CountStationsAsOf(const std::vector<StationFacts>& stations, absl::CivilDay day) {
  StationCounts c;
  for (const StationFacts& f : stations) {
    if (f.station.established_on > day) continue;
    ++c.stations;
    if (AcceptedOn(f.acceptances, day)) {
      ++(f.station.level == StationLevel::kCounty ? c.county_accepted : c.townships_accepted);
    }
    for (const auto& [task, done] : f.tasks) {
      if (task.year != day.year()) continue;
      ++c.tasks;
      const bool completed = done && done->completed_on <= day;
      c.tasks_completed += completed;
      c.tasks_overdue += !completed && task.due_on < day;
    }
  }
  return c;
}

}  // namespace civil::socialorg
