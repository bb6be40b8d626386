#include "services/report/target.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::report {
namespace {

absl::Status CheckMeasure(absl::string_view measure) {
  if (measure.empty()) return InvalidField("measure", "is required");
  if (measure.size() > 64) return InvalidField("measure", "must be at most 64 characters");
  for (char c : measure) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '.')) {
      return InvalidField("measure", "may hold only a-z, 0-9, '_' and '.'");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPlanned(int64_t planned) {
  if (planned <= 0) return InvalidField("planned", "must be more than 0");
  return absl::OkStatus();
}

}  // namespace

bool IsDepartment(absl::string_view name) {
  for (const char* d : kDepartments) {
    if (name == d) return true;
  }
  return false;
}

absl::StatusOr<Target> NewTarget(const TargetInput& input, std::string region_prefix) {
  Target t;
  if (input.department.empty()) return InvalidField("department", "is required");
  if (!IsDepartment(input.department)) {
    return InvalidField("department",
                        "must be assistance, eldercare, childwelfare, governance, affairs or "
                        "socialorg");
  }
  t.department = input.department;
  CIVIL_RETURN_IF_ERROR(CheckMeasure(input.measure));
  t.measure = input.measure;
  CIVIL_ASSIGN_OR_RETURN(t.description,
                         RequiredText("description", input.description, 200, "is required"));
  CIVIL_ASSIGN_OR_RETURN(t.unit, RequiredText("unit", input.unit, 8, "is required"));
  CIVIL_RETURN_IF_ERROR(CheckPlanned(input.planned));
  t.planned = input.planned;
  CIVIL_ASSIGN_OR_RETURN(t.due, RequiredDate("due_date", input.due_date));
  CIVIL_ASSIGN_OR_RETURN(t.owner, RequiredText("owner", input.owner, 50, "is required"));
  t.region_prefix = std::move(region_prefix);
  return t;
}

absl::StatusOr<Target> ChangedTarget(Target target, const TargetInput& change) {
  if (!change.description.empty()) {
    CIVIL_ASSIGN_OR_RETURN(target.description,
                           RequiredText("description", change.description, 200, "is required"));
  }
  if (change.planned != 0) {
    CIVIL_RETURN_IF_ERROR(CheckPlanned(change.planned));
    target.planned = change.planned;
  }
  if (!change.due_date.empty()) {
    CIVIL_ASSIGN_OR_RETURN(target.due, RequiredDate("due_date", change.due_date));
  }
  if (!change.owner.empty()) {
    CIVIL_ASSIGN_OR_RETURN(target.owner, RequiredText("owner", change.owner, 50, "is required"));
  }
  return target;
}

TargetProgress ProgressOf(const Target& target, std::optional<int64_t> done, absl::CivilDay as_of) {
  TargetProgress p{target, Progress::kDataMissing, done};
  if (!done.has_value()) return p;
  if (*done >= target.planned) {
    p.status = Progress::kDone;
  } else if (as_of > target.due) {
    p.status = Progress::kOverdue;
  } else {
    const absl::CivilDay year_start(target.due.year(), 1, 1);
    const int64_t span = target.due - year_start + 1;
    const int64_t elapsed = as_of < year_start ? 0 : as_of - year_start + 1;
    // done / planned < elapsed / span, in integers.
    p.status = *done * span < target.planned * elapsed ? Progress::kBehind : Progress::kOnTrack;
  }
  return p;
}

}  // namespace civil::report
