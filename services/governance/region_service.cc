#include "services/governance/region_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/log.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.RegionService";
constexpr absl::string_view kPageKind = "regions";

void ToProto(const RegionRecord& r, v1::Region* out) {
  out->set_code(r.facts.code);
  out->set_name(r.facts.name);
  out->set_kind(static_cast<v1::RegionKind>(r.facts.kind));
  out->set_parent_code(r.facts.parent_code);
  out->set_merged_into_code(r.facts.merged_into);
  if (r.facts.merged_on) out->set_merge_date(FormatDay(*r.facts.merged_on));
  *out->mutable_update_time() = TimestampOf(r.update_time_micros);
}

// A code in a request: 6, 9 or 12 digits.
absl::Status RequireCode(absl::string_view field, absl::string_view code) {
  return RegionOf(field, code,
                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship,
                   RegionCode::Level::kVillage})
      .status();
}

}  // namespace

RegionServiceImpl::RegionServiceImpl(RegionStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status RegionServiceImpl::GetRegion(grpc::ServerContext* context,
                                          const v1::GetRegionRequest* request,
                                          v1::GetRegionResponse* response) {
  return Serve([&]() -> absl::Status {
    // The tree is reference data: every role the contract names reads all of it.
    CIVIL_RETURN_IF_ERROR(AuthorizeCall(*context, kService, "GetRegion").status());
    CIVIL_RETURN_IF_ERROR(RequireCode("code", request->code()));
    CIVIL_ASSIGN_OR_RETURN(const RegionLookup lookup, store_->Lookup(request->code()));
    ToProto(lookup.region, response->mutable_region());
    response->set_requested_code(request->code());
    for (const RegionRecord& m : lookup.merged_from) {
      v1::MergeStep* step = response->add_merged_from();
      step->set_code(m.facts.code);
      step->set_name(m.facts.name);
      step->set_into_code(m.facts.merged_into);
      if (m.facts.merged_on) step->set_merge_date(FormatDay(*m.facts.merged_on));
    }
    return absl::OkStatus();
  });
}

grpc::Status RegionServiceImpl::ListRegions(grpc::ServerContext* context,
                                            const v1::ListRegionsRequest* request,
                                            v1::ListRegionsResponse* response) {
  return Serve([&]() -> absl::Status {
    // The tree is reference data: every role the contract names reads all of it.
    CIVIL_RETURN_IF_ERROR(AuthorizeCall(*context, kService, "ListRegions").status());
    const std::string& parent = request->parent_code();
    if (!parent.empty()) {
      CIVIL_RETURN_IF_ERROR(RegionOf("parent_code", parent,
                                     {RegionCode::Level::kCounty, RegionCode::Level::kTownship})
                                .status());
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t offset,
                           DecodeOffsetToken(kPageKind, request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const RegionStore::Children children,
                           store_->ListChildren(parent, request->include_merged(), offset, size));
    for (const RegionRecord& r : children.regions) ToProto(r, response->add_regions());
    if (children.more) {
      response->set_next_page_token(
          EncodePageToken(kPageKind, offset + static_cast<int64_t>(children.regions.size()) + 1));
    }
    return absl::OkStatus();
  });
}

grpc::Status RegionServiceImpl::AddRegion(grpc::ServerContext* context,
                                          const v1::AddRegionRequest* request,
                                          v1::AddRegionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "AddRegion"));
    CIVIL_ASSIGN_OR_RETURN(
        const NewRegion region,
        ValidateNewRegion(request->code(), request->name(), static_cast<int>(request->kind())));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "code", region.code.value()));
    CIVIL_ASSIGN_OR_RETURN(const RegionRecord record, store_->Add(region, caller.subject));
    ToProto(record, response->mutable_region());
    return absl::OkStatus();
  });
}

grpc::Status RegionServiceImpl::RenameRegion(grpc::ServerContext* context,
                                             const v1::RenameRegionRequest* request,
                                             v1::RenameRegionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RenameRegion"));
    CIVIL_RETURN_IF_ERROR(RequireCode("code", request->code()));
    CIVIL_ASSIGN_OR_RETURN(const std::string name, RegionName(request->name()));
    CIVIL_ASSIGN_OR_RETURN(
        const RegionRecord record,
        store_->Rename(request->code(), name, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_region());
    return absl::OkStatus();
  });
}

grpc::Status RegionServiceImpl::MergeVillage(grpc::ServerContext* context,
                                             const v1::MergeVillageRequest* request,
                                             v1::MergeVillageResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "MergeVillage"));
    CIVIL_RETURN_IF_ERROR(
        RegionOf("code", request->code(), {RegionCode::Level::kVillage}).status());
    CIVIL_RETURN_IF_ERROR(
        RegionOf("into_code", request->into_code(), {RegionCode::Level::kVillage}).status());
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("merge_date", request->merge_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const MergeResult merged,
                           store_->Merge(request->code(), request->into_code(), on, caller.subject,
                                         RegionCheck(caller)));
    Log(LogLevel::kInfo, "village merged",
        {{"code", absl::string_view(request->code())},
         {"into_code", absl::string_view(request->into_code())},
         {"grids_moved", static_cast<int64_t>(merged.grids_moved)}});
    ToProto(merged.into, response->mutable_region());
    ToProto(merged.merged, response->mutable_merged());
    response->set_grids_moved(merged.grids_moved);
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
