#include "services/governance/grid_service.h"

#include <utility>

#include "services/common/errors.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kService = "civil.governance.v1.GridService";

void ToProto(const WorkerRecord& w, v1::GridWorker* out) {
  out->set_worker_id(w.worker_id);
  out->set_name(w.name);
  out->set_phone(w.phone);
  out->set_start_date(FormatDay(w.start_date));
  out->set_recorded_by(w.recorded_by);
}

void ToProto(const GridRecord& g, v1::Grid* out) {
  out->set_grid_id(g.grid_id);
  out->set_grid_code(g.grid_code);
  out->set_village_code(g.village_code);
  out->set_name(g.name);
  for (const WorkerRecord& w : g.workers) ToProto(w, out->add_workers());
  out->set_created_by(g.created_by);
  *out->mutable_create_time() = TimestampOf(g.create_time_micros);
}

void ToProto(const NoticeRecord& n, v1::Notice* out) {
  out->set_kind(static_cast<v1::NoticeKind>(n.kind));
  out->set_status(n.published ? v1::NOTICE_STATUS_PUBLISHED : v1::NOTICE_STATUS_MISSING);
  if (n.published_on) out->set_publish_date(FormatDay(*n.published_on));
  if (n.first_published_on) out->set_first_publish_date(FormatDay(*n.first_published_on));
  out->set_document(n.document);
  out->set_published_by(n.published_by);
}

// `as_of` of a request: empty = today.
absl::StatusOr<absl::CivilDay> AsOf(absl::string_view text, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> day, OptionalDate("as_of", text));
  return day ? *day : today;
}

}  // namespace

GridServiceImpl::GridServiceImpl(GridStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status GridServiceImpl::CreateGrid(grpc::ServerContext* context,
                                         const v1::CreateGridRequest* request,
                                         v1::CreateGridResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CreateGrid"));
    CIVIL_ASSIGN_OR_RETURN(const GridDraft draft,
                           ValidateGrid(request->village_code(), request->name()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", draft.village.value()));
    CIVIL_ASSIGN_OR_RETURN(const GridRecord grid, store_->Create(draft, caller.subject));
    ToProto(grid, response->mutable_grid());
    return absl::OkStatus();
  });
}

grpc::Status GridServiceImpl::GetGrid(grpc::ServerContext* context,
                                      const v1::GetGridRequest* request,
                                      v1::GetGridResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetGrid"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("grid_id", request->grid_id()));
    CIVIL_ASSIGN_OR_RETURN(const GridRecord grid, store_->Get(request->grid_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "grid_id", grid.village_code));
    ToProto(grid, response->mutable_grid());
    return absl::OkStatus();
  });
}

grpc::Status GridServiceImpl::ListGrids(grpc::ServerContext* context,
                                        const v1::ListGridsRequest* request,
                                        v1::ListGridsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListGrids"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after, DecodePageToken("grids", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<GridRecord> page, store_->List(prefix, after, size));
    for (const GridRecord& g : page.items) ToProto(g, response->add_grids());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("grids", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status GridServiceImpl::AddGridWorker(grpc::ServerContext* context,
                                            const v1::AddGridWorkerRequest* request,
                                            v1::AddGridWorkerResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "AddGridWorker"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("grid_id", request->grid_id()));
    CIVIL_ASSIGN_OR_RETURN(
        const WorkerDraft worker,
        ValidateWorker(request->name(), request->phone(), request->start_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const WorkerRecord added,
        store_->AddWorker(request->grid_id(), worker, caller.subject, RegionCheck(caller)));
    ToProto(added, response->mutable_worker());
    return absl::OkStatus();
  });
}

grpc::Status GridServiceImpl::PublishNotice(grpc::ServerContext* context,
                                            const v1::PublishNoticeRequest* request,
                                            v1::PublishNoticeResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "PublishNotice"));
    CIVIL_ASSIGN_OR_RETURN(
        const NoticeDraft draft,
        ValidateNotice(request->village_code(), static_cast<int>(request->kind()),
                       request->publish_date(), request->document(), today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", draft.village.value()));
    CIVIL_ASSIGN_OR_RETURN(const NoticeRecord notice, store_->Publish(draft, caller.subject));
    ToProto(notice, response->mutable_notice());
    return absl::OkStatus();
  });
}

grpc::Status GridServiceImpl::GetCommunityNotices(grpc::ServerContext* context,
                                                  const v1::GetCommunityNoticesRequest* request,
                                                  v1::GetCommunityNoticesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetCommunityNotices"));
    CIVIL_ASSIGN_OR_RETURN(
        const RegionCode village,
        RegionOf("village_code", request->village_code(), {RegionCode::Level::kVillage}));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "village_code", village.value()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of, AsOf(request->as_of(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const CommunityNotices notices, store_->Notices(village.value(), as_of));
    response->set_village_code(notices.village_code);
    response->set_village_name(notices.village_name);
    for (const NoticeRecord& n : notices.notices) ToProto(n, response->add_notices());
    return absl::OkStatus();
  });
}

grpc::Status GridServiceImpl::ListMissingNotices(grpc::ServerContext* context,
                                                 const v1::ListMissingNoticesRequest* request,
                                                 v1::ListMissingNoticesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListMissingNotices"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay as_of, AsOf(request->as_of(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t offset,
                           DecodeOffsetToken("missing-notices", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const GridStore::Gaps gaps,
                           store_->MissingNotices(prefix, as_of, offset, size));
    for (const NoticeGap& g : gaps.gaps) {
      v1::CommunityNoticeGap* out = response->add_communities();
      out->set_village_code(g.village_code);
      out->set_village_name(g.village_name);
      for (NoticeKind k : g.missing) out->add_missing(static_cast<v1::NoticeKind>(k));
    }
    if (gaps.more) {
      response->set_next_page_token(
          EncodePageToken("missing-notices", offset + static_cast<int64_t>(gaps.gaps.size()) + 1));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::governance
