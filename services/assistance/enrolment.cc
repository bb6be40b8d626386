#include "services/assistance/enrolment.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/values.h"

namespace civil::assistance {

absl::CivilMonth ShownMonth(std::optional<absl::CivilMonth> start,
                            std::optional<absl::CivilMonth> end, absl::CivilMonth as_of) {
  absl::CivilMonth month = as_of;
  if (start && month < *start) month = *start;
  if (end && month > *end) month = *end;
  return month;
}

absl::StatusOr<ExitDecision> DecideExit(const AssistanceRules& rules, bool active,
                                        absl::CivilMonth start, absl::CivilMonth effective,
                                        bool phase_out) {
  if (!active)
    return absl::FailedPreconditionError("enrolment_id: the enrolment has ended already");
  if (effective < start) {
    return absl::InvalidArgumentError(
        absl::StrCat("effective_month: before the enrolment started (", FormatMonth(start), ")"));
  }
  return ExitDecision{effective - 1 + (phase_out ? rules.phase_out_months : 0)};
}

bool RecomputesAfterExit(Programme programme) { return programme == Programme::kDibao; }

Money AmountAfterExit(const StandardValues& standard, const std::vector<MemberFacts>& stay,
                      Money income, absl::CivilMonth from) {
  absl::StatusOr<Money> computed = DibaoMonthlyAmount(standard, stay, income, from);
  return computed.ok() ? *computed : Money();
}

absl::CivilDay DeathKnownBy(absl::CivilDay decided_on, absl::CivilMonth last) {
  return std::min(decided_on, absl::CivilDay(last + 1) - 1);
}

absl::CivilMonth EndEffectiveMonth(absl::CivilDay on, absl::CivilMonth first) {
  return std::max(absl::CivilMonth(on) + 1, first);
}

}  // namespace civil::assistance
