// Funeral rules (pure C++): what a valid cremation record, fee schedule and funeral vehicle case
// are, and which fee schedule (殡葬惠民) waives a deceased resident's basic funeral fees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/money.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::affairs {

// A cremation as entered, before validation.
struct CremationInput {
  std::string name;
  std::string id_number;
  std::string date_of_death;
  std::string cremation_date;
  std::string funeral_home;
  std::string region_code;
};

// A validated cremation record.
struct CremationDraft {
  std::string name;
  IdNumber id;
  absl::CivilDay date_of_death;
  absl::CivilDay cremation_date;
  std::string funeral_home;
  RegionCode region;  // 12-digit residence
};

// Validates a cremation: name and funeral home 1–64 characters, a valid ID number, the cremation
// date (default `today`, not in the future), the date of death not after the cremation date and
// not before the birth date, a 12-digit residence code. INVALID_ARGUMENT naming the field.
absl::StatusOr<CremationDraft> ValidateCremation(const CremationInput& input, absl::CivilDay today);

// One basic funeral service and its fee.
struct FeeItem {
  std::string code;
  std::string name;
  int64_t amount_fen = 0;
};

// Basic funeral service fees waived for residents of `region_prefix` from `effective_from`.
struct FeeSchedule {
  std::string schedule_id;
  RegionCode region_prefix;
  absl::CivilDay effective_from;
  std::vector<FeeItem> items;
  Money waived;  // the sum of the items
};

inline constexpr int kMaxFeeItems = 20;

// Validates a new schedule: a 6/9/12-digit prefix, a `YYYY-MM-DD` effective date (may be in the
// future), 1–20 items with codes of 1–32 of [A-Z0-9_] (distinct), names of 1–64 characters and
// amounts from 0 to 100,000,000 fen. The returned schedule has no id and its waived sum set.
// INVALID_ARGUMENT naming the field (`items[2].amount_fen`).
absl::StatusOr<FeeSchedule> ValidateFeeSchedule(absl::string_view region_prefix,
                                                absl::string_view effective_from,
                                                const std::vector<FeeItem>& items);

// The schedule waiving the fees of a deceased living in `residence` cremated on `date`: among the
// schedules whose prefix contains the residence and that are effective on `date`, the one with the
// longest (most local) prefix, and of those the latest effective date. nullptr when none covers
// the residence: the deceased is not a resident and nothing is waived.
const FeeSchedule* SelectFeeSchedule(const std::vector<FeeSchedule>& schedules,
                                     const RegionCode& residence, absl::CivilDay date);

// Numbers match civil.affairs.v1.VehicleViolation / VehicleCaseOutcome.
inline constexpr absl::string_view kVehicleViolationNameList[] = {
    "", "ILLEGAL_MODIFICATION", "SALUTE_NOISE", "UNLICENSED_OPERATION", "OTHER"};
inline constexpr EnumNames kVehicleViolationNames{kVehicleViolationNameList};
inline constexpr absl::string_view kVehicleOutcomeNameList[] = {"",       "RECTIFIED", "FINED",
                                                                "SEIZED", "WARNED",    "REFERRED"};
inline constexpr EnumNames kVehicleOutcomeNames{kVehicleOutcomeNameList};
inline constexpr int kVehicleOutcomeFined = 2;

// A funeral vehicle enforcement case as entered.
struct VehicleCaseInput {
  std::string region_code;
  std::string date;
  std::string plate_number;
  int violation = 0;
  int outcome = 0;
  int64_t fine_fen = 0;
  std::string agencies;
  std::string note;
};

struct VehicleCaseDraft {
  RegionCode region;
  absl::CivilDay date;
  std::string plate_number;
  int violation = 0;
  int outcome = 0;
  int64_t fine_fen = 0;
  std::string agencies;
  std::string note;
};

// Validates a case: region 6/9/12 digits, date (default today, not in the future), plate 1–16
// characters, violation and outcome given, fine from 0 to 100,000,000 fen and positive exactly
// when the outcome is FINED, agencies ≤ 100 and note ≤ 500 characters. INVALID_ARGUMENT naming
// the field.
absl::StatusOr<VehicleCaseDraft> ValidateVehicleCase(const VehicleCaseInput& input,
                                                     absl::CivilDay today);

}  // namespace civil::affairs
