#include "services/affairs/project.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::affairs {

absl::StatusOr<ProjectDraft> ValidateProject(ProjectKind kind, absl::string_view name,
                                             absl::string_view region_code, int target_year,
                                             absl::string_view due_date) {
  absl::StatusOr<std::string> clean_name = BoundedText("name", name, 64);
  if (!clean_name.ok()) return clean_name.status();
  absl::StatusOr<RegionCode> region = RegionOf(
      "region_code", region_code, {RegionCode::Level::kTownship, RegionCode::Level::kVillage});
  if (!region.ok()) return region.status();
  if (target_year < kMinTargetYear || target_year > kMaxTargetYear) {
    return InvalidField("target_year",
                        absl::StrCat("must be from ", kMinTargetYear, " to ", kMaxTargetYear));
  }
  absl::CivilDay due(target_year, 12, 31);
  if (!due_date.empty()) {
    absl::StatusOr<absl::CivilDay> parsed = ParseDay(due_date);
    if (!parsed.ok()) return InvalidField("due_date", parsed.status().message());
    if (*parsed < absl::CivilDay(target_year, 1, 1)) {
      return InvalidField("due_date", "must not be before the target year");
    }
    due = *parsed;
  }
  return ProjectDraft{kind, *std::move(clean_name), *std::move(region), target_year, due};
}

ProjectStatus StatusOn(const ProjectDates& dates, absl::CivilDay as_of) {
  auto reached = [&](const std::optional<absl::CivilDay>& d) { return d && *d <= as_of; };
  if (reached(dates.accepted)) return ProjectStatus::kAccepted;
  if (reached(dates.completed)) return ProjectStatus::kCompleted;
  if (reached(dates.started)) return ProjectStatus::kUnderConstruction;
  return ProjectStatus::kPlanned;
}

bool OverdueOn(const ProjectDates& dates, absl::CivilDay as_of) {
  const bool completed = dates.completed && *dates.completed <= as_of;
  return !completed && as_of > dates.due_date;
}

absl::Status CheckMilestone(const ProjectDates& dates, Milestone milestone, absl::CivilDay date) {
  const std::optional<absl::CivilDay>* previous = nullptr;
  const std::optional<absl::CivilDay>* current = nullptr;
  absl::string_view previous_name;
  switch (milestone) {
    case Milestone::kStarted:
      current = &dates.started;
      break;
    case Milestone::kCompleted:
      current = &dates.completed;
      previous = &dates.started;
      previous_name = "started";
      break;
    case Milestone::kAccepted:
      current = &dates.accepted;
      previous = &dates.completed;
      previous_name = "completed";
      break;
  }
  const absl::string_view name = kMilestoneNames.Name(static_cast<int>(milestone));
  if (current->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("milestone: ", name, " was already recorded on ", FormatDay(**current)));
  }
  if (previous != nullptr && !previous->has_value()) {
    return absl::FailedPreconditionError(absl::StrCat("milestone: a project is ",
                                                      absl::AsciiStrToLower(name),
                                                      " only after it was ", previous_name));
  }
  if (previous != nullptr && date < **previous) {
    return absl::FailedPreconditionError(absl::StrCat("date: ", name, " on ", FormatDay(date),
                                                      " would be before it was ", previous_name,
                                                      " (", FormatDay(**previous), ")"));
  }
  return absl::OkStatus();
}

ProjectDates WithMilestone(ProjectDates dates, Milestone milestone, absl::CivilDay date) {
  switch (milestone) {
    case Milestone::kStarted:
      dates.started = date;
      break;
    case Milestone::kCompleted:
      dates.completed = date;
      break;
    case Milestone::kAccepted:
      dates.accepted = date;
      break;
  }
  return dates;
}

}  // namespace civil::affairs
