// The gateway's error vocabulary: gRPC status → HTTP status (as grpc-gateway maps them), the
// JSON error body `{"code","message","details"}`, and JSON string escaping shared with the logs.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace civil::gateway {

// HTTP status for a gRPC status code (grpc-gateway's mapping: INVALID_ARGUMENT, FAILED_PRECONDITION
// and OUT_OF_RANGE 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404, ALREADY_EXISTS
// and ABORTED 409, RESOURCE_EXHAUSTED 429, CANCELLED 499, UNIMPLEMENTED 501, UNAVAILABLE 503,
// DEADLINE_EXCEEDED 504, OK 200). Any other code, including unknown numbers, gives 500.
int HttpStatusFromGrpc(int grpc_code);

// The reason phrase of an HTTP status (`Not Found`); "Unknown" for codes it does not know.
absl::string_view HttpReason(int http_status);

// `{"code":<grpc_code>,"message":"<message>","details":<details_json>}`; `details_json` must be
// a JSON array.
std::string ErrorJson(int grpc_code, absl::string_view message,
                      absl::string_view details_json = "[]");

// Appends `text` to `out` as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD, so the
// output is always valid JSON.
void AppendJsonString(absl::string_view text, std::string* out);

}  // namespace civil::gateway
