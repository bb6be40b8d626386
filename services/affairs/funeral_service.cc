#include "services/affairs/funeral_service.h"

#include "services/affairs/project_proto.h"
#include "services/common/errors.h"
#include "services/common/status.h"

namespace civil::affairs {
namespace {

constexpr absl::string_view kService = "civil.affairs.v1.FuneralService";

void ToProto(const CremationRecord& r, v1::Cremation* out) {
  out->set_cremation_id(r.cremation_id);
  out->set_name(r.name);
  out->set_id_number_masked(r.id_masked);
  out->set_birth_date(FormatDay(r.birth_date));
  out->set_sex(r.sex);
  out->set_date_of_death(FormatDay(r.date_of_death));
  out->set_cremation_date(FormatDay(r.cremation_date));
  out->set_funeral_home(r.funeral_home);
  out->set_region_code(r.region_code);
  out->set_fees_waived(!r.schedule_id.empty());
  out->set_waived_fen(r.waived_fen);
  out->set_fee_schedule_id(r.schedule_id);
  out->set_event_id(r.event_id);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

void ToProto(const FeeSchedule& s, int64_t create_micros, v1::FeeSchedule* out) {
  out->set_schedule_id(s.schedule_id);
  out->set_region_prefix(s.region_prefix.value());
  out->set_effective_from(FormatDay(s.effective_from));
  for (const FeeItem& item : s.items) {
    v1::FeeItem* i = out->add_items();
    i->set_code(item.code);
    i->set_name(item.name);
    i->set_amount_fen(item.amount_fen);
  }
  out->set_waived_fen(s.waived.fen());
  *out->mutable_create_time() = TimestampOf(create_micros);
}

void ToProto(const VehicleCaseRecord& r, v1::VehicleCase* out) {
  out->set_case_id(r.case_id);
  out->set_region_code(r.region_code);
  out->set_date(FormatDay(r.date));
  out->set_plate_number(r.plate_number);
  out->set_violation(static_cast<v1::VehicleViolation>(r.violation));
  out->set_outcome(static_cast<v1::VehicleCaseOutcome>(r.outcome));
  out->set_fine_fen(r.fine_fen);
  out->set_agencies(r.agencies);
  out->set_note(r.note);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

const std::vector<ProjectKind> kCemetery = {ProjectKind::kCemetery};

}  // namespace

FuneralServiceImpl::FuneralServiceImpl(FuneralStore* store, ProjectStore* projects, Clock today)
    : store_(store), projects_(projects), today_(std::move(today)) {}

grpc::Status FuneralServiceImpl::RecordCremation(grpc::ServerContext* context,
                                                 const v1::RecordCremationRequest* request,
                                                 v1::RecordCremationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordCremation"));
    CIVIL_ASSIGN_OR_RETURN(
        const CremationDraft draft,
        ValidateCremation(CremationInput{request->name(), request->id_number(),
                                         request->date_of_death(), request->cremation_date(),
                                         request->funeral_home(), request->region_code()},
                          today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const CremationRecord record,
                           store_->RecordCremation(draft, caller.subject));
    ToProto(record, response->mutable_cremation());
    return absl::OkStatus();
  });
}

grpc::Status FuneralServiceImpl::GetCremation(grpc::ServerContext* context,
                                              const v1::GetCremationRequest* request,
                                              v1::GetCremationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetCremation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("cremation_id", request->cremation_id()));
    CIVIL_ASSIGN_OR_RETURN(const CremationRecord record,
                           store_->GetCremation(request->cremation_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_cremation());
    return absl::OkStatus();
  });
}

grpc::Status FuneralServiceImpl::ListCremations(grpc::ServerContext* context,
                                                const v1::ListCremationsRequest* request,
                                                v1::ListCremationsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListCremations"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const auto from, OptionalDate("from_date", request->from_date()));
    CIVIL_ASSIGN_OR_RETURN(const auto to, OptionalDate("to_date", request->to_date()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("cremations", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const auto page, store_->ListCremations(prefix, from, to, after, size));
    for (const CremationRecord& r : page.items) ToProto(r, response->add_cremations());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("cremations", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status FuneralServiceImpl::SetFuneralFeeSchedule(
    grpc::ServerContext* context, const v1::SetFuneralFeeScheduleRequest* request,
    v1::SetFuneralFeeScheduleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SetFuneralFeeSchedule"));
    std::vector<FeeItem> items;
    for (const auto& i : request->items()) items.push_back({i.code(), i.name(), i.amount_fen()});
    CIVIL_ASSIGN_OR_RETURN(
        const FeeSchedule schedule,
        ValidateFeeSchedule(request->region_prefix(), request->effective_from(), items));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_prefix", schedule.region_prefix.value()));
    int64_t created = 0;
    CIVIL_ASSIGN_OR_RETURN(const FeeSchedule stored,
                           store_->AddFeeSchedule(schedule, caller.subject, &created));
    ToProto(stored, created, response->mutable_schedule());
    return absl::OkStatus();
  });
}

grpc::Status FuneralServiceImpl::ListFuneralFeeSchedules(
    grpc::ServerContext* context, const v1::ListFuneralFeeSchedulesRequest* request,
    v1::ListFuneralFeeSchedulesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListFuneralFeeSchedules"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t skip,
                           DecodeOffsetToken("fee-schedules", request->page_token()));
    // A configuration table of a few rows per region: read whole, paged by position.
    CIVIL_ASSIGN_OR_RETURN(const auto schedules, store_->ListFeeSchedules(prefix));
    for (size_t i = skip; i < schedules.size() && i < static_cast<size_t>(skip + size); ++i) {
      ToProto(schedules[i].first, schedules[i].second, response->add_schedules());
    }
    if (static_cast<size_t>(skip + size) < schedules.size()) {
      response->set_next_page_token(EncodePageToken("fee-schedules", skip + size + 1));
    }
    return absl::OkStatus();
  });
}

grpc::Status FuneralServiceImpl::CreateCemeteryProject(
    grpc::ServerContext* context, const v1::CreateCemeteryProjectRequest* request,
    v1::CreateCemeteryProjectResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateCemeteryProject"));
    return CreateProject(caller, *projects_,
                         {ProjectKind::kCemetery, request->name(), request->region_code(),
                          request->target_year(), request->due_date()},
                         today_(), response->mutable_project());
  });
}

grpc::Status FuneralServiceImpl::RecordCemeteryMilestone(
    grpc::ServerContext* context, const v1::RecordCemeteryMilestoneRequest* request,
    v1::RecordCemeteryMilestoneResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordCemeteryMilestone"));
    return RecordProjectMilestone(caller, *projects_, kCemetery, request->project_id(),
                                  request->milestone(), request->date(), today_(),
                                  response->mutable_project());
  });
}

grpc::Status FuneralServiceImpl::ListCemeteryProjects(
    grpc::ServerContext* context, const v1::ListCemeteryProjectsRequest* request,
    v1::ListCemeteryProjectsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListCemeteryProjects"));
    const ProjectQuery query{.kinds = kCemetery,
                             .region_prefix = request->region_prefix(),
                             .target_year = request->target_year(),
                             .status = request->status(),
                             .overdue_only = request->overdue_only(),
                             .as_of = request->as_of(),
                             .page_size = request->page_size(),
                             .page_token = request->page_token()};
    return ListProjects(caller, *projects_, query, "cemetery-projects", today_(),
                        response->mutable_projects(), response->mutable_next_page_token());
  });
}

grpc::Status FuneralServiceImpl::RecordVehicleCase(grpc::ServerContext* context,
                                                   const v1::RecordVehicleCaseRequest* request,
                                                   v1::RecordVehicleCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordVehicleCase"));
    CIVIL_ASSIGN_OR_RETURN(
        const VehicleCaseDraft draft,
        ValidateVehicleCase(
            VehicleCaseInput{request->region_code(), request->date(), request->plate_number(),
                             request->violation(), request->outcome(), request->fine_fen(),
                             request->agencies(), request->note()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const VehicleCaseRecord record,
                           store_->RecordVehicleCase(draft, caller.subject));
    ToProto(record, response->mutable_vehicle_case());
    return absl::OkStatus();
  });
}

grpc::Status FuneralServiceImpl::ListVehicleCases(grpc::ServerContext* context,
                                                  const v1::ListVehicleCasesRequest* request,
                                                  v1::ListVehicleCasesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListVehicleCases"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("vehicle-cases", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const auto page, store_->ListVehicleCases(prefix, after, size));
    for (const VehicleCaseRecord& r : page.items) ToProto(r, response->add_vehicle_cases());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("vehicle-cases", page.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::affairs
