// Industry associations' credit commitments (行业协会商会诚信建设, pure C++ on Abseil): the
// yearly commitment an association (a social group of the register) signs, with its date and
// text.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/socialorg/lifecycle.h"
#include "services/socialorg/organisation.h"

namespace civil::socialorg {

struct CreditCommitment {
  int year = 0;
  std::string content;
  absl::CivilDay signed_on;
};

// A commitment as entered: `year` 2000–2100, `content` required, `signed_date` default `today`,
// never in the future, in `year` or the year before. INVALID_ARGUMENT naming the field.
absl::StatusOr<CreditCommitment> ValidateCommitment(int year, absl::string_view content,
                                                    absl::string_view signed_date,
                                                    absl::CivilDay today);

// Whether an organisation of `kind` in `state`, marked `industry_association` or not, may sign
// `commitment`: FAILED_PRECONDITION "organisation_id: …" unless it is a registered social group
// marked as an industry association or chamber of commerce (行业协会商会), "signed_date: …"
// before its establishment.
absl::Status CheckCommitment(OrgKind kind, bool industry_association, const OrgState& state,
                             const CreditCommitment& commitment);

}  // namespace civil::socialorg
