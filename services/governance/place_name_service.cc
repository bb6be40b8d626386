#include "services/governance/place_name_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/common/values.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.PlaceNameService";

void ToProto(const PlaceNameRecord& n, v1::PlaceName* out) {
  out->set_name_id(n.name_id);
  out->set_proposed_name(n.proposed_name);
  out->set_kind(static_cast<v1::PlaceKind>(n.kind));
  out->set_region_code(n.region_code);
  out->set_applicant(n.applicant);
  out->set_application_date(FormatDay(n.state.applied_on));
  out->set_applied_by(n.state.applied_by);
  out->set_step(static_cast<v1::NamingStep>(LastStep(n.state)));
  if (n.state.approved_on) out->set_approval_date(FormatDay(*n.state.approved_on));
  out->set_approval_document(n.approval_document);
  out->set_approved_by(n.approved_by);
  if (auto due = DueOn(n.state, NamingStep::kFiling)) out->set_filing_due_date(FormatDay(*due));
  if (n.state.filed_on) out->set_filing_date(FormatDay(*n.state.filed_on));
  out->set_filing_document(n.filing_document);
  out->set_filed_by(n.filed_by);
  if (auto due = DueOn(n.state, NamingStep::kAnnouncement)) {
    out->set_announcement_due_date(FormatDay(*due));
  }
  if (n.state.announced_on) out->set_announcement_date(FormatDay(*n.state.announced_on));
  out->set_announcement_document(n.announcement_document);
  out->set_announced_by(n.announced_by);
}

// Whether the step just recorded on `on` came after its due day.
bool StepWasLate(const PlaceNameRecord& n, NamingStep step, absl::CivilDay on) {
  const std::optional<absl::CivilDay> due = DueOn(n.state, step);
  return due && IsLate(*due, on);
}

}  // namespace

PlaceNameServiceImpl::PlaceNameServiceImpl(PlaceNameStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status PlaceNameServiceImpl::ApplyPlaceName(grpc::ServerContext* context,
                                                  const v1::ApplyPlaceNameRequest* request,
                                                  v1::ApplyPlaceNameResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ApplyPlaceName"));
    CIVIL_ASSIGN_OR_RETURN(
        const NamingApplication application,
        ValidateNamingApplication(request->proposed_name(), request->kind(), request->region_code(),
                                  request->applicant(), request->application_date(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", application.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const PlaceNameRecord name, store_->Apply(application, caller.subject));
    ToProto(name, response->mutable_place_name());
    return absl::OkStatus();
  });
}

absl::StatusOr<PlaceNameRecord> PlaceNameServiceImpl::RecordStep(
    grpc::ServerContext* context, absl::string_view method, NamingStep step,
    const std::string& name_id, const std::string& date, const std::string& document) {
  CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, method));
  CIVIL_RETURN_IF_ERROR(RequireUuid("name_id", name_id));
  CIVIL_ASSIGN_OR_RETURN(const NamingStepDraft draft,
                         ValidateNamingStep(step, date, document, today_()));
  return store_->Step(name_id, draft, caller.subject, RegionCheck(caller));
}

grpc::Status PlaceNameServiceImpl::ApprovePlaceName(grpc::ServerContext* context,
                                                    const v1::ApprovePlaceNameRequest* request,
                                                    v1::ApprovePlaceNameResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(
        const PlaceNameRecord name,
        RecordStep(context, "ApprovePlaceName", NamingStep::kApproval, request->name_id(),
                   request->approval_date(), request->document()));
    ToProto(name, response->mutable_place_name());
    return absl::OkStatus();
  });
}

grpc::Status PlaceNameServiceImpl::FilePlaceName(grpc::ServerContext* context,
                                                 const v1::FilePlaceNameRequest* request,
                                                 v1::FilePlaceNameResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(
        const PlaceNameRecord name,
        RecordStep(context, "FilePlaceName", NamingStep::kFiling, request->name_id(),
                   request->filing_date(), request->document()));
    ToProto(name, response->mutable_place_name());
    response->set_late(StepWasLate(name, NamingStep::kFiling, *name.state.filed_on));
    return absl::OkStatus();
  });
}

grpc::Status PlaceNameServiceImpl::AnnouncePlaceName(grpc::ServerContext* context,
                                                     const v1::AnnouncePlaceNameRequest* request,
                                                     v1::AnnouncePlaceNameResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(
        const PlaceNameRecord name,
        RecordStep(context, "AnnouncePlaceName", NamingStep::kAnnouncement, request->name_id(),
                   request->announcement_date(), request->document()));
    ToProto(name, response->mutable_place_name());
    response->set_late(StepWasLate(name, NamingStep::kAnnouncement, *name.state.announced_on));
    return absl::OkStatus();
  });
}

grpc::Status PlaceNameServiceImpl::GetPlaceName(grpc::ServerContext* context,
                                                const v1::GetPlaceNameRequest* request,
                                                v1::GetPlaceNameResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetPlaceName"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("name_id", request->name_id()));
    CIVIL_ASSIGN_OR_RETURN(const PlaceNameRecord name, store_->Get(request->name_id()));
    CIVIL_RETURN_IF_ERROR(RegionCheck(caller)(name.region_code));
    ToProto(name, response->mutable_place_name());
    return absl::OkStatus();
  });
}

grpc::Status PlaceNameServiceImpl::ListLatePlaceNames(grpc::ServerContext* context,
                                                      const v1::ListLatePlaceNamesRequest* request,
                                                      v1::ListLatePlaceNamesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListLatePlaceNames"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> day,
                           OptionalDate("as_of", request->as_of()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<LatePlaceName> late,
                           store_->Late(prefix, day ? *day : today_(), size));
    for (const LatePlaceName& l : late) {
      v1::LateNamingStep* out = response->add_steps();
      ToProto(l.name, out->mutable_place_name());
      out->set_step(static_cast<v1::NamingStep>(l.step.step));
      out->set_due_date(FormatDay(l.step.due_on));
      if (l.step.done_on) out->set_done_date(FormatDay(*l.step.done_on));
      out->set_overdue(!l.step.done_on);
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
