// Early-return helpers for functions returning absl::Status or absl::StatusOr<T>, as Abseil's
// internal status macros do; used by the department's stores and adapters to keep the happy path
// readable.
#pragma once

#include <utility>

#include "absl/status/status.h"

#define AFFAIRS_CONCAT_INNER(a, b) a##b
#define AFFAIRS_CONCAT(a, b) AFFAIRS_CONCAT_INNER(a, b)

// Returns the status of `expr` (an absl::Status) from the enclosing function unless it is OK.
#define AFFAIRS_RETURN_IF_ERROR(expr)                                     \
  do {                                                                    \
    if (::absl::Status affairs_status_ = (expr); !affairs_status_.ok()) { \
      return affairs_status_;                                             \
    }                                                                     \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status unless OK, else assigns the value
// to `lhs` (a declaration such as `auto x` or an lvalue).
#define AFFAIRS_ASSIGN_OR_RETURN(lhs, rexpr) \
  AFFAIRS_ASSIGN_OR_RETURN_IMPL(AFFAIRS_CONCAT(affairs_statusor_, __LINE__), lhs, rexpr)
#define AFFAIRS_ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = *std::move(statusor)
