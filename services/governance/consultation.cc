#include "services/governance/consultation.h"

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {

absl::StatusOr<SiteDraft> ValidateSite(absl::string_view village_code, absl::string_view name,
                                       absl::string_view selected_date, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(RegionCode village,
                         RegionOf("village_code", village_code, {RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string clean, BoundedText("name", name, 64));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("selected_date", selected_date, today));
  return SiteDraft{std::move(village), std::move(clean), on};
}

}  // namespace civil::governance
