// What the adapters of 临时救助, mutual aid, outreach, audits, reviews and the bank file share:
// the caller as the stores see it, the bounds of notes and amounts, status mapping.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "services/assistance/relief_store_util.h"
#include "services/common/caller.h"
#include "services/common/errors.h"
#include "services/common/money.h"
#include "services/common/paging.h"
#include "services/common/status.h"

namespace civil::assistance {

inline constexpr int kMaxNote = 4000;
inline constexpr int64_t kMaxAmountFen = int64_t{100000000};  // 1,000,000 yuan: a typo, not a case

// The caller as the stores see it: subject and region scope, no roles.
inline Actor ActorOf(const Caller& caller) {
  return Actor{caller.subject, [caller](absl::string_view field, absl::string_view region_code) {
                 return CheckRegion(caller, field, region_code);
               }};
}

template <typename T>
inline grpc::Status Fail(const absl::StatusOr<T>& s) {
  return ToGrpcStatus(s.status());
}

inline grpc::Status Fail(const absl::Status& s) { return ToGrpcStatus(s); }

}  // namespace civil::assistance
