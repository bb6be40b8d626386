#include "services/affairs/relief_service.h"

#include "services/common/errors.h"
#include "services/common/status.h"

namespace civil::affairs {
namespace {

constexpr absl::string_view kService = "civil.affairs.v1.VagrantReliefService";

void ToProto(const ReliefCaseRecord& r, v1::ReliefCase* out) {
  out->set_case_id(r.case_id);
  out->set_region_code(r.region_code);
  out->set_place(r.place);
  out->set_intake_date(FormatDay(r.intake_date));
  out->set_identity_known(r.identity_known);
  out->set_name(r.name);
  out->set_id_number_masked(r.id_masked);
  for (const std::string& s : r.services) {
    out->add_services(static_cast<v1::ReliefServiceKind>(kReliefServiceNames.Value(s)));
  }
  out->set_family_tracing(static_cast<v1::FamilyTracing>(r.family_tracing));
  out->set_outcome(static_cast<v1::ReliefOutcome>(r.outcome));
  if (r.closed_date) out->set_closed_date(FormatDay(*r.closed_date));
  out->set_money_fen(r.money_fen);
  out->set_note(r.note);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

void ToProto(const CampaignRecord& r, v1::ReliefCampaign* out) {
  out->set_campaign_id(r.campaign_id);
  out->set_kind(static_cast<v1::CampaignKind>(r.campaign.kind));
  out->set_name(r.campaign.name);
  out->set_region_code(r.campaign.region.value());
  out->set_start_date(FormatDay(r.campaign.start_date));
  out->set_end_date(FormatDay(r.campaign.end_date));
  out->set_persons_reached(r.campaign.persons_reached);
  out->set_money_fen(r.campaign.money_fen);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

std::vector<int> Services(const google::protobuf::RepeatedField<int>& services) {
  return std::vector<int>(services.begin(), services.end());
}

}  // namespace

ReliefServiceImpl::ReliefServiceImpl(ReliefStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status ReliefServiceImpl::OpenReliefCase(grpc::ServerContext* context,
                                               const v1::OpenReliefCaseRequest* request,
                                               v1::OpenReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "OpenReliefCase"));
    CIVIL_ASSIGN_OR_RETURN(
        const ReliefCaseDraft draft,
        ValidateReliefCase(
            ReliefCaseInput{request->region_code(), request->place(), request->intake_date(),
                            request->identity_known(), request->name(), request->id_number(),
                            Services(request->services()), request->family_tracing(),
                            request->money_fen(), request->note()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const ReliefCaseRecord record, store_->OpenCase(draft, caller.subject));
    ToProto(record, response->mutable_relief_case());
    return absl::OkStatus();
  });
}

grpc::Status ReliefServiceImpl::GetReliefCase(grpc::ServerContext* context,
                                              const v1::GetReliefCaseRequest* request,
                                              v1::GetReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetReliefCase"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("case_id", request->case_id()));
    CIVIL_ASSIGN_OR_RETURN(const ReliefCaseRecord record, store_->GetCase(request->case_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_relief_case());
    return absl::OkStatus();
  });
}

grpc::Status ReliefServiceImpl::CloseReliefCase(grpc::ServerContext* context,
                                                const v1::CloseReliefCaseRequest* request,
                                                v1::CloseReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CloseReliefCase"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("case_id", request->case_id()));
    if (!kReliefOutcomeNames.Valid(request->outcome())) {
      return InvalidField("outcome", "must be given");
    }
    if (request->family_tracing() != 0 && !kFamilyTracingNames.Valid(request->family_tracing())) {
      return InvalidField("family_tracing", "must be a defined value");
    }
    if (request->additional_money_fen() < 0 ||
        request->additional_money_fen() > kMaxReliefMoneyFen) {
      return InvalidField("additional_money_fen", "must be from 0 to 100000000");
    }
    CIVIL_ASSIGN_OR_RETURN(const std::vector<std::string> services,
                           ValidateServices("services", Services(request->services())));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay date, EventDate("date", request->date(), today_()));
    const CaseClosing closing{request->outcome(), date, request->family_tracing(), services,
                              request->additional_money_fen()};
    CIVIL_ASSIGN_OR_RETURN(
        const ReliefCaseRecord record,
        store_->CloseCase(request->case_id(), closing, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_relief_case());
    return absl::OkStatus();
  });
}

grpc::Status ReliefServiceImpl::ListReliefCases(grpc::ServerContext* context,
                                                const v1::ListReliefCasesRequest* request,
                                                v1::ListReliefCasesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListReliefCases"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("relief-cases", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const auto page,
                           store_->ListCases(prefix, request->open_only(), after, size));
    for (const ReliefCaseRecord& r : page.items) ToProto(r, response->add_relief_cases());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("relief-cases", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status ReliefServiceImpl::RecordReliefCampaign(grpc::ServerContext* context,
                                                     const v1::RecordReliefCampaignRequest* request,
                                                     v1::RecordReliefCampaignResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordReliefCampaign"));
    CIVIL_ASSIGN_OR_RETURN(
        const CampaignDraft draft,
        ValidateCampaign(CampaignInput{request->kind(), request->name(), request->region_code(),
                                       request->start_date(), request->end_date(),
                                       request->persons_reached(), request->money_fen()},
                         today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const CampaignRecord record,
                           store_->RecordCampaign(draft, caller.subject));
    ToProto(record, response->mutable_campaign());
    return absl::OkStatus();
  });
}

grpc::Status ReliefServiceImpl::ListReliefCampaigns(grpc::ServerContext* context,
                                                    const v1::ListReliefCampaignsRequest* request,
                                                    v1::ListReliefCampaignsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListReliefCampaigns"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("relief-campaigns", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const auto page, store_->ListCampaigns(prefix, after, size));
    for (const CampaignRecord& r : page.items) ToProto(r, response->add_campaigns());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("relief-campaigns", page.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::affairs
