#include "services/governance/boundary_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.BoundaryService";

void ToProto(const LineRecord& l, v1::BoundaryLine* out) {
  out->set_line_id(l.line_id);
  out->set_township_code(l.township_code);
  out->set_neighbour(l.neighbour);
  out->set_name(l.name);
}

void ToProto(const MarkerRecord& m, v1::BoundaryMarker* out) {
  out->set_marker_id(m.marker_id);
  out->set_line_id(m.line_id);
  out->set_code(m.marker.code);
  out->set_latitude(m.marker.latitude);
  out->set_longitude(m.marker.longitude);
  out->set_kind(static_cast<v1::MarkerKind>(m.marker.kind));
  out->set_status(static_cast<v1::MarkerStatus>(m.marker.status));
  out->set_placed_date(FormatDay(m.marker.placed_on));
  if (m.board_installed_on) out->set_board_installed_date(FormatDay(*m.board_installed_on));
}

void ToProto(const InspectionRecord& i, v1::JointInspection* out) {
  out->set_line_id(i.line_id);
  out->set_year(i.inspection.year);
  out->set_completed_date(FormatDay(i.inspection.completed_on));
  out->set_archive_ref(i.inspection.archive_ref);
  out->set_note(i.inspection.note);
  out->set_recorded_by(i.recorded_by);
}

}  // namespace

BoundaryServiceImpl::BoundaryServiceImpl(BoundaryStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status BoundaryServiceImpl::CreateBoundaryLine(grpc::ServerContext* context,
                                                     const v1::CreateBoundaryLineRequest* request,
                                                     v1::CreateBoundaryLineResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateBoundaryLine"));
    CIVIL_ASSIGN_OR_RETURN(
        const LineDraft draft,
        ValidateLine(request->township_code(), request->neighbour(), request->name()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "township_code", draft.township.value()));
    CIVIL_ASSIGN_OR_RETURN(const LineRecord line, store_->CreateLine(draft, caller.subject));
    ToProto(line, response->mutable_line());
    return absl::OkStatus();
  });
}

grpc::Status BoundaryServiceImpl::ListBoundaryLines(grpc::ServerContext* context,
                                                    const v1::ListBoundaryLinesRequest* request,
                                                    v1::ListBoundaryLinesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListBoundaryLines"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<LineRecord> lines, store_->Lines(prefix));
    for (const LineRecord& l : lines) ToProto(l, response->add_lines());
    return absl::OkStatus();
  });
}

grpc::Status BoundaryServiceImpl::GetBoundaryLine(grpc::ServerContext* context,
                                                  const v1::GetBoundaryLineRequest* request,
                                                  v1::GetBoundaryLineResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetBoundaryLine"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("line_id", request->line_id()));
    CIVIL_ASSIGN_OR_RETURN(const BoundaryStore::LineDetail d, store_->Get(request->line_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "line_id", d.line.township_code));
    ToProto(d.line, response->mutable_line());
    for (const MarkerRecord& m : d.markers) ToProto(m, response->add_markers());
    for (const InspectionRecord& i : d.inspections) ToProto(i, response->add_inspections());
    return absl::OkStatus();
  });
}

grpc::Status BoundaryServiceImpl::AddBoundaryMarker(grpc::ServerContext* context,
                                                    const v1::AddBoundaryMarkerRequest* request,
                                                    v1::AddBoundaryMarkerResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "AddBoundaryMarker"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("line_id", request->line_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const MarkerDraft marker,
        ValidateMarker(request->code(), request->latitude(), request->longitude(),
                       static_cast<int>(request->kind()), static_cast<int>(request->status()),
                       request->placed_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const MarkerRecord added,
        store_->AddMarker(request->line_id(), marker, caller.subject, RegionCheck(caller)));
    ToProto(added, response->mutable_marker());
    return absl::OkStatus();
  });
}

grpc::Status BoundaryServiceImpl::InstallNoticeBoard(grpc::ServerContext* context,
                                                     const v1::InstallNoticeBoardRequest* request,
                                                     v1::InstallNoticeBoardResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "InstallNoticeBoard"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("marker_id", request->marker_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("installed_date", request->installed_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const MarkerRecord marker,
                           store_->InstallBoard(request->marker_id(), on, RegionCheck(caller)));
    ToProto(marker, response->mutable_marker());
    return absl::OkStatus();
  });
}

grpc::Status BoundaryServiceImpl::RecordJointInspection(
    grpc::ServerContext* context, const v1::RecordJointInspectionRequest* request,
    v1::RecordJointInspectionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordJointInspection"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("line_id", request->line_id()));
    CIVIL_ASSIGN_OR_RETURN(const InspectionDraft inspection,
                           ValidateInspection(request->year(), request->completed_date(),
                                              request->archive_ref(), request->note(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const InspectionRecord recorded,
                           store_->RecordInspection(request->line_id(), inspection, caller.subject,
                                                    RegionCheck(caller)));
    ToProto(recorded, response->mutable_inspection());
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
