#include "services/common/allowance_months.h"

#include <algorithm>

namespace civil {

absl::CivilMonth MoveOutStopMonth(absl::CivilDay moved) { return absl::CivilMonth(moved) + 1; }

std::vector<absl::CivilMonth> MonthsOwedAfterReversal(
    absl::CivilMonth end, const std::vector<absl::CivilMonth>& run_months,
    const std::vector<absl::CivilMonth>& paid_months) {
  std::vector<absl::CivilMonth> owed;
  for (const absl::CivilMonth m : run_months) {
    if (m < end) continue;
    if (std::find(paid_months.begin(), paid_months.end(), m) != paid_months.end()) continue;
    if (std::find(owed.begin(), owed.end(), m) != owed.end()) continue;
    owed.push_back(m);
  }
  std::sort(owed.begin(), owed.end());
  return owed;
}

}  // namespace civil
