#include "services/eldercare/adaptation_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::eldercare {
namespace {

constexpr absl::string_view kService = "civil.eldercare.v1.AdaptationService";

void SetDay(const std::optional<absl::CivilDay>& day, std::string* out) {
  if (day) *out = FormatDay(*day);
}

void ToProto(const AdaptationRecord& a, v1::Adaptation* out) {
  out->set_adaptation_id(a.adaptation_id);
  out->set_head_name(a.head_name);
  out->set_head_id_number_masked(a.id_masked);
  out->set_region_code(a.region_code);
  out->set_target_year(a.target_year);
  out->set_status(static_cast<v1::AdaptationStatus>(a.status));
  out->set_findings(a.findings);
  out->set_survey_date(FormatDay(a.surveyed_on));
  SetDay(a.planned_on, out->mutable_plan_date());
  SetDay(a.works_started_on, out->mutable_works_start_date());
  SetDay(a.accepted_on, out->mutable_acceptance_date());
  for (const PlanItem& i : a.items) {
    v1::PlanItem* item = out->add_items();
    item->set_item(i.item);
    item->set_cost_fen(i.cost_fen);
  }
  out->set_plan_cost_fen(a.plan_cost_fen);
  out->set_contractor(a.contractor);
  out->set_accepted_by(a.accepted_by);
  out->set_recorded_by(a.recorded_by);
  *out->mutable_update_time() = TimestampOf(a.update_time_micros);
}

void ToProto(const PlacementRecord& p, v1::Placement* out) {
  out->set_placement_id(p.placement_id);
  out->set_name(p.name);
  out->set_id_number_masked(p.id_masked);
  out->set_region_code(p.region_code);
  out->set_institution(p.institution);
  out->set_basis(p.basis);
  out->set_placement_date(FormatDay(p.placed_on));
  SetDay(p.ended_on, out->mutable_end_date());
  out->set_end_note(p.end_note);
  out->set_recorded_by(p.recorded_by);
}

}  // namespace

AdaptationServiceImpl::AdaptationServiceImpl(AdaptationStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status AdaptationServiceImpl::SurveyHousehold(grpc::ServerContext* context,
                                                    const v1::SurveyHouseholdRequest* request,
                                                    v1::SurveyHouseholdResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SurveyHousehold"));
    CIVIL_ASSIGN_OR_RETURN(
        const SurveyDraft draft,
        ValidateSurvey(
            SurveyInput{request->head_name(), request->head_id_number(), request->region_code(),
                        request->target_year(), request->findings(), request->survey_date()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const AdaptationRecord record, store_->Survey(draft, caller.subject));
    ToProto(record, response->mutable_adaptation());
    return absl::OkStatus();
  });
}

grpc::Status AdaptationServiceImpl::PlanAdaptation(grpc::ServerContext* context,
                                                   const v1::PlanAdaptationRequest* request,
                                                   v1::PlanAdaptationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "PlanAdaptation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("adaptation_id", request->adaptation_id()));
    std::vector<PlanItem> items;
    for (const v1::PlanItem& i : request->items()) items.push_back({i.item(), i.cost_fen()});
    CIVIL_RETURN_IF_ERROR(ValidatePlanItems(items));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const AdaptationRecord record,
                           store_->Plan(request->adaptation_id(), items, on, RegionCheck(caller)));
    ToProto(record, response->mutable_adaptation());
    return absl::OkStatus();
  });
}

grpc::Status AdaptationServiceImpl::StartWorks(grpc::ServerContext* context,
                                               const v1::StartWorksRequest* request,
                                               v1::StartWorksResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "StartWorks"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("adaptation_id", request->adaptation_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::string contractor,
                           BoundedText("contractor", request->contractor(), 64));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const AdaptationRecord record,
        store_->StartWorks(request->adaptation_id(), contractor, on, RegionCheck(caller)));
    ToProto(record, response->mutable_adaptation());
    return absl::OkStatus();
  });
}

grpc::Status AdaptationServiceImpl::AcceptAdaptation(grpc::ServerContext* context,
                                                     const v1::AcceptAdaptationRequest* request,
                                                     v1::AcceptAdaptationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "AcceptAdaptation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("adaptation_id", request->adaptation_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const AdaptationRecord record,
        store_->Accept(request->adaptation_id(), on, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_adaptation());
    return absl::OkStatus();
  });
}

grpc::Status AdaptationServiceImpl::GetAdaptation(grpc::ServerContext* context,
                                                  const v1::GetAdaptationRequest* request,
                                                  v1::GetAdaptationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetAdaptation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("adaptation_id", request->adaptation_id()));
    CIVIL_ASSIGN_OR_RETURN(const AdaptationRecord record, store_->Get(request->adaptation_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_adaptation());
    return absl::OkStatus();
  });
}

grpc::Status AdaptationServiceImpl::PlaceInInstitution(grpc::ServerContext* context,
                                                       const v1::PlaceInInstitutionRequest* request,
                                                       v1::PlaceInInstitutionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "PlaceInInstitution"));
    CIVIL_ASSIGN_OR_RETURN(
        const PlacementDraft draft,
        ValidatePlacement(
            PlacementInput{request->name(), request->id_number(), request->region_code(),
                           request->institution(), request->basis(), request->placement_date()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const PlacementRecord record, store_->Place(draft, caller.subject));
    ToProto(record, response->mutable_placement());
    return absl::OkStatus();
  });
}

grpc::Status AdaptationServiceImpl::EndPlacement(grpc::ServerContext* context,
                                                 const v1::EndPlacementRequest* request,
                                                 v1::EndPlacementResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "EndPlacement"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("placement_id", request->placement_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string note,
                           BoundedText("note", request->note(), 200, /*required=*/false));
    CIVIL_ASSIGN_OR_RETURN(
        const PlacementRecord record,
        store_->EndPlacement(request->placement_id(), on, note, RegionCheck(caller)));
    ToProto(record, response->mutable_placement());
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare
