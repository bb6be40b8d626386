#include "services/socialorg/organisation_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.OrganisationService";
constexpr absl::string_view kDept = "socialorg";

}  // namespace

void ToProto(const OrgRecord& o, v1::Organisation* out) {
  out->set_organisation_id(o.organisation_id);
  out->set_name(o.name);
  out->set_credit_code(o.credit_code);
  out->set_kind(static_cast<v1::OrganisationKind>(o.kind));
  out->set_status(static_cast<v1::OrganisationStatus>(o.state.status));
  out->set_supervising_unit(o.supervising_unit);
  out->set_domicile(o.domicile);
  out->set_legal_representative_name(o.representative_name);
  out->set_legal_representative_id_masked(o.representative_masked);
  out->set_legal_representative_id_number(o.representative_id);
  out->set_registered_capital_fen(o.registered_capital_fen);
  out->set_region_code(o.region_code);
  out->set_business_scope(o.business_scope);
  out->set_industry_association(o.industry_association);
  if (o.state.established_on) out->set_established_date(FormatDay(*o.state.established_on));
  if (o.state.deregistered_on) out->set_deregistered_date(FormatDay(*o.state.deregistered_on));
  if (o.state.term) {
    out->set_term_start(FormatDay(o.state.term->start));
    out->set_term_end(FormatDay(o.state.term->end));
  }
  if (o.state.certificate_valid_until) {
    out->set_certificate_valid_until(FormatDay(*o.state.certificate_valid_until));
  }
  out->set_recorded_by(o.recorded_by);
  *out->mutable_update_time() = TimestampOf(o.update_time_micros);
}

OrganisationServiceImpl::OrganisationServiceImpl(OrganisationStore* store, IdViewLog* id_views,
                                                 Clock today)
    : store_(store), id_views_(id_views), today_(std::move(today)) {}

grpc::Status OrganisationServiceImpl::RegisterOrganisation(
    grpc::ServerContext* context, const v1::RegisterOrganisationRequest* request,
    v1::RegisterOrganisationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RegisterOrganisation"));
    RegistrationInput input;
    input.name = request->name();
    input.credit_code = request->credit_code();
    input.kind = request->kind();
    input.supervising_unit = request->supervising_unit();
    input.domicile = request->domicile();
    input.representative_name = request->legal_representative_name();
    input.representative_id = request->legal_representative_id_number();
    input.registered_capital_fen = request->registered_capital_fen();
    input.region_code = request->region_code();
    input.business_scope = request->business_scope();
    input.establishment_date = request->establishment_date();
    input.documents.assign(request->documents().begin(), request->documents().end());
    input.term_start = request->term_start();
    input.term_end = request->term_end();
    input.certificate_valid_until = request->certificate_valid_until();
    input.industry_association = request->industry_association();
    CIVIL_ASSIGN_OR_RETURN(const RegistrationDraft draft, ValidateRegistration(input, today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const Registered registered, store_->Register(draft, caller.subject));
    ToProto(registered.organisation, response->mutable_organisation());
    response->set_establishment_event_id(registered.establishment.event_id);
    return absl::OkStatus();
  });
}

grpc::Status OrganisationServiceImpl::GetOrganisation(grpc::ServerContext* context,
                                                      const v1::GetOrganisationRequest* request,
                                                      v1::GetOrganisationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetOrganisation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const bool full,
                           RevealFullIds(caller, kDept, "reveal_reason", request->reveal_reason()));
    CIVIL_ASSIGN_OR_RETURN(const OrgRecord record, store_->Get(request->organisation_id(), full));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_organisation());
    std::vector<SeenPerson> seen;
    if (full) {
      seen.push_back(SeenPerson{"organisation", record.organisation_id, record.representative_index,
                                record.representative_masked, record.region_code});
    }
    return id_views_->RecordOrClear(caller, "GetOrganisation", request->reveal_reason(), seen,
                                    response);
  });
}

grpc::Status OrganisationServiceImpl::ListOrganisations(grpc::ServerContext* context,
                                                        const v1::ListOrganisationsRequest* request,
                                                        v1::ListOrganisationsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListOrganisations"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    std::optional<OrgKind> kind;
    if (request->kind() != v1::ORGANISATION_KIND_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kOrgKindNames.Require("kind", request->kind()));
      kind = static_cast<OrgKind>(request->kind());
    }
    std::optional<OrgStatus> status;
    if (request->status() != v1::ORGANISATION_STATUS_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kOrgStatusNames.Require("status", request->status()));
      status = static_cast<OrgStatus>(request->status());
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("organisations", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(
        const Page<OrgRecord> page,
        store_->List(prefix, kind, status, request->industry_associations_only(), after, size));
    for (const OrgRecord& o : page.items) ToProto(o, response->add_organisations());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("organisations", page.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg
