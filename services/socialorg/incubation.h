// Incubation centres (孵化服务中心, pure C++ on Abseil): a centre of a region, dated, and the
// organisations of the register it incubates, each from the day it was admitted.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/socialorg/lifecycle.h"

namespace civil::socialorg {

struct IncubationCentre {
  std::string name;
  std::string region_code;  // the county, a township or a village/community
  absl::CivilDay established_on;
};

// A centre as entered: `name` required, `region_code` of 6, 9 or 12 digits, `established_date`
// default `today`, never in the future. INVALID_ARGUMENT naming the field.
absl::StatusOr<IncubationCentre> ValidateCentre(absl::string_view name,
                                                absl::string_view region_code,
                                                absl::string_view established_date,
                                                absl::CivilDay today);

// Whether an organisation in `state` may be admitted to `centre` on `admitted_on`:
// FAILED_PRECONDITION "admitted_date: …" before the centre's establishment, "organisation_id: …"
// when the organisation was refused or deregistered (one pending establishment may be
// incubated: incubation prepares registration).
absl::Status CheckAdmission(const IncubationCentre& centre, const OrgState& state,
                            absl::CivilDay admitted_on);

}  // namespace civil::socialorg
