// Rules of consultation demonstration sites (协商示范点, pure C++ on Abseil): a village/community
// selected as a site on a day, with the site's name.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"

namespace civil::governance {

// A selection as entered.
struct SiteDraft {
  RegionCode village;
  std::string name;
  absl::CivilDay selected_on;
};

// Validates: a 12-digit village code, a name of 1–64 characters, the selection date (default
// `today`, never in the future). INVALID_ARGUMENT naming `village_code`, `name` or
// `selected_date`.
absl::StatusOr<SiteDraft> ValidateSite(absl::string_view village_code, absl::string_view name,
                                       absl::string_view selected_date, absl::CivilDay today);

}  // namespace civil::governance
