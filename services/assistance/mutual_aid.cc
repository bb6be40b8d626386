#include "services/assistance/mutual_aid.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::assistance {

int CoveragePermille(int64_t registered, int64_t known) {
  if (known <= 0 || registered <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(registered, known) * 1000 / known);
}

absl::Status CheckMutualAidHelp(absl::string_view village, absl::CivilDay registered_on,
                                absl::string_view household_region, absl::CivilDay helped_on) {
  if (household_region != village) {
    return absl::FailedPreconditionError(absl::StrCat("household_id: the household lives in ",
                                                      household_region,
                                                      ", not in the society's village ", village));
  }
  if (helped_on < registered_on) {
    return absl::FailedPreconditionError(absl::StrCat(
        "helped_on: before the society was registered (", FormatDay(registered_on), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckVillagesKnown(int64_t villages_known, int64_t registered) {
  if (villages_known >= registered) return absl::OkStatus();
  return InvalidField("villages_known",
                      absl::StrCat(villages_known, " is fewer than the ", registered,
                                   " villages with a registered society"));
}

}  // namespace civil::assistance
