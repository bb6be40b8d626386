#include "services/common/paging.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"

namespace civil {

std::string EncodePageToken(absl::string_view kind, int64_t after) {
  return absl::WebSafeBase64Escape(absl::StrCat(kind, ":", after));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view kind, absl::string_view token) {
  if (token.empty()) return 0;
  std::string raw;
  int64_t after = 0;
  absl::string_view view;
  if (!absl::WebSafeBase64Unescape(token, &raw) ||
      !absl::ConsumePrefix(&(view = raw), absl::StrCat(kind, ":")) ||
      !absl::SimpleAtoi(view, &after) || after <= 0) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  return after;
}

absl::StatusOr<int64_t> DecodeOffsetToken(absl::string_view kind, absl::string_view token) {
  absl::StatusOr<int64_t> position = DecodePageToken(kind, token);
  if (!position.ok()) return position.status();
  return *position == 0 ? 0 : *position - 1;
}

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  return requested == 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize);
}

}  // namespace civil
