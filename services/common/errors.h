// Errors for domain code, stores and adapters alike, on Abseil only (no gRPC, no protobuf):
// field-named validation failures, and early-return macros for functions returning absl::Status
// or absl::StatusOr<T>. The conversion to grpc::Status lives in services/common/status.h, which
// only adapters include.
//
// Which code to choose (Abseil's status.h says the same at more length):
//   INVALID_ARGUMENT     the request itself is malformed, whatever the state: InvalidField(...)
//   FAILED_PRECONDITION  the request is well formed but the case is not in a state that allows it
//                        (approving an application still under notice)
//   NOT_FOUND            the record named does not exist (or is outside what the caller may see)
//   ALREADY_EXISTS       a unique record exists already (the same person enrolled twice)
//   PERMISSION_DENIED    the caller may not do this (role, region, maker = checker)
//   ABORTED              a concurrent change won; retrying may succeed
//   UNAVAILABLE          a server this one needs is down; retrying later may succeed
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

// Returns INVALID_ARGUMENT with message "<field>: <problem>", e.g.
// InvalidField("id_number", "wrong check character"). `field` is the request field's name as the
// client spells it (proto field name, dotted for nested fields, `members[2].id_number` for
// repeated ones); `problem` must not contain the field's value when that value is personal data.
absl::Status InvalidField(absl::string_view field, absl::string_view problem);

// Attaches `field` to a validation failure: returns InvalidField(field, status.message()) when
// `status` is INVALID_ARGUMENT, and `status` unchanged otherwise (including OK). For wrapping the
// errors of parsers such as IdNumber::Parse.
absl::Status AnnotateField(absl::string_view field, const absl::Status& status);

}  // namespace civil

#define CIVIL_STATUS_CONCAT_INNER_(a, b) a##b
#define CIVIL_STATUS_CONCAT_(a, b) CIVIL_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` (an absl::Status) from the enclosing function unless it is OK.
#define CIVIL_RETURN_IF_ERROR(expr)                                   \
  do {                                                                \
    if (::absl::Status civil_status_ = (expr); !civil_status_.ok()) { \
      return civil_status_;                                           \
    }                                                                 \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status from the enclosing function unless
// OK, else assigns the value to `lhs` (a declaration such as `auto x` or an lvalue).
#define CIVIL_ASSIGN_OR_RETURN(lhs, rexpr) \
  CIVIL_ASSIGN_OR_RETURN_IMPL_(CIVIL_STATUS_CONCAT_(civil_statusor_, __LINE__), lhs, rexpr)
#define CIVIL_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = *std::move(statusor)
