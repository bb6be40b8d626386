#include "services/socialorg/station_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.StationService";

void ToProto(const StationRecord& s, absl::CivilDay today, v1::Station* out) {
  out->set_station_id(s.station_id);
  out->set_name(s.station.name);
  out->set_region_code(s.station.region_code);
  out->set_level(static_cast<v1::StationLevel>(s.station.level));
  out->set_established_date(FormatDay(s.station.established_on));
  out->set_accepted(AcceptedOn(s.acceptances, today));
  for (const Acceptance& a : s.acceptances) {
    v1::Acceptance* p = out->add_acceptances();
    p->set_accepted_date(FormatDay(a.accepted_on));
    p->set_result(static_cast<v1::AcceptanceResult>(a.result));
    p->set_notes(a.notes);
  }
  for (const TaskRecord& t : s.tasks) {
    v1::StationTask* p = out->add_tasks();
    p->set_task_id(t.task_id);
    p->set_year(t.task.year);
    p->set_title(t.task.title);
    p->set_due_date(FormatDay(t.task.due_on));
    if (t.completion) {
      p->set_completed(true);
      p->set_completed_date(FormatDay(t.completion->completed_on));
      p->set_evidence(t.completion->evidence);
    }
  }
  for (const Visit& v : s.visits) {
    v1::StationVisit* p = out->add_visits();
    p->set_visited_date(FormatDay(v.visited_on));
    p->set_visitor(v.visitor);
    p->set_findings(v.findings);
  }
  out->set_recorded_by(s.recorded_by);
}

}  // namespace

StationServiceImpl::StationServiceImpl(StationStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status StationServiceImpl::CreateStation(grpc::ServerContext* context,
                                               const v1::CreateStationRequest* request,
                                               v1::CreateStationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CreateStation"));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(const Station station,
                           ValidateStation(request->name(), request->region_code(),
                                           request->established_date(), today));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", station.region_code));
    CIVIL_ASSIGN_OR_RETURN(const StationRecord s, store_->Create(station, caller.subject));
    ToProto(s, today, response->mutable_station());
    return absl::OkStatus();
  });
}

grpc::Status StationServiceImpl::GetStation(grpc::ServerContext* context,
                                            const v1::GetStationRequest* request,
                                            v1::GetStationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetStation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("station_id", request->station_id()));
    CIVIL_ASSIGN_OR_RETURN(const StationRecord s,
                           store_->Get(request->station_id(), RegionCheck(caller)));
    ToProto(s, today_(), response->mutable_station());
    return absl::OkStatus();
  });
}

grpc::Status StationServiceImpl::RecordAcceptance(grpc::ServerContext* context,
                                                  const v1::RecordAcceptanceRequest* request,
                                                  v1::RecordAcceptanceResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordAcceptance"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("station_id", request->station_id()));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(
        const Acceptance acceptance,
        ValidateAcceptance(request->accepted_date(), request->result(), request->notes(), today));
    CIVIL_ASSIGN_OR_RETURN(
        const StationRecord s,
        store_->Accept(request->station_id(), acceptance, caller.subject, RegionCheck(caller)));
    ToProto(s, today, response->mutable_station());
    return absl::OkStatus();
  });
}

grpc::Status StationServiceImpl::AddStationTask(grpc::ServerContext* context,
                                                const v1::AddStationTaskRequest* request,
                                                v1::AddStationTaskResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "AddStationTask"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("station_id", request->station_id()));
    CIVIL_ASSIGN_OR_RETURN(const StationTask task,
                           ValidateTask(request->year(), request->title(), request->due_date()));
    CIVIL_ASSIGN_OR_RETURN(
        const std::string task_id,
        store_->AddTask(request->station_id(), task, caller.subject, RegionCheck(caller)));
    CIVIL_ASSIGN_OR_RETURN(const StationRecord s,
                           store_->Get(request->station_id(), RegionCheck(caller)));
    response->set_task_id(task_id);
    ToProto(s, today_(), response->mutable_station());
    return absl::OkStatus();
  });
}

grpc::Status StationServiceImpl::CompleteStationTask(grpc::ServerContext* context,
                                                     const v1::CompleteStationTaskRequest* request,
                                                     v1::CompleteStationTaskResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CompleteStationTask"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("task_id", request->task_id()));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(
        const TaskCompletion completion,
        ValidateCompletion(request->completed_date(), request->evidence(), today));
    CIVIL_ASSIGN_OR_RETURN(
        const StationRecord s,
        store_->Complete(request->task_id(), completion, caller.subject, RegionCheck(caller)));
    ToProto(s, today, response->mutable_station());
    return absl::OkStatus();
  });
}

grpc::Status StationServiceImpl::RecordStationVisit(grpc::ServerContext* context,
                                                    const v1::RecordStationVisitRequest* request,
                                                    v1::RecordStationVisitResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordStationVisit"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("station_id", request->station_id()));
    const absl::CivilDay today = today_();
    CIVIL_ASSIGN_OR_RETURN(
        const Visit visit,
        ValidateVisit(request->visited_date(), request->visitor(), request->findings(), today));
    CIVIL_ASSIGN_OR_RETURN(
        const StationRecord s,
        store_->RecordVisit(request->station_id(), visit, caller.subject, RegionCheck(caller)));
    ToProto(s, today, response->mutable_station());
    return absl::OkStatus();
  });
}

grpc::Status StationServiceImpl::CountStations(grpc::ServerContext* context,
                                               const v1::CountStationsRequest* request,
                                               v1::CountStationsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CountStations"));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> as_of,
                           OptionalDate("as_of", request->as_of()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const StationCounts c,
                           store_->CountAsOf(prefix, as_of.value_or(today_())));
    v1::StationCounts* out = response->mutable_counts();
    out->set_stations(c.stations);
    out->set_county_accepted(c.county_accepted);
    out->set_townships_accepted(c.townships_accepted);
    out->set_tasks(c.tasks);
    out->set_tasks_completed(c.tasks_completed);
    out->set_tasks_overdue(c.tasks_overdue);
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg
