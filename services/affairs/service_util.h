// What every gRPC adapter of the department does the same way: authorising the caller against the
// contract's access rule, region scope, page sizes and tokens, timestamps, and running a handler
// body that returns absl::Status (converted once to grpc::Status).
#pragma once

#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/caller.h"

namespace civil::affairs {

// Today's date; replaceable in tests.
using Clock = std::function<absl::CivilDay()>;

// Runs `body` and returns its status as a grpc::Status.
grpc::Status Serve(const std::function<absl::Status()>& body);

// Authorize(context, "<service_full_name>.<method>"): UNAUTHENTICATED / PERMISSION_DENIED.
absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContext& context,
                                     absl::string_view service_full_name, absl::string_view method);

// Region prefixes of listings come from civil::ScopedPrefix (services/common/caller.h).

// A function checking that a stored record's region is within the caller's scope
// (PERMISSION_DENIED "region_code: …").
std::function<absl::Status(const std::string&)> RegionCheck(const Caller& caller);

// The page size to use: 50 for 0, at most 500; INVALID_ARGUMENT for a negative one.
absl::StatusOr<int> PageSizeOf(int32_t requested);

// Opaque page tokens for keyset listings of `kind` ("cremations", …).
std::string EncodePageToken(absl::string_view kind, int64_t after);
// 0 for an empty token; INVALID_ARGUMENT "page_token: is not a token this service issued".
absl::StatusOr<int64_t> DecodePageToken(absl::string_view kind, absl::string_view token);

// The same for listings paged by position (small configuration tables): the token holds the
// number of rows already returned plus one; 0 for an empty token.
absl::StatusOr<int64_t> DecodeOffsetToken(absl::string_view kind, absl::string_view token);

google::protobuf::Timestamp TimestampOf(int64_t micros);

}  // namespace civil::affairs
