#include "services/childwelfare/placement_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::childwelfare {
namespace {

constexpr absl::string_view kService = "civil.childwelfare.v1.PlacementService";

void ToProto(const PlacementChangeRecord& r, v1::PlacementChange* out) {
  out->set_change_id(r.change_id);
  out->set_child_id(r.child_id);
  out->set_guardian_name(r.draft.guardian_name);
  out->set_guardian_relation(r.draft.guardian_relation);
  out->set_kind(static_cast<v1::PlacementKind>(r.draft.kind));
  out->set_placement(r.draft.placement);
  out->set_reason(r.draft.reason);
  out->set_change_date(FormatDay(r.draft.on));
  out->set_effective_month(FormatMonth(r.effective_month));
  out->set_category_before(static_cast<v1::Category>(r.category_before));
  out->set_category_after(static_cast<v1::Category>(r.category_after));
  out->set_proposed_by(r.proposed_by);
  out->set_status(static_cast<v1::ChangeStatus>(r.status));
  out->set_decided_by(r.decided_by);
  if (r.decided_on) out->set_decision_date(FormatDay(*r.decided_on));
  out->set_decision_note(r.decision_note);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

}  // namespace

PlacementServiceImpl::PlacementServiceImpl(PlacementStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status PlacementServiceImpl::ProposePlacementChange(
    grpc::ServerContext* context, const v1::ProposePlacementChangeRequest* request,
    v1::ProposePlacementChangeResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ProposePlacementChange"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const PlacementChangeDraft draft,
        ValidatePlacementChange(
            PlacementChangeInput{request->guardian_name(), request->guardian_relation(),
                                 request->kind(), request->placement(), request->reason(),
                                 request->change_date()},
            today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const PlacementChangeRecord record,
        store_->Propose(request->child_id(), draft, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_change());
    return absl::OkStatus();
  });
}

grpc::Status PlacementServiceImpl::DecidePlacementChange(
    grpc::ServerContext* context, const v1::DecidePlacementChangeRequest* request,
    v1::DecidePlacementChangeResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "DecidePlacementChange"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("change_id", request->change_id()));
    std::string note;
    if (request->approved()) {
      CIVIL_ASSIGN_OR_RETURN(note, BoundedText("note", request->note(), 500, /*required=*/false));
    } else {
      CIVIL_ASSIGN_OR_RETURN(
          note, RequiredText("note", request->note(), 500, "a rejection needs a written reason"));
    }
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const PlacementChangeRecord record,
                           store_->Decide(request->change_id(), caller.subject, request->approved(),
                                          note, on, RegionCheck(caller)));
    ToProto(record, response->mutable_change());
    return absl::OkStatus();
  });
}

grpc::Status PlacementServiceImpl::ListPlacementChanges(
    grpc::ServerContext* context, const v1::ListPlacementChangesRequest* request,
    v1::ListPlacementChangesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListPlacementChanges"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<PlacementChangeRecord> changes,
                           store_->List(request->child_id(), RegionCheck(caller)));
    for (const PlacementChangeRecord& r : changes) ToProto(r, response->add_changes());
    return absl::OkStatus();
  });
}

}  // namespace civil::childwelfare
