#include "services/eldercare/visit_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/paging.h"

namespace civil::eldercare {
namespace {

constexpr absl::string_view kService = "civil.eldercare.v1.VisitService";

void SetDay(const std::optional<absl::CivilDay>& day, std::string* out) {
  if (day) *out = FormatDay(*day);
}

void ToProto(const PilotRecord& p, v1::VisitPilot* out) {
  out->set_township_code(p.township_code);
  out->set_township_name(p.township_name);
  out->set_start_date(FormatDay(p.starts_on));
  SetDay(p.ends_on, out->mutable_end_date());
  out->set_declared_by(p.declared_by);
}

void ToProto(const VisitPersonRecord& p, v1::VisitPerson* out) {
  out->set_person_id(p.person_id);
  out->set_name(p.name);
  out->set_id_number_masked(p.id_masked);
  out->set_region_code(p.region_code);
  out->set_circumstances(p.circumstances);
  out->set_register_date(FormatDay(p.registered_on));
  SetDay(p.deregistered_on, out->mutable_deregister_date());
  out->set_deregister_reason(p.deregister_reason);
  out->set_recorded_by(p.recorded_by);
  SetDay(p.last_visit_on, out->mutable_last_visit_date());
}

void ToProto(const VisitRecord& v, v1::Visit* out) {
  out->set_visit_id(v.visit_id);
  out->set_person_id(v.person_id);
  out->set_name(v.name);
  out->set_id_number_masked(v.id_masked);
  out->set_region_code(v.region_code);
  out->set_visit_date(FormatDay(v.visited_on));
  out->set_iso_week(FormatIsoWeek(IsoWeekOf(v.visited_on)));
  out->set_visitor(v.visitor);
  out->set_findings(v.findings);
  out->set_follow_up_needed(v.follow_up_needed);
  out->set_follow_up(v.follow_up);
  SetDay(v.follow_up_closed_on, out->mutable_follow_up_close_date());
  out->set_follow_up_close_note(v.follow_up_close_note);
  out->set_recorded_by(v.recorded_by);
  *out->mutable_create_time() = TimestampOf(v.create_time_micros);
}

}  // namespace

VisitServiceImpl::VisitServiceImpl(VisitStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status VisitServiceImpl::DeclarePilot(grpc::ServerContext* context,
                                            const v1::DeclarePilotRequest* request,
                                            v1::DeclarePilotResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "DeclarePilot"));
    CIVIL_ASSIGN_OR_RETURN(
        const PilotDraft draft,
        ValidatePilot(
            PilotInput{request->township_code(), request->township_name(), request->start_date()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "township_code", draft.township.value()));
    CIVIL_ASSIGN_OR_RETURN(const PilotRecord record, store_->DeclarePilot(draft, caller.subject));
    ToProto(record, response->mutable_pilot());
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::EndPilot(grpc::ServerContext* context,
                                        const v1::EndPilotRequest* request,
                                        v1::EndPilotResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "EndPilot"));
    CIVIL_ASSIGN_OR_RETURN(
        const RegionCode township,
        RegionOf("township_code", request->township_code(), {RegionCode::Level::kTownship}));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("end_date", request->end_date(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "township_code", township.value()));
    CIVIL_ASSIGN_OR_RETURN(const PilotRecord record, store_->EndPilot(township.value(), on));
    ToProto(record, response->mutable_pilot());
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::ListPilots(grpc::ServerContext* context,
                                          const v1::ListPilotsRequest* request,
                                          v1::ListPilotsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListPilots"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<PilotRecord> pilots, store_->ListPilots(prefix));
    for (const PilotRecord& p : pilots) ToProto(p, response->add_pilots());
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::RegisterPerson(grpc::ServerContext* context,
                                              const v1::RegisterPersonRequest* request,
                                              v1::RegisterPersonResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RegisterPerson"));
    CIVIL_ASSIGN_OR_RETURN(
        const RegisterDraft draft,
        ValidateRegistration(
            RegisterInput{request->name(), request->id_number(), request->region_code(),
                          request->circumstances(), request->register_date()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const VisitPersonRecord record, store_->Register(draft, caller.subject));
    ToProto(record, response->mutable_person());
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::DeregisterPerson(grpc::ServerContext* context,
                                                const v1::DeregisterPersonRequest* request,
                                                v1::DeregisterPersonResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "DeregisterPerson"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("person_id", request->person_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string reason,
                           RequiredText("reason", request->reason(), 200,
                                        "taking a person off the register needs a reason"));
    CIVIL_ASSIGN_OR_RETURN(
        const VisitPersonRecord record,
        store_->Deregister(request->person_id(), on, reason, RegionCheck(caller)));
    ToProto(record, response->mutable_person());
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::RecordVisit(grpc::ServerContext* context,
                                           const v1::RecordVisitRequest* request,
                                           v1::RecordVisitResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RecordVisit"));
    CIVIL_ASSIGN_OR_RETURN(
        const VisitDraft draft,
        ValidateVisit(
            VisitInput{request->id_number(), request->visit_date(), request->visitor(),
                       request->findings(), request->follow_up_needed(), request->follow_up()},
            today_()));
    CIVIL_ASSIGN_OR_RETURN(const VisitRecord record,
                           store_->RecordVisit(draft, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_visit());
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::CloseFollowUp(grpc::ServerContext* context,
                                             const v1::CloseFollowUpRequest* request,
                                             v1::CloseFollowUpResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CloseFollowUp"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("visit_id", request->visit_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const std::string note,
        RequiredText("note", request->note(), kMaxVisitText,
                     "closing a follow-up says what was done", TextLines::kMany));
    CIVIL_ASSIGN_OR_RETURN(
        const VisitRecord record,
        store_->CloseFollowUp(request->visit_id(), on, note, RegionCheck(caller)));
    ToProto(record, response->mutable_visit());
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::ListVisits(grpc::ServerContext* context,
                                          const v1::ListVisitsRequest* request,
                                          v1::ListVisitsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListVisits"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    if (!request->person_id().empty()) {
      CIVIL_RETURN_IF_ERROR(RequireUuid("person_id", request->person_id()));
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t before, DecodePageToken("visits", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(
        const Page<VisitRecord> page,
        store_->ListVisits(prefix, request->person_id(), request->open_follow_ups(), before, size));
    for (const VisitRecord& v : page.items) ToProto(v, response->add_visits());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("visits", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status VisitServiceImpl::ListUnvisited(grpc::ServerContext* context,
                                             const v1::ListUnvisitedRequest* request,
                                             v1::ListUnvisitedResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListUnvisited"));
    CIVIL_ASSIGN_OR_RETURN(
        const RegionCode township,
        RegionOf("township_code", request->township_code(), {RegionCode::Level::kTownship}));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day, EventDate("day", request->day(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "township_code", township.value()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("unvisited", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const UnvisitedPage result,
                           store_->Unvisited(township.value(), day, after, size));
    response->set_iso_week(FormatIsoWeek(result.week));
    response->set_week_start(FormatDay(result.week.monday));
    response->set_week_end(FormatDay(result.week.sunday));
    for (const VisitPersonRecord& p : result.page.items) ToProto(p, response->add_persons());
    if (result.page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("unvisited", result.page.next_after));
    }
    response->set_unvisited(result.unvisited);
    response->set_registered(result.registered);
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare
