#include "services/socialorg/credit_commitment.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::socialorg {

absl::StatusOr<CreditCommitment> ValidateCommitment(int year, absl::string_view content,
                                                    absl::string_view signed_date,
                                                    absl::CivilDay today) {
  CreditCommitment c;
  if (year < 2000 || year > 2100) return InvalidField("year", "must be between 2000 and 2100");
  c.year = year;
  CIVIL_ASSIGN_OR_RETURN(c.content, BoundedText("content", content, 4000, true, TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(c.signed_on, EventDate("signed_date", signed_date, today));
  if (c.signed_on.year() != year && c.signed_on.year() != year - 1) {
    return InvalidField("signed_date", absl::StrCat("must be in ", year - 1, " or ", year));
  }
  return c;
}

absl::Status CheckCommitment(OrgKind kind, bool industry_association, const OrgState& state,
                             const CreditCommitment& commitment) {
  if (kind != OrgKind::kSocialGroup) {
    return absl::FailedPreconditionError(
        "organisation_id: only a social group (an industry association or chamber of commerce) "
        "signs a credit commitment");
  }
  if (!industry_association) {
    return absl::FailedPreconditionError(
        "organisation_id: the social group is not registered as an industry association or "
        "chamber of commerce (行业协会商会, industry_association)");
  }
  CIVIL_RETURN_IF_ERROR(CheckApprovable(state, EventKind::kChange));
  if (state.established_on && commitment.signed_on < *state.established_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "signed_date: must not be before the establishment on ", FormatDay(*state.established_on)));
  }
  return absl::OkStatus();
}

}  // namespace civil::socialorg
