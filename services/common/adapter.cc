#include "services/common/adapter.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/status.h"

namespace civil {

grpc::Status Serve(const std::function<absl::Status()>& body) { return ToGrpcStatus(body()); }

absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContext& context,
                                     absl::string_view service_full_name,
                                     absl::string_view method) {
  return Authorize(context, absl::StrCat(service_full_name, ".", method));
}

absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContext& context,
                                     absl::string_view service_full_name, absl::string_view method,
                                     absl::string_view department) {
  return Authorize(context, absl::StrCat(service_full_name, ".", method), department);
}

std::function<absl::Status(const std::string&)> RegionCheck(const Caller& caller) {
  return [caller](const std::string& region) { return CheckRegion(caller, "region_code", region); };
}

google::protobuf::Timestamp TimestampOf(int64_t micros) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

absl::StatusOr<CheckAsked> ParseCheckRequest(absl::string_view id_number, absl::string_view as_of,
                                             absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(IdNumber id, RequiredIdNumber("id_number", id_number, today));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day, EventDate("as_of", as_of, today));
  return CheckAsked{std::move(id), absl::CivilMonth(day)};
}

}  // namespace civil
