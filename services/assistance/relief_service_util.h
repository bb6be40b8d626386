// What the adapters of 临时救助, mutual aid, outreach, audits, reviews and the bank file share:
// the caller as the stores see it, amounts, page arguments, status mapping.
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

inline absl::StatusOr<Money> PositiveAmount(int64_t fen, absl::string_view field) {
  if (fen <= 0) return InvalidField(field, "must be greater than zero");
  if (fen > kMaxAmountFen) return InvalidField(field, "is implausibly large");
  return Money::Fen(fen);
}

// The caller as the stores see it: subject and region scope, no roles.
inline Actor ActorOf(const Caller& caller) {
  return Actor{caller.subject, [caller](absl::string_view field, absl::string_view region_code) {
                 return CheckRegion(caller, field, region_code);
               }};
}

// Page size and position of a list request.
struct PageArgs {
  int size = 0;
  int64_t after = 0;
};

inline absl::StatusOr<PageArgs> PageOf(absl::string_view kind, int page_size,
                                       const std::string& page_token) {
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> after = DecodePageToken(kind, page_token);
  if (!after.ok()) return after.status();
  return PageArgs{*size, *after};
}

template <typename T>
inline grpc::Status Fail(const absl::StatusOr<T>& s) {
  return ToGrpcStatus(s.status());
}

inline grpc::Status Fail(const absl::Status& s) { return ToGrpcStatus(s); }

// Copies a page into a response's repeated field and token.
template <typename T, typename Field>
inline void Emit(Page<T>& page, absl::string_view kind, Field* items, std::string* token) {
  for (auto& item : page.items) *items->Add() = std::move(item);
  if (page.next_after > 0) *token = EncodePageToken(kind, page.next_after);
}

}  // namespace civil::assistance
