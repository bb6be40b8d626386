// What every gRPC adapter (`<thing>_service.cc`) does the same way: run a handler body that
// returns absl::Status (converted once to grpc::Status), authorise the caller against the access
// rule the contract declares for the RPC, check region scope, and convert timestamps. Page sizes
// and tokens are in services/common/paging.h; region prefixes of listings are ScopedPrefix in
// services/common/caller.h.
#pragma once

#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/caller.h"
#include "services/common/enrolment_fact.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/values.h"

namespace civil {

// Runs `body` and returns its status as a grpc::Status.
grpc::Status Serve(const std::function<absl::Status()>& body);

// Authorize(context, "<service_full_name>.<method>"): UNAUTHENTICATED / PERMISSION_DENIED.
absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContext& context,
                                     absl::string_view service_full_name, absl::string_view method);
// The same for a contract every department serves, answered for `department` (caller.h).
absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContext& context,
                                     absl::string_view service_full_name, absl::string_view method,
                                     absl::string_view department);

// A function checking that a stored record's region is within the caller's scope
// (PERMISSION_DENIED "region_code: …"), for stores that read a record before acting on it.
std::function<absl::Status(const std::string&)> RegionCheck(const Caller& caller);

// Unix microseconds as a protobuf Timestamp.
google::protobuf::Timestamp TimestampOf(int64_t micros);

// What another department's system asks a check RPC (eldercare's CheckEldercare, childwelfare's
// CheckChildAllowances, both called by the exchange's registry search): the person by
// `id_number` and the month of `as_of` (empty = `today`, never in the future); INVALID_ARGUMENT
// naming the field.
struct CheckAsked {
  IdNumber id;
  absl::CivilMonth month;
};
absl::StatusOr<CheckAsked> ParseCheckRequest(absl::string_view id_number, absl::string_view as_of,
                                             absl::CivilDay today);

// A benefit's span on a check answer's fact message: its status, first month, last month paid
// (`end_month`, none while it runs) and whether `month` is paid (`active`).
template <typename Fact>
void SetPaidSpan(const PaidSpan& span, absl::CivilMonth month, Fact* out) {
  out->set_status(span.status);
  out->set_start_month(FormatMonth(span.start_month));
  if (std::optional<absl::CivilMonth> last = span.LastPaidMonth()) {
    out->set_end_month(FormatMonth(*last));
  }
  out->set_active(span.PaysIn(month));
}

}  // namespace civil
