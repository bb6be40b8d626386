// Project rules (pure C++) shared by township cemetery projects and disability service pilots:
// what a valid project is, the order of its milestones, and its status and overdue flag on any
// date, derived from the milestone dates alone.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::affairs {

// Numbers match civil.affairs.v1.ProjectKind / ProjectStatus / Milestone.
enum class ProjectKind { kCemetery = 1, kCareServicePilot = 2, kMentalHealthRehabPilot = 3 };
enum class ProjectStatus { kPlanned = 1, kUnderConstruction = 2, kCompleted = 3, kAccepted = 4 };
enum class Milestone { kStarted = 1, kCompleted = 2, kAccepted = 3 };

// Stored names: CEMETERY, CARE_SERVICE_PILOT, …; STARTED, COMPLETED, ACCEPTED.
inline constexpr absl::string_view kProjectKindNameList[] = {"", "CEMETERY", "CARE_SERVICE_PILOT",
                                                             "MENTAL_HEALTH_REHAB_PILOT"};
inline constexpr EnumNames kProjectKindNames{kProjectKindNameList};
inline constexpr absl::string_view kMilestoneNameList[] = {"", "STARTED", "COMPLETED", "ACCEPTED"};
inline constexpr EnumNames kMilestoneNames{kMilestoneNameList};

inline constexpr int kMinTargetYear = 2000;
inline constexpr int kMaxTargetYear = 2100;

// A validated new project.
struct ProjectDraft {
  ProjectKind kind = ProjectKind::kCemetery;
  std::string name;
  RegionCode region;
  int target_year = 0;
  absl::CivilDay due_date;
};

// The milestone dates of a project (each empty until recorded) and its due date.
struct ProjectDates {
  absl::CivilDay due_date;
  std::optional<absl::CivilDay> started;
  std::optional<absl::CivilDay> completed;
  std::optional<absl::CivilDay> accepted;
};

// Validates a new project: `name` 1–64 characters, `region_code` a 9-digit township or 12-digit
// village code, `target_year` in [2000, 2100], `due_date` empty (31 December of the target year)
// or `YYYY-MM-DD` not before 1 January of the target year. INVALID_ARGUMENT naming the field.
absl::StatusOr<ProjectDraft> ValidateProject(ProjectKind kind, absl::string_view name,
                                             absl::string_view region_code, int target_year,
                                             absl::string_view due_date);

// The status on `as_of`: milestones dated after `as_of` do not count yet.
ProjectStatus StatusOn(const ProjectDates& dates, absl::CivilDay as_of);

// Whether the project is overdue on `as_of`: not completed by then although its due date passed.
bool OverdueOn(const ProjectDates& dates, absl::CivilDay as_of);

// Checks that `milestone` may be recorded on `date`: milestones come once each, in order
// (started, completed, accepted), with dates not before the previous milestone's.
// FAILED_PRECONDITION naming the rule otherwise.
absl::Status CheckMilestone(const ProjectDates& dates, Milestone milestone, absl::CivilDay date);

// Returns `dates` with `milestone` recorded on `date` (after CheckMilestone).
ProjectDates WithMilestone(ProjectDates dates, Milestone milestone, absl::CivilDay date);

}  // namespace civil::affairs
