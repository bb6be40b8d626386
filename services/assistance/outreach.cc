#include "services/assistance/outreach.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/id_number.h"

namespace civil::assistance {

absl::Status CheckDemandResolution(bool resolved, absl::CivilDay visited_on,
                                   absl::CivilDay resolved_on) {
  if (resolved) {
    return absl::FailedPreconditionError("demand is RESOLVED: it was resolved already");
  }
  if (resolved_on < visited_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("resolved_on: before the visit (", FormatDay(visited_on), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckHealthCheckPlace(absl::string_view batch_region, absl::CivilDay started_on,
                                   absl::string_view household_region, absl::CivilDay checked_on) {
  if (!absl::StartsWith(household_region, batch_region)) {
    return absl::FailedPreconditionError(absl::StrCat("household_id: region ", household_region,
                                                      " is outside the batch's region ",
                                                      batch_region));
  }
  if (checked_on < started_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("checked_on: before the batch started (", FormatDay(started_on), ")"));
  }
  return absl::OkStatus();
}

}  // namespace civil::assistance
