// Vagrant relief rules (pure C++): what a valid relief case, case closing and outreach campaign
// are.
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

namespace civil::affairs {

// Numbers match civil.affairs.v1.ReliefServiceKind / FamilyTracing / ReliefOutcome /
// CampaignKind.
inline constexpr absl::string_view kReliefServiceNameList[] = {
    "",         "FOOD",        "ACCOMMODATION", "MEDICAL_CARE",
    "CLOTHING", "TRAVEL_HOME", "ESCORT_HOME",   "COUNSELLING"};
inline constexpr EnumNames kReliefServiceNames{kReliefServiceNameList};
inline constexpr absl::string_view kFamilyTracingNameList[] = {"", "NOT_NEEDED", "IN_PROGRESS",
                                                               "FOUND", "NOT_FOUND"};
inline constexpr EnumNames kFamilyTracingNames{kFamilyTracingNameList};
inline constexpr int kFamilyTracingNotNeeded = 1;
inline constexpr int kFamilyTracingInProgress = 2;
inline constexpr absl::string_view kReliefOutcomeNameList[] = {"", "RETURNED_HOME", "TRANSFERRED",
                                                               "LEFT"};
inline constexpr EnumNames kReliefOutcomeNames{kReliefOutcomeNameList};
inline constexpr absl::string_view kCampaignKindNameList[] = {"", "SUMMER_COOLING", "WINTER_WARMTH",
                                                              "OTHER"};
inline constexpr EnumNames kCampaignKindNames{kCampaignKindNameList};

inline constexpr int64_t kMaxReliefMoneyFen = 100'000'000;

// A case at intake as entered.
struct ReliefCaseInput {
  std::string region_code;
  std::string place;
  std::string intake_date;
  bool identity_known = false;
  std::string name;
  std::string id_number;
  std::vector<int> services;
  int family_tracing = 0;
  int64_t money_fen = 0;
  std::string note;
};

struct ReliefCaseDraft {
  RegionCode region;
  std::string place;
  absl::CivilDay intake_date;
  bool identity_known = false;
  std::string name;
  std::optional<IdNumber> id;
  std::vector<std::string> services;  // stored names, distinct, in the order given
  int family_tracing = 0;
  int64_t money_fen = 0;
  std::string note;
};

// Validates a case: region 6/9/12 digits, place 1–100 characters, intake date (default today, not
// in the future), name and ID number only with a known identity (the ID validated), services
// defined (duplicates dropped), family tracing defaulting to NOT_NEEDED when the identity is
// known and IN_PROGRESS otherwise, money 0 to 100,000,000 fen, note ≤ 500 characters.
// INVALID_ARGUMENT naming the field.
absl::StatusOr<ReliefCaseDraft> ValidateReliefCase(const ReliefCaseInput& input,
                                                   absl::CivilDay today);

// Validated service names of `field` (`services[1]` on error), duplicates dropped.
absl::StatusOr<std::vector<std::string>> ValidateServices(absl::string_view field,
                                                          const std::vector<int>& services);

// A campaign as entered.
struct CampaignInput {
  int kind = 0;
  std::string name;
  std::string region_code;
  std::string start_date;
  std::string end_date;
  int persons_reached = 0;
  int64_t money_fen = 0;
};

struct CampaignDraft {
  int kind = 0;
  std::string name;
  RegionCode region;
  absl::CivilDay start_date;
  absl::CivilDay end_date;
  int persons_reached = 0;
  int64_t money_fen = 0;
};

// Validates a campaign: kind given, name 1–64 characters, region 6/9/12 digits, start date
// required and end date (default today) with start ≤ end ≤ today, persons 0–1,000,000, money
// 0–100,000,000 fen. INVALID_ARGUMENT naming the field.
absl::StatusOr<CampaignDraft> ValidateCampaign(const CampaignInput& input, absl::CivilDay today);

}  // namespace civil::affairs
