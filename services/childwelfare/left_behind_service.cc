#include "services/childwelfare/left_behind_service.h"

#include <utility>

#include "services/childwelfare/name_view.h"
#include "services/common/errors.h"

namespace civil::childwelfare {
namespace {

constexpr absl::string_view kService = "civil.childwelfare.v1.LeftBehindService";

void ToProto(const CareChildRecord& c, const NameView& names, v1::CareChild* out) {
  out->set_care_id(c.care_id);
  out->set_name(
      names.Shown(c.name, c.region_code,
                  {"care_child_name", c.care_id, c.id_index, c.id_masked, c.region_code}));
  out->set_id_number_masked(c.id_masked);
  out->set_birth_date(FormatDay(c.birth_date));
  out->set_region_code(c.region_code);
  out->set_kind(static_cast<v1::CareKind>(c.kind));
  out->set_father(static_cast<v1::Whereabouts>(c.father));
  out->set_mother(static_cast<v1::Whereabouts>(c.mother));
  out->set_carer_name(c.carer_name);
  out->set_carer_relation(c.carer_relation);
  out->set_school(c.school);
  out->set_difficulty(c.difficulty);
  out->set_registration_date(FormatDay(c.registered_on));
  out->set_recorded_by(c.recorded_by);
}

}  // namespace

LeftBehindServiceImpl::LeftBehindServiceImpl(LeftBehindStore* store, IdViewLog* id_views,
                                             Clock today)
    : store_(store), id_views_(id_views), today_(std::move(today)) {}

grpc::Status LeftBehindServiceImpl::RegisterCareChild(grpc::ServerContext* context,
                                                      const v1::RegisterCareChildRequest* request,
                                                      v1::RegisterCareChildResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RegisterCareChild"));
    CIVIL_ASSIGN_OR_RETURN(
        const CareChildDraft draft,
        ValidateCareChild(
            CareChildInput{request->name(), request->id_number(), request->region_code(),
                           request->kind(), request->father(), request->mother(),
                           request->carer_name(), request->carer_relation(), request->school(),
                           request->difficulty(), request->registration_date()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const CareChildRecord record, store_->Register(draft, caller.subject));
    const NameView names(caller);
    ToProto(record, names, response->mutable_child());
    return names.Record(*id_views_, caller, "RegisterCareChild", response);
  });
}

grpc::Status LeftBehindServiceImpl::RegisterCareWorker(grpc::ServerContext* context,
                                                       const v1::RegisterCareWorkerRequest* request,
                                                       v1::RegisterCareWorkerResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RegisterCareWorker"));
    CIVIL_ASSIGN_OR_RETURN(const WorkerDraft worker,
                           ValidateWorker(request->name(), request->role(), request->region_code(),
                                          request->appointment_date(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", worker.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const WorkerRecord record, store_->AddWorker(worker, caller.subject));
    v1::CareWorker* out = response->mutable_worker();
    out->set_worker_id(record.worker_id);
    out->set_name(record.worker.name);
    out->set_role(static_cast<v1::WorkerRole>(record.worker.role));
    out->set_region_code(record.worker.region.value());
    out->set_appointment_date(FormatDay(record.worker.appointed_on));
    return absl::OkStatus();
  });
}

grpc::Status LeftBehindServiceImpl::RecordCareVisit(grpc::ServerContext* context,
                                                    const v1::RecordCareVisitRequest* request,
                                                    v1::RecordCareVisitResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordCareVisit"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("care_id", request->care_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const VisitDraft visit,
        ValidateVisit(request->worker_id(), request->findings(), request->follow_up_needed(),
                      request->follow_up(), request->visit_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const VisitRecord record,
        store_->RecordVisit(request->care_id(), visit, caller.subject, RegionCheck(caller)));
    v1::CareVisit* out = response->mutable_visit();
    out->set_visit_id(record.visit_id);
    out->set_care_id(record.care_id);
    out->set_worker_id(record.visit.worker_id);
    out->set_visit_date(FormatDay(record.visit.on));
    out->set_findings(record.visit.findings);
    out->set_follow_up_needed(record.visit.follow_up_needed);
    out->set_follow_up(record.visit.follow_up);
    out->set_recorded_by(record.recorded_by);
    return absl::OkStatus();
  });
}

grpc::Status LeftBehindServiceImpl::ListNotVisited(grpc::ServerContext* context,
                                                   const v1::ListNotVisitedRequest* request,
                                                   v1::ListNotVisitedResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListNotVisited"));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of,
                           EventDate("as_of", request->as_of(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    const absl::CivilDay since = QuarterStart(as_of);
    CIVIL_ASSIGN_OR_RETURN(const std::vector<CareChildRecord> children,
                           store_->NotVisited(prefix, since, as_of));
    response->set_quarter_start(FormatDay(since));
    const NameView names(caller);
    for (const CareChildRecord& c : children) {
      v1::NotVisited* out = response->add_children();
      out->set_care_id(c.care_id);
      out->set_name(
          names.Shown(c.name, c.region_code,
                      {"care_child_name", c.care_id, c.id_index, c.id_masked, c.region_code}));
      out->set_id_number_masked(c.id_masked);
      out->set_region_code(c.region_code);
      out->set_kind(static_cast<v1::CareKind>(c.kind));
      if (c.last_visit) out->set_last_visit_date(FormatDay(*c.last_visit));
    }
    return names.Record(*id_views_, caller, "ListNotVisited", response);
  });
}

grpc::Status LeftBehindServiceImpl::GetCareCounts(grpc::ServerContext* context,
                                                  const v1::GetCareCountsRequest* request,
                                                  v1::GetCareCountsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetCareCounts"));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of,
                           EventDate("as_of", request->as_of(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    const absl::CivilDay since = QuarterStart(as_of);
    CIVIL_ASSIGN_OR_RETURN(const CareCounts counts, store_->Counts(prefix, since, as_of));
    response->set_quarter_start(FormatDay(since));
    response->set_left_behind(counts.left_behind);
    response->set_in_difficulty(counts.in_difficulty);
    response->set_visited(counts.visited);
    response->set_not_visited(counts.not_visited);
    response->set_follow_ups(counts.follow_ups);
    int without = 0;
    for (const auto& [village, v] : counts.villages) {
      v1::VillageCoverage* out = response->add_villages();
      out->set_village(village);
      out->set_children(v.children);
      out->set_directors(v.directors);
      out->set_supervisors(v.supervisors);
      if (v.directors == 0) ++without;
    }
    response->set_villages_without_director(without);
    return absl::OkStatus();
  });
}

}  // namespace civil::childwelfare
