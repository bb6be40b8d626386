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

constexpr absl::string_view kService = "civil.assistance.v1.StandardService";

grpc::Status StandardServiceImpl::SetStandard(grpc::ServerContext* context,
                                              const v1::SetStandardRequest* request,
                                              v1::SetStandardResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "SetStandard"));
    const v1::Standard& s = request->standard();
    CIVIL_RETURN_IF_ERROR(ProgrammeFromNumber(s.programme(), "standard.programme").status());
    if (s.area() != civil::common::v1::AREA_URBAN && s.area() != civil::common::v1::AREA_RURAL) {
      return InvalidField("standard.area", "must be AREA_URBAN or AREA_RURAL");
    }
    if (s.region_prefix().empty()) {
      return InvalidField("standard.region_prefix", "is required");
    }
    if (absl::Status st = ValidateRegionPrefix(s.region_prefix()); !st.ok()) {
      return InvalidField("standard.region_prefix", st.message());
    }
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "standard.region_prefix", s.region_prefix()));
    if (absl::StatusOr<absl::CivilDay> d = ParseDay(s.effective_from()); !d.ok()) {
      return InvalidField("standard.effective_from", d.status().message());
    }
    const std::pair<int64_t, const char*> amounts[] = {
        {s.monthly_fen(), "standard.monthly_fen"},
        {s.supplement_seriously_ill_fen(), "standard.supplement_seriously_ill_fen"},
        {s.supplement_severely_disabled_fen(), "standard.supplement_severely_disabled_fen"},
        {s.supplement_elderly_fen(), "standard.supplement_elderly_fen"},
        {s.supplement_minor_fen(), "standard.supplement_minor_fen"}};
    for (const auto& [value, field] : amounts) {
      if (value < 0) return InvalidField(field, "must not be negative");
    }
    if (s.monthly_fen() == 0) {
      return InvalidField("standard.monthly_fen", "must be greater than zero");
    }
    if (s.marginal_multiplier_permille() < 0) {
      return InvalidField("standard.marginal_multiplier_permille", "must be positive");
    }
    CIVIL_ASSIGN_OR_RETURN(v1::Standard saved, store_->Set(s, caller.subject));
    *response->mutable_standard() = std::move(saved);
    return absl::OkStatus();
  });
}

grpc::Status StandardServiceImpl::ListStandards(grpc::ServerContext* context,
                                                const v1::ListStandardsRequest* request,
                                                v1::ListStandardsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListStandards"));
    if (request->programme() != 0) {
      CIVIL_RETURN_IF_ERROR(ProgrammeFromNumber(request->programme(), "programme").status());
    }
    // Standards are public policy: any caller may read every region's.
    if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
      return InvalidField("region_prefix", s.message());
    }
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("standards", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->List(request->programme(), request->region_prefix(),
                                                   after, size, &next));
    for (auto& s : list) *response->add_standards() = std::move(s);
    if (next > 0) response->set_next_page_token(EncodePageToken("standards", next));
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance
