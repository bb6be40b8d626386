// Rules of neighbourhood-centre star ratings (党群服务中心/邻里中心星级评定, pure C++ on Abseil):
// a village/community's service centre rated one to five stars for a year.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"

namespace civil::governance {

inline constexpr int kMaxStars = 5;

// A rating as entered.
struct RatingDraft {
  RegionCode village;
  std::string centre;
  int year = 0;
  int stars = 0;
  absl::CivilDay rated_on;
};

// Validates: a 12-digit village code, the centre's name 1–64 characters, `year` 2000 to the
// rating day's year, `stars` 1–5, the date (default `today`, never in the future).
// INVALID_ARGUMENT naming the field.
absl::StatusOr<RatingDraft> ValidateRating(absl::string_view village_code, absl::string_view centre,
                                           int year, int stars, absl::string_view rated_date,
                                           absl::CivilDay today);

}  // namespace civil::governance
