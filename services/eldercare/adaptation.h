// 适老化改造 (home adaptation) per household and institutional care placements (pure C++ on
// Abseil). An adaptation goes survey → plan (一户一方案: items and their cost) → works →
// acceptance, one dated step at a time; a placement puts an elderly person of a low-income
// household into an institution from a day, until a day.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::eldercare {

// Numbers match civil.eldercare.v1.AdaptationStatus; the steps in their order.
enum class AdaptationStatus { kSurveyed = 1, kPlanned = 2, kWorks = 3, kAccepted = 4 };
inline constexpr absl::string_view kAdaptationStatusNameList[] = {"", "SURVEYED", "PLANNED",
                                                                  "WORKS", "ACCEPTED"};
inline constexpr EnumNames kAdaptationStatusNames{kAdaptationStatusNameList};

inline constexpr int kMaxPlanItems = 50;
inline constexpr int64_t kMaxItemFen = 100'000'000;

// The household's survey (摸底排查), as entered.
struct SurveyInput {
  std::string head_name;
  std::string head_id_number;
  std::string region_code;
  int target_year = 0;
  std::string findings;
  std::string survey_date;
};

struct SurveyDraft {
  std::string head_name;
  IdNumber head_id;
  RegionCode region;  // 12-digit village/community
  int target_year = 0;
  std::string findings;
  absl::CivilDay surveyed_on;
};

// Validates: the head's name 1–64 characters and a valid ID number, a 12-digit residence, a
// target year 2000–2100, findings 0–2000 characters, the survey date (default `today`, never in
// the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<SurveyDraft> ValidateSurvey(const SurveyInput& input, absl::CivilDay today);

// One item of the plan: what is done (grab bars, a ramp, …) and what it costs.
struct PlanItem {
  std::string item;
  int64_t cost_fen = 0;
};

// Validates the plan's items: 1 to 50, each named (1–64 characters) and costing 1 to
// 100,000,000 fen. INVALID_ARGUMENT naming the field (`items[2].cost_fen`).
absl::Status ValidatePlanItems(const std::vector<PlanItem>& items);
// The plan's cost: the sum of its items.
int64_t PlanCost(const std::vector<PlanItem>& items);

// Whether an adaptation in `current` (its last step dated `last_step_on`) may take step `next` on
// `on`: INVALID_ARGUMENT "step: …" for an unknown step; FAILED_PRECONDITION "step: the adaptation
// is SURVEYED; the next step is PLANNED, not WORKS" out of order; "date: …" before the last step.
absl::Status CheckAdaptationStep(AdaptationStatus current, absl::CivilDay last_step_on, int next,
                                 absl::CivilDay on);

// A placement, as entered.
struct PlacementInput {
  std::string name;
  std::string id_number;
  std::string region_code;
  std::string institution;
  std::string basis;  // why the person qualifies, e.g. "低保"
  std::string placement_date;
};

struct PlacementDraft {
  std::string name;
  IdNumber id;
  RegionCode region;
  std::string institution;
  std::string basis;
  absl::CivilDay placed_on;
};

// Validates: name 1–64, a valid ID number of a person 60 or older on the placement date
// (FAILED_PRECONDITION "id_number: …" when younger), a 12-digit residence, the institution 1–64,
// the basis 1–64 characters, the placement date (default `today`, never in the future).
absl::StatusOr<PlacementDraft> ValidatePlacement(const PlacementInput& input, absl::CivilDay today);

// Ending a placement on `on` that began on `placed_on`: FAILED_PRECONDITION "placement_id: …"
// when it ended already, "date: …" when `on` is before the start.
absl::Status CheckPlacementEnd(bool ended, absl::CivilDay placed_on, absl::CivilDay on);

}  // namespace civil::eldercare
