#include "services/affairs/service_util.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/status.h"

namespace civil::affairs {

grpc::Status Serve(const std::function<absl::Status()>& body) { return ToGrpcStatus(body()); }

absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContext& context,
                                     absl::string_view service_full_name,
                                     absl::string_view method) {
  return Authorize(context, absl::StrCat(service_full_name, ".", method));
}

std::function<absl::Status(const std::string&)> RegionCheck(const Caller& caller) {
  return [caller](const std::string& region) { return CheckRegion(caller, "region_code", region); };
}

absl::StatusOr<int> PageSizeOf(int32_t requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  return requested == 0 ? 50 : std::min(requested, 500);
}

std::string EncodePageToken(absl::string_view kind, int64_t after) {
  return absl::WebSafeBase64Escape(absl::StrCat(kind, ":", after));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view kind, absl::string_view token) {
  if (token.empty()) return 0;
  std::string raw;
  int64_t after = 0;
  absl::string_view view;
  if (!absl::WebSafeBase64Unescape(token, &raw) || !absl::ConsumePrefix(&(view = raw), kind) ||
      !absl::ConsumePrefix(&view, ":") || !absl::SimpleAtoi(view, &after) || after <= 0) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  return after;
}

absl::StatusOr<int64_t> DecodeOffsetToken(absl::string_view kind, absl::string_view token) {
  absl::StatusOr<int64_t> position = DecodePageToken(kind, token);
  if (!position.ok()) return position.status();
  return *position == 0 ? 0 : *position - 1;
}

google::protobuf::Timestamp TimestampOf(int64_t micros) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

}  // namespace civil::affairs
