#include "services/assistance/standard_service.h"

#include "services/assistance/household.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

grpc::Status StandardServiceImpl::SetStandard(grpc::ServerContext* context,
                                              const v1::SetStandardRequest* request,
                                              v1::SetStandardResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::StandardService::service_full_name(), "SetStandard");
  if (!caller.ok()) return Fail(caller);
  const v1::Standard& s = request->standard();
  if (absl::StatusOr<Programme> p = ProgrammeFromNumber(s.programme(), "standard.programme");
      !p.ok()) {
    return Fail(p);
  }
  if (s.area() != civil::common::v1::AREA_URBAN && s.area() != civil::common::v1::AREA_RURAL) {
    return ToGrpcStatus(InvalidField("standard.area", "must be AREA_URBAN or AREA_RURAL"));
  }
  if (s.region_prefix().empty()) {
    return ToGrpcStatus(InvalidField("standard.region_prefix", "is required"));
  }
  if (absl::Status st = ValidateRegionPrefix(s.region_prefix()); !st.ok()) {
    return ToGrpcStatus(InvalidField("standard.region_prefix", st.message()));
  }
  if (absl::Status st = CheckRegion(*caller, "standard.region_prefix", s.region_prefix());
      !st.ok()) {
    return ToGrpcStatus(st);
  }
  if (absl::StatusOr<absl::CivilDay> d = ParseDay(s.effective_from()); !d.ok()) {
    return ToGrpcStatus(InvalidField("standard.effective_from", d.status().message()));
  }
  const std::pair<int64_t, const char*> amounts[] = {
      {s.monthly_fen(), "standard.monthly_fen"},
      {s.supplement_seriously_ill_fen(), "standard.supplement_seriously_ill_fen"},
      {s.supplement_severely_disabled_fen(), "standard.supplement_severely_disabled_fen"},
      {s.supplement_elderly_fen(), "standard.supplement_elderly_fen"},
      {s.supplement_minor_fen(), "standard.supplement_minor_fen"}};
  for (const auto& [value, field] : amounts) {
    if (value < 0) return ToGrpcStatus(InvalidField(field, "must not be negative"));
  }
  if (s.monthly_fen() == 0) {
    return ToGrpcStatus(InvalidField("standard.monthly_fen", "must be greater than zero"));
  }
  if (s.marginal_multiplier_permille() < 0) {
    return ToGrpcStatus(InvalidField("standard.marginal_multiplier_permille", "must be positive"));
  }
  absl::StatusOr<v1::Standard> saved = store_->Set(s, caller->subject);
  if (!saved.ok()) return Fail(saved);
  *response->mutable_standard() = *std::move(saved);
  return grpc::Status::OK;
}

grpc::Status StandardServiceImpl::ListStandards(grpc::ServerContext* context,
                                                const v1::ListStandardsRequest* request,
                                                v1::ListStandardsResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::StandardService::service_full_name(), "ListStandards");
  if (!caller.ok()) return Fail(caller);
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  // Standards are public policy: any caller may read every region's.
  if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
    return ToGrpcStatus(InvalidField("region_prefix", s.message()));
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("standards", request->page_token());
  if (!after.ok()) return Fail(after);
  int64_t next = 0;
  auto list = store_->List(request->programme(), request->region_prefix(), *after, *size, &next);
  if (!list.ok()) return Fail(list);
  for (auto& s : *list) *response->add_standards() = std::move(s);
  if (next > 0) response->set_next_page_token(EncodePageToken("standards", next));
  return grpc::Status::OK;
}

}  // namespace civil::assistance
