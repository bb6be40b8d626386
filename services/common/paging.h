// Page tokens for keyset-paginated lists: opaque to clients, bound to the list they came from.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

// Default and largest page sizes of every list RPC.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// A token resuming list `kind` after position `after` (> 0).
std::string EncodePageToken(absl::string_view kind, int64_t after);

// The position in a token of list `kind`; 0 for an empty token. INVALID_ARGUMENT
// "page_token: is not a token this service issued" for anything else.
absl::StatusOr<int64_t> DecodePageToken(absl::string_view kind, absl::string_view token);

// The same for listings paged by position (small configuration tables): the token holds the
// number of rows already returned plus one; 0 for an empty token.
absl::StatusOr<int64_t> DecodeOffsetToken(absl::string_view kind, absl::string_view token);

// `requested` (0 = default) clamped to kMaxPageSize; INVALID_ARGUMENT "page_size: must not be
// negative".
absl::StatusOr<int> PageSize(int requested);

}  // namespace civil
