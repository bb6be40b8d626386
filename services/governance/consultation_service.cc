#include "services/governance/consultation_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.ConsultationService";

void ToProto(const SiteRecord& s, v1::ConsultationSite* out) {
  out->set_site_id(s.site_id);
  out->set_village_code(s.village_code);
  out->set_name(s.name);
  out->set_selected_date(FormatDay(s.selected_on));
  out->set_selected_by(s.selected_by);
}

}  // namespace

ConsultationServiceImpl::ConsultationServiceImpl(ConsultationStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status ConsultationServiceImpl::DesignateConsultationSite(
    grpc::ServerContext* context, const v1::DesignateConsultationSiteRequest* request,
    v1::DesignateConsultationSiteResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "DesignateConsultationSite"));
    CIVIL_ASSIGN_OR_RETURN(
        const SiteDraft draft,
        ValidateSite(request->village_code(), request->name(), request->selected_date(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", draft.village.value()));
    CIVIL_ASSIGN_OR_RETURN(const SiteRecord site, store_->Designate(draft, caller.subject));
    ToProto(site, response->mutable_site());
    return absl::OkStatus();
  });
}

grpc::Status ConsultationServiceImpl::ListConsultationSites(
    grpc::ServerContext* context, const v1::ListConsultationSitesRequest* request,
    v1::ListConsultationSitesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListConsultationSites"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("consultation-sites", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<SiteRecord> page, store_->List(prefix, after, size));
    for (const SiteRecord& s : page.items) ToProto(s, response->add_sites());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("consultation-sites", page.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
