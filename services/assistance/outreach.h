// Rules of outreach (走访摸排): when a demand a visit recorded may be resolved, and where and when
// a contracted health check may be recorded — pure C++, no SQL or gRPC.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace civil::assistance {

// Resolving a demand recorded at a visit on `visited_on`: FAILED_PRECONDITION "demand is
// RESOLVED: it was resolved already" when `resolved` already, "resolved_on: before the visit
// (…)" for a resolution dated before the visit.
absl::Status CheckDemandResolution(bool resolved, absl::CivilDay visited_on,
                                   absl::CivilDay resolved_on);

// A health check on `checked_on` of a household of `household_region`, in a batch for
// `batch_region` started on `started_on`: FAILED_PRECONDITION "household_id: region … is outside
// the batch's region …" or "checked_on: before the batch started (…)".
absl::Status CheckHealthCheckPlace(absl::string_view batch_region, absl::CivilDay started_on,
                                   absl::string_view household_region, absl::CivilDay checked_on);

}  // namespace civil::assistance
