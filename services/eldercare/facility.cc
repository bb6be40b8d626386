#include "services/eldercare/facility.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::eldercare {

absl::StatusOr<FacilityDraft> ValidateFacility(const FacilityInput& input, absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(kFacilityKindNames.Require("kind", input.kind));
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("name", input.name, 64));
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code,
                                  {RegionCode::Level::kTownship, RegionCode::Level::kVillage}));
  if (input.target_year < 2000 || input.target_year > 2100) {
    return InvalidField("target_year", "must be from 2000 to 2100");
  }
  CIVIL_ASSIGN_OR_RETURN(std::string op, BoundedText("operator", input.operator_name, 64,
                                                     /*required=*/false));
  if (input.capacity < 0 || input.capacity > kMaxCapacity) {
    return InvalidField("capacity", absl::StrCat("must be from 0 to ", kMaxCapacity));
  }
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay planned,
                         EventDate("planned_date", input.planned_date, today));
  return FacilityDraft{static_cast<FacilityKind>(input.kind),
                       std::move(name),
                       std::move(region),
                       input.target_year,
                       std::move(op),
                       input.capacity,
                       planned};
}

absl::Status CheckFacilityStep(FacilityStatus current, absl::CivilDay last_step_on, int next,
                               absl::CivilDay on) {
  CIVIL_RETURN_IF_ERROR(kFacilityStatusNames.Require("status", next));
  const int expected = static_cast<int>(current) + 1;
  if (next != expected) {
    if (current == FacilityStatus::kOperating) {
      return absl::FailedPreconditionError(
          absl::StrCat("status: the facility is OPERATING, the last step; not ",
                       kFacilityStatusNames.Name(next)));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "status: the facility is ", kFacilityStatusNames.Name(static_cast<int>(current)),
        "; the next step is ", kFacilityStatusNames.Name(expected), ", not ",
        kFacilityStatusNames.Name(next)));
  }
  if (on < last_step_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "date: must not be before the previous step's date ", FormatDay(last_step_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckSixNotices(FacilityKind kind) {
  if (kind != FacilityKind::kCanteen) {
    return absl::FailedPreconditionError(
        "facility_id: 六公示 is recorded for canteens and meal points only");
  }
  return absl::OkStatus();
}

absl::Status CheckMeals(FacilityKind kind, FacilityStatus status, int64_t meals) {
  if (kind != FacilityKind::kCanteen) {
    return absl::FailedPreconditionError(
        "facility_id: meals are recorded for canteens and meal points only");
  }
  if (meals < 0 || meals > kMaxMealsPerMonth) {
    return InvalidField("meals", absl::StrCat("must be from 0 to ", kMaxMealsPerMonth));
  }
  if (status != FacilityStatus::kOperating) {
    return absl::FailedPreconditionError(
        absl::StrCat("status: the canteen is ", kFacilityStatusNames.Name(static_cast<int>(status)),
                     "; meals are recorded once it is OPERATING"));
  }
  return absl::OkStatus();
}

bool BuiltBy(FacilityStatus status, const std::optional<absl::CivilDay>& completed_on,
             absl::CivilDay day) {
  return static_cast<int>(status) >= static_cast<int>(FacilityStatus::kCompleted) &&
         completed_on.has_value() && *completed_on <= day;
}

}  // namespace civil::eldercare
