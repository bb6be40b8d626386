#include "services/governance/centre_rating.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {

absl::StatusOr<RatingDraft> ValidateRating(absl::string_view village_code, absl::string_view centre,
                                           int year, int stars, absl::string_view rated_date,
                                           absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode village,
                         RegionOf("village_code", village_code, {RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string name, BoundedText("centre", centre, 64));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("rated_date", rated_date, today));
  if (year < 2000 || year > on.year()) {
    return InvalidField("year", absl::StrCat("must be from 2000 to ", on.year()));
  }
  if (stars < 1 || stars > kMaxStars) {
    return InvalidField("stars", absl::StrCat("must be from 1 to ", kMaxStars));
  }
  return RatingDraft{std::move(village), std::move(name), year, stars, on};
}

}  // namespace civil::governance
