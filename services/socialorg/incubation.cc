#include "services/socialorg/incubation.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::socialorg {

absl::StatusOr<IncubationCentre> ValidateCentre(absl::string_view name,
                                                absl::string_view region_code,
                                                absl::string_view established_date,
                                                absl::CivilDay today) {
  IncubationCentre c;
  CIVIL_ASSIGN_OR_RETURN(c.name, BoundedText("name", name, 100));
  CIVIL_ASSIGN_OR_RETURN(const RegionCode region, NonEmptyPrefix("region_code", region_code));
  c.region_code = std::string(region_code);
  CIVIL_ASSIGN_OR_RETURN(c.established_on, EventDate("established_date", established_date, today));
  return c;
}

absl::Status CheckAdmission(const IncubationCentre& centre, const OrgState& state,
                            absl::CivilDay admitted_on) {
  if (admitted_on < centre.established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("admitted_date: must not be before the centre's establishment on ",
                     FormatDay(centre.established_on)));
  }
  if (state.status == OrgStatus::kRefused || state.status == OrgStatus::kDeregistered) {
    return absl::FailedPreconditionError(
        "organisation_id: a refused or deregistered organisation is not incubated");
  }
  return absl::OkStatus();
}

}  // namespace civil::socialorg
