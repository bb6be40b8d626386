// Elderly-care facilities (pure C++ on Abseil): village elderly-service stations, canteens and
// meal points (with the six public notices 六公示 and meals served per month), township
// institutions with full functions, smart-care institutions and family care beds (家庭养老床位),
// each with a target year and the steps planned → under construction → completed → operating,
// taken in order and dated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::eldercare {

// Numbers match civil.eldercare.v1.FacilityKind.
enum class FacilityKind {
  kVillageStation = 1,
  kCanteen = 2,
  kTownshipInstitution = 3,
  kSmartInstitution = 4,
  kFamilyCareBed = 5
};
inline constexpr absl::string_view kFacilityKindNameList[] = {"",
                                                              "VILLAGE_STATION",
                                                              "CANTEEN",
                                                              "TOWNSHIP_INSTITUTION",
                                                              "SMART_INSTITUTION",
                                                              "FAMILY_CARE_BED"};
inline constexpr EnumNames kFacilityKindNames{kFacilityKindNameList};
// Numbers match civil.eldercare.v1.FacilityStatus; the steps in their order.
enum class FacilityStatus { kPlanned = 1, kUnderConstruction = 2, kCompleted = 3, kOperating = 4 };
inline constexpr absl::string_view kFacilityStatusNameList[] = {"", "PLANNED", "UNDER_CONSTRUCTION",
                                                                "COMPLETED", "OPERATING"};
inline constexpr EnumNames kFacilityStatusNames{kFacilityStatusNameList};

inline constexpr int kMaxCapacity = 100'000;
inline constexpr int64_t kMaxMealsPerMonth = 10'000'000;

// A facility as entered.
struct FacilityInput {
  int kind = 0;
  std::string name;
  std::string region_code;
  int target_year = 0;
  std::string operator_name;
  int capacity = 0;
  std::string planned_date;
};

struct FacilityDraft {
  FacilityKind kind = FacilityKind::kVillageStation;
  std::string name;
  RegionCode region;  // 9-digit township or 12-digit village/community
  int target_year = 0;
  std::string operator_name;
  int capacity = 0;
  absl::CivilDay planned_on;
};

// Validates: a kind, name 1–64 characters, a 9- or 12-digit region code, a target year 2000–2100,
// the operator 0–64 characters, capacity (beds, seats) 0–100,000, the planning date (default
// `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<FacilityDraft> ValidateFacility(const FacilityInput& input, absl::CivilDay today);

// Whether a facility in `current` (its last step dated `last_step_on`) may move to `next` on `on`:
// INVALID_ARGUMENT "status: …" for an unknown step; FAILED_PRECONDITION "status: the facility is
// PLANNED; the next step is UNDER_CONSTRUCTION, not COMPLETED" out of order, and "date: …" when
// `on` is before the last step.
absl::Status CheckFacilityStep(FacilityStatus current, absl::CivilDay last_step_on, int next,
                               absl::CivilDay on);

// 六公示 and meals are recorded for canteens and meal points only: FAILED_PRECONDITION
// "facility_id: … canteens and meal points only" otherwise. Meals are recorded for an operating
// canteen only ("status: …"), 0–10,000,000 a month ("meals").
absl::Status CheckSixNotices(FacilityKind kind);
absl::Status CheckMeals(FacilityKind kind, FacilityStatus status, int64_t meals);

// Whether a facility counts as built on `day`: completed (or operating) on or before it.
bool BuiltBy(FacilityStatus status, const std::optional<absl::CivilDay>& completed_on,
             absl::CivilDay day);

}  // namespace civil::eldercare
