// The months of a monthly allowance that a stop, or the reversal of a stop, decides: rules every
// department paying one shares (eldercare's 高龄津贴, childwelfare's orphans' allowance, …). Pure:
// Abseil only (library civil_values). Who is due and how much stay the department's rules.
#pragma once

#include <vector>

#include "absl/time/civil_time.h"

namespace civil {

// The first month no longer paid after the person's household registration moved out of the
// county on `moved` (the exchange's civil.events.v1.PersonMovedOut): the month after the move
// (the month of the move is the last month paid, as for a death).
absl::CivilMonth MoveOutStopMonth(absl::CivilDay moved);

// The months owed once a stop from `end` (the first month not paid) is reversed by an upheld
// grievance: each month from `end` on that a completed run has paid for the person's region
// (`run_months`, any order, repeats allowed) and the person was not paid (`paid_months`), in
// order, each once. The months no run has reached yet are paid by their runs.
std::vector<absl::CivilMonth> MonthsOwedAfterReversal(
    absl::CivilMonth end, const std::vector<absl::CivilMonth>& run_months,
    const std::vector<absl::CivilMonth>& paid_months);

}  // namespace civil
