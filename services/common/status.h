// Error conventions shared by every service: absl::Status inside, converted once to grpc::Status
// in the gRPC adapter; validation errors as INVALID_ARGUMENT "<field>: <problem>" so the HTTP
// client sees which field is wrong; and the HTTP status the gateway answers for each gRPC code.

#pragma once

#include <grpcpp/support/status.h>

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace civil {

// Returns `status` as a grpc::Status with the same code number and message. Payloads are
// dropped. An OK status becomes grpc::Status::OK.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Returns `status` as an absl::Status with the same code number and message. A code outside
// absl's range (0-16) becomes UNKNOWN.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Returns INVALID_ARGUMENT with message "<field>: <problem>", e.g.
// InvalidField("id_number", "wrong check character"). `field` is the request field's name as the
// client spells it (proto field name, dotted for nested fields); `problem` must not contain the
// field's value when that value is personal data.
absl::Status InvalidField(absl::string_view field, absl::string_view problem);

// Attaches `field` to a validation failure: returns InvalidField(field, status.message()) when
// `status` is INVALID_ARGUMENT, and `status` unchanged otherwise (including OK). For wrapping the
// errors of parsers such as IdNumber::Parse.
absl::Status AnnotateField(absl::string_view field, const absl::Status& status);

// Returns the HTTP status code grpc-gateway answers for `code`: OK 200, CANCELLED 499, UNKNOWN
// 500, INVALID_ARGUMENT 400, DEADLINE_EXCEEDED 504, NOT_FOUND 404, ALREADY_EXISTS 409,
// PERMISSION_DENIED 403, RESOURCE_EXHAUSTED 429, FAILED_PRECONDITION 400, ABORTED 409,
// OUT_OF_RANGE 400, UNIMPLEMENTED 501, INTERNAL 500, UNAVAILABLE 503, DATA_LOSS 500,
// UNAUTHENTICATED 401; 500 for any other value.
int HttpStatusFromGrpcCode(grpc::StatusCode code);

}  // namespace civil
