// The gRPC side of the error conventions, for adapters only: absl::Status inside (see
// services/common/errors.h, which domain code includes instead), converted once to grpc::Status in
// the gRPC adapter; and the HTTP status the gateway answers for each gRPC code.

#pragma once

#include <grpcpp/support/status.h>

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/errors.h"

namespace civil {

// Returns `status` as a grpc::Status with the same code number and message. Payloads are
// dropped. An OK status becomes grpc::Status::OK.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Returns `status` as an absl::Status with the same code number and message. A code outside
// absl's range (0-16) becomes UNKNOWN.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Returns the HTTP status code grpc-gateway answers for `code`: OK 200, CANCELLED 499, UNKNOWN
// 500, INVALID_ARGUMENT 400, DEADLINE_EXCEEDED 504, NOT_FOUND 404, ALREADY_EXISTS 409,
// PERMISSION_DENIED 403, RESOURCE_EXHAUSTED 429, FAILED_PRECONDITION 400, ABORTED 409,
// OUT_OF_RANGE 400, UNIMPLEMENTED 501, INTERNAL 500, UNAVAILABLE 503, DATA_LOSS 500,
// UNAUTHENTICATED 401; 500 for any other value.
int HttpStatusFromGrpcCode(grpc::StatusCode code);

}  // namespace civil
