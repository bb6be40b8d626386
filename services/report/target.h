// The rules of a work-summary target (下半年工作安排): what a valid target is, and how far along
// it is, counted from the departments' figures of a period (never typed in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace civil::report {

// The departments of the bureau, in the order of the document's sections.
inline constexpr const char* kDepartments[] = {"assistance", "eldercare", "childwelfare",
                                               "governance", "affairs",   "socialorg"};
bool IsDepartment(absl::string_view name);

struct Target {
  std::string target_id;  // empty before it is stored
  std::string department;
  std::string measure;
  std::string description;
  std::string unit;
  int64_t planned = 0;
  absl::CivilDay due;
  std::string owner;
  std::string region_prefix;
};

// A target as a request writes it (text as given).
struct TargetInput {
  std::string department, measure, description, unit, due_date, owner;
  int64_t planned = 0;
};

// The target `input` describes, for `region_prefix` (already scoped by the adapter).
// INVALID_ARGUMENT naming the field: `department` not one of kDepartments, `measure` empty or not
// `[a-z0-9_.]{1,64}`, `description` (≤ 200 characters), `unit` (≤ 8), `owner` (≤ 50) missing,
// `planned` not above 0, `due_date` missing or malformed.
absl::StatusOr<Target> NewTarget(const TargetInput& input, std::string region_prefix);

// `target` with the non-empty fields of `change` applied (department, measure and unit never
// change; `planned` 0 = unchanged). Same errors as NewTarget for the fields given.
absl::StatusOr<Target> ChangedTarget(Target target, const TargetInput& change);

enum class Progress { kDone, kOnTrack, kBehind, kOverdue, kDataMissing };

struct TargetProgress {
  Target target;
  Progress status = Progress::kDataMissing;
  std::optional<int64_t> done;  // nullopt: 数据暂缺
};

// How far `target` is on `as_of` with `done` counted (nullopt when no figure counts it):
// kDataMissing without a count; kDone when done ≥ planned; kOverdue when `as_of` is after the due
// date; kBehind when done is below the share of `planned` that the days elapsed since 1 January
// of the due date's year call for (linearly up to the due date); kOnTrack otherwise.
TargetProgress ProgressOf(const Target& target, std::optional<int64_t> done, absl::CivilDay as_of);

}  // namespace civil::report
