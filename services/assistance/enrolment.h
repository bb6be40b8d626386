// Rules of an enrolment (在保) — pure C++, no SQL or gRPC: which month's amount a read shows, what
// an exit decides (the last month paid, phase-out), the amount a household goes on with after a
// member leaves, when a death reported by an exit was known, and from when a death or a move
// out ends a part.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/assistance/benefit.h"
#include "services/common/money.h"

namespace civil::assistance {

// The month an enrolment's amount is shown for on the month `as_of`: `as_of` itself, the
// enrolment's first month `start` before it starts, its last month `end` once it has ended.
absl::CivilMonth ShownMonth(std::optional<absl::CivilMonth> start,
                            std::optional<absl::CivilMonth> end, absl::CivilMonth as_of);

// What an exit decided.
struct ExitDecision {
  absl::CivilMonth last;  // the last month paid to those who leave
};

// Decides an exit from `effective` on of an enrolment (`active`, first month `start`):
// FAILED_PRECONDITION "enrolment_id: the enrolment has ended already" for an ended one;
// INVALID_ARGUMENT "effective_month: before the enrolment started (…)"; the last month paid is
// the month before `effective`, or `rules.phase_out_months` later with `phase_out` (渐退).
absl::StatusOr<ExitDecision> DecideExit(const AssistanceRules& rules, bool active,
                                        absl::CivilMonth start, absl::CivilMonth effective,
                                        bool phase_out);

// Whether the amount of a household whose member leaves is recomputed for those who stay (低保:
// the formula on the members), rather than set to zero.
bool RecomputesAfterExit(Programme programme);

// 低保 of the members who `stay`, from month `from`, on the income the investigation recorded:
// DibaoMonthlyAmount; zero when the income is at or above the line for the smaller household (the
// reviewer decides at the next review whether the household leaves).
Money AmountAfterExit(const StandardValues& standard, const std::vector<MemberFacts>& stay,
                      Money income, absl::CivilMonth from);

// An exit for DEATH decided on `decided_on` whose last month paid is `last`: the person was dead
// by the decision, and at the latest on the last day of that month (the month of death is paid).
absl::CivilDay DeathKnownBy(absl::CivilDay decided_on, absl::CivilMonth last);

// A death or a move out on `on` ends a part that began in `first` from the month after (the month
// of the death or move is still paid), never before the part's first month.
absl::CivilMonth EndEffectiveMonth(absl::CivilDay on, absl::CivilMonth first);

}  // namespace civil::assistance
