#include "services/governance/certificate_list_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.CertificateListService";

void ToProto(const CertificateListRecord& l, v1::CertificateList* out) {
  out->set_list_id(l.list_id);
  out->set_village_code(l.village_code);
  out->set_effective_date(FormatDay(l.effective_on));
  if (l.superseded_on) out->set_superseded_date(FormatDay(*l.superseded_on));
  out->set_document(l.document);
  out->set_published_by(l.published_by);
  out->set_published_date(FormatDay(l.published_on));
  for (const CertificateEntry& e : l.items) {
    v1::CertificateItem* item = e.may_issue ? out->add_may_issue() : out->add_may_not_issue();
    item->set_name(e.name);
    item->set_legal_basis(e.legal_basis);
  }
}

// The village of a read: 12 digits, inside the caller's region.
absl::StatusOr<std::string> ReadVillage(const Caller& caller, const std::string& code) {
  CIVIL_ASSIGN_OR_RETURN(const RegionCode village,
                         RegionOf("village_code", code, {RegionCode::Level::kVillage}));
  CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", village.value()));
  return village.value();
}

}  // namespace

CertificateListServiceImpl::CertificateListServiceImpl(CertificateListStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status CertificateListServiceImpl::PublishCertificateList(
    grpc::ServerContext* context, const v1::PublishCertificateListRequest* request,
    v1::PublishCertificateListResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "PublishCertificateList"));
    std::vector<CertificateEntry> items;
    for (const v1::CertificateEntry& e : request->items()) {
      items.push_back({e.name(), e.may_issue(), e.legal_basis()});
    }
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(
        const CertificateListDraft draft,
        ValidateCertificateList(request->village_code(), request->effective_date(),
                                request->document(), std::move(items), today));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", draft.village.value()));
    CIVIL_ASSIGN_OR_RETURN(const CertificateListRecord list,
                           store_->Publish(draft, caller.subject, today));
    ToProto(list, response->mutable_list());
    return absl::OkStatus();
  });
}

grpc::Status CertificateListServiceImpl::GetCertificateList(
    grpc::ServerContext* context, const v1::GetCertificateListRequest* request,
    v1::GetCertificateListResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetCertificateList"));
    CIVIL_ASSIGN_OR_RETURN(const std::string village, ReadVillage(caller, request->village_code()));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> day,
                           OptionalDate("as_of", request->as_of()));
    CIVIL_ASSIGN_OR_RETURN(const CertificateListRecord list,
                           store_->InForceOn(village, day ? *day : today_()));
    ToProto(list, response->mutable_list());
    return absl::OkStatus();
  });
}

grpc::Status CertificateListServiceImpl::ListCertificateListVersions(
    grpc::ServerContext* context, const v1::ListCertificateListVersionsRequest* request,
    v1::ListCertificateListVersionsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListCertificateListVersions"));
    CIVIL_ASSIGN_OR_RETURN(const std::string village, ReadVillage(caller, request->village_code()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<CertificateListRecord> lists,
                           store_->Versions(village));
    for (const CertificateListRecord& l : lists) ToProto(l, response->add_lists());
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
