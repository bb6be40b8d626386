#include "services/eldercare/inspection_service.h"

#include <random>
#include <utility>

#include "services/common/errors.h"
#include "services/common/paging.h"

namespace civil::eldercare {
namespace {

constexpr absl::string_view kService = "civil.eldercare.v1.InspectionService";

void SetDay(const std::optional<absl::CivilDay>& day, std::string* out) {
  if (day) *out = FormatDay(*day);
}

void ToProto(const InspectorRecord& i, v1::Inspector* out) {
  out->set_inspector_id(i.inspector_id);
  out->set_name(i.name);
  out->set_organisation(i.organisation);
  out->set_region_code(i.region_code);
  out->set_add_date(FormatDay(i.added_on));
  SetDay(i.retired_on, out->mutable_retire_date());
  out->set_added_by(i.added_by);
}

void ToProto(const RectificationRecord& r, v1::Rectification* out) {
  out->set_rectification_id(r.rectification_id);
  out->set_inspection_id(r.inspection_id);
  out->set_area(static_cast<v1::InspectionArea>(r.area));
  out->set_item(r.item);
  out->set_due_date(FormatDay(r.due_on));
  SetDay(r.closed_on, out->mutable_close_date());
  out->set_close_note(r.close_note);
  out->set_facility_id(r.facility_id);
  out->set_facility_name(r.facility_name);
  out->set_region_code(r.region_code);
}

void ToProto(const DrawRecord& d, v1::Draw* out) {
  out->set_draw_id(d.draw_id);
  out->set_region_prefix(d.region_prefix);
  out->set_seed(d.seed);
  out->set_algorithm(d.algorithm);
  out->set_draw_date(FormatDay(d.drawn_on));
  out->set_drawn_by(d.drawn_by);
  for (const std::string& id : d.inspector_pool) out->add_inspector_pool(id);
  for (const std::string& id : d.institution_pool) out->add_institution_pool(id);
  for (const DrawnInspectorRecord& i : d.inspectors) {
    v1::DrawnInspector* drawn = out->add_inspectors();
    drawn->set_inspector_id(i.inspector_id);
    drawn->set_name(i.name);
    drawn->set_organisation(i.organisation);
  }
  for (const InspectionRecord& i : d.inspections) {
    v1::Inspection* inspection = out->add_inspections();
    inspection->set_inspection_id(i.inspection_id);
    inspection->set_facility_id(i.facility_id);
    inspection->set_facility_name(i.facility_name);
    inspection->set_region_code(i.region_code);
    for (const ResultRecord& r : i.results) {
      v1::InspectionResult* result = inspection->add_results();
      result->set_area(static_cast<v1::InspectionArea>(r.area));
      result->set_passed(r.passed);
      result->set_findings(r.findings);
      result->set_inspection_date(FormatDay(r.inspected_on));
      result->set_recorded_by(r.recorded_by);
      for (const RectificationRecord& item : r.rectifications) {
        ToProto(item, result->add_rectifications());
      }
    }
  }
  out->set_status(static_cast<v1::DrawStatus>(d.status));
  SetDay(d.published_on, out->mutable_publish_date());
  out->set_published_by(d.published_by);
}

// A fresh seed for a draw that asks for none: 64 bits of std::random_device, never 0.
uint64_t FreshSeed() {
  std::random_device device;
  uint64_t seed = 0;
  while (seed == 0) seed = (static_cast<uint64_t>(device()) << 32) | device();
  return seed;
}

// A draw's region is within the caller's scope when the caller may act on its prefix.
absl::Status CheckDrawRegion(const Caller& caller, const std::string& region_prefix) {
  return CheckRegion(caller, "region_prefix", region_prefix);
}

}  // namespace

InspectionServiceImpl::InspectionServiceImpl(InspectionStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status InspectionServiceImpl::AddInspector(grpc::ServerContext* context,
                                                 const v1::AddInspectorRequest* request,
                                                 v1::AddInspectorResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "AddInspector"));
    CIVIL_ASSIGN_OR_RETURN(
        const InspectorDraft draft,
        ValidateInspector(InspectorInput{request->name(), request->organisation(),
                                         request->region_code(), request->add_date()},
                          today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const InspectorRecord record,
                           store_->AddInspector(draft, caller.subject));
    ToProto(record, response->mutable_inspector());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::RetireInspector(grpc::ServerContext* context,
                                                    const v1::RetireInspectorRequest* request,
                                                    v1::RetireInspectorResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RetireInspector"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("inspector_id", request->inspector_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const InspectorRecord record,
        store_->RetireInspector(request->inspector_id(), on, RegionCheck(caller)));
    ToProto(record, response->mutable_inspector());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::ListInspectors(grpc::ServerContext* context,
                                                   const v1::ListInspectorsRequest* request,
                                                   v1::ListInspectorsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListInspectors"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<InspectorRecord> list, store_->ListInspectors(prefix));
    for (const InspectorRecord& i : list) ToProto(i, response->add_inspectors());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::DrawInspection(grpc::ServerContext* context,
                                                   const v1::DrawInspectionRequest* request,
                                                   v1::DrawInspectionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "DrawInspection"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_RETURN_IF_ERROR(ValidateDrawCounts(request->inspectors(), request->institutions()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("draw_date", request->draw_date(), today_()));
    DrawRequest draw{prefix, request->seed() != 0 ? request->seed() : FreshSeed(),
                     request->inspectors(), request->institutions(), on};
    CIVIL_ASSIGN_OR_RETURN(const DrawRecord record, store_->Draw(draw, caller.subject));
    ToProto(record, response->mutable_draw());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::GetDraw(grpc::ServerContext* context,
                                            const v1::GetDrawRequest* request,
                                            v1::GetDrawResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetDraw"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("draw_id", request->draw_id()));
    CIVIL_ASSIGN_OR_RETURN(const DrawRecord record, store_->Get(request->draw_id()));
    CIVIL_RETURN_IF_ERROR(CheckDrawRegion(caller, record.region_prefix));
    ToProto(record, response->mutable_draw());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::ListDraws(grpc::ServerContext* context,
                                              const v1::ListDrawsRequest* request,
                                              v1::ListDrawsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListDraws"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t before,
                           DecodePageToken("inspection-draws", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<DrawRecord> page, store_->ListDraws(prefix, before, size));
    for (const DrawRecord& d : page.items) ToProto(d, response->add_draws());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("inspection-draws", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::RecordResult(grpc::ServerContext* context,
                                                 const v1::RecordResultRequest* request,
                                                 v1::RecordResultResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RecordResult"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("inspection_id", request->inspection_id()));
    ResultInput input;
    input.area = request->area();
    input.passed = request->passed();
    input.findings = request->findings();
    input.inspection_date = request->inspection_date();
    for (const v1::RectificationInput& r : request->rectifications()) {
      input.rectifications.push_back({r.item(), r.due_date()});
    }
    CIVIL_ASSIGN_OR_RETURN(const ResultDraft draft, ValidateResult(input, today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const DrawRecord record,
        store_->RecordResult(request->inspection_id(), draft, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_draw());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::PublishDraw(grpc::ServerContext* context,
                                                const v1::PublishDrawRequest* request,
                                                v1::PublishDrawResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "PublishDraw"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("draw_id", request->draw_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const DrawRecord record,
        store_->Publish(request->draw_id(), on, caller.subject, [&](const std::string& prefix) {
          return CheckDrawRegion(caller, prefix);
        }));
    ToProto(record, response->mutable_draw());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::CloseRectification(grpc::ServerContext* context,
                                                       const v1::CloseRectificationRequest* request,
                                                       v1::CloseRectificationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CloseRectification"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("rectification_id", request->rectification_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string note,
                           RequiredText("note", request->note(), 2000,
                                        "closing an item says what was done", TextLines::kMany));
    CIVIL_ASSIGN_OR_RETURN(const RectificationRecord record,
                           store_->CloseRectification(request->rectification_id(), on, note,
                                                      caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_rectification());
    return absl::OkStatus();
  });
}

grpc::Status InspectionServiceImpl::ListOverdueRectifications(
    grpc::ServerContext* context, const v1::ListOverdueRectificationsRequest* request,
    v1::ListOverdueRectificationsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListOverdueRectifications"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day, EventDate("day", request->day(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t token,
                           DecodeOffsetToken("overdue-rectifications", request->page_token()));
    const int64_t offset = token > 0 ? token - 1 : 0;
    CIVIL_ASSIGN_OR_RETURN(std::vector<RectificationRecord> items,
                           store_->Overdue(prefix, day, offset, size + 1));
    const bool more = static_cast<int>(items.size()) > size;
    if (more) items.resize(size);
    for (const RectificationRecord& r : items) {
      v1::Rectification* out = response->add_rectifications();
      ToProto(r, out);
      out->set_days_overdue(static_cast<int32_t>(day - r.due_on));
    }
    if (more) {
      response->set_next_page_token(
          EncodePageToken("overdue-rectifications", offset + static_cast<int64_t>(size) + 1));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare
