#include "services/socialorg/branch.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::socialorg {

absl::StatusOr<Branch> ValidateBranch(absl::string_view name, absl::string_view principal,
                                      absl::string_view scope, absl::string_view established_date,
                                      absl::CivilDay today) {
  Branch b;
  CIVIL_ASSIGN_OR_RETURN(b.name, BoundedText("name", name, 100));
  CIVIL_ASSIGN_OR_RETURN(b.principal, BoundedText("principal", principal, 50));
  CIVIL_ASSIGN_OR_RETURN(b.scope, BoundedText("scope", scope, 1000, true, TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(b.established_on, EventDate("established_date", established_date, today));
  return b;
}

absl::Status CheckBranch(OrgKind kind, const OrgState& state, const Branch& branch) {
  if (kind == OrgKind::kPrivateNonEnterpriseUnit) {
    return absl::FailedPreconditionError(
        "organisation_id: a private non-enterprise unit may not set up branches");
  }
  CIVIL_RETURN_IF_ERROR(CheckApprovable(state, EventKind::kChange));
  if (state.established_on && branch.established_on < *state.established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("established_date: must not be before the establishment on ",
                     FormatDay(*state.established_on)));
  }
  return absl::OkStatus();
}

}  // namespace civil::socialorg
