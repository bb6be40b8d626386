// Rules of mutual aid (互助社): coverage of villages — pure C++, no SQL or gRPC.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace civil::assistance {

// `registered` / `known` in per mille, rounded down; 0 when nothing is known.
int CoveragePermille(int64_t registered, int64_t known);

// Whether the society of `village`, registered on `registered_on`, may record help given on
// `helped_on` to a household of `household_region`: FAILED_PRECONDITION "household_id: the
// household lives in …, not in the society's village …" for a household of another village,
// "helped_on: before the society was registered (…)" for help before the registration.
absl::Status CheckMutualAidHelp(absl::string_view village, absl::CivilDay registered_on,
                                absl::string_view household_region, absl::CivilDay helped_on);

// A village count given with a coverage request: INVALID_ARGUMENT "villages_known: N is fewer
// than the M villages with a registered society" when below the societies registered.
absl::Status CheckVillagesKnown(int64_t villages_known, int64_t registered);

}  // namespace civil::assistance
