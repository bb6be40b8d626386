#include "services/assistance/outreach_service.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/household.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

grpc::Status OutreachServiceImpl::RecordVisit(grpc::ServerContext* context,
                                              const v1::RecordVisitRequest* request,
                                              v1::RecordVisitResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::OutreachService::service_full_name(), "RecordVisit");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("household_id", request->household_id()); !s.ok())
    return Fail(s);
  if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) return Fail(s);
  if (absl::Status s =
          BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status();
      !s.ok())
    return Fail(s);
  if (request->demands_size() > 50) return Fail(InvalidField("demands", "at most 50"));
  VisitDraft draft;
  for (int i = 0; i < request->demands_size(); ++i) {
    if (absl::Status s = RequiredText(absl::StrCat("demands[", i, "]"), request->demands(i), 1000,
                                      "must not be empty")
                             .status();
        !s.ok()) {
      return Fail(s);
    }
    draft.demands.push_back(request->demands(i));
  }
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("visited_on", request->visited_on(), today);
  if (!on.ok()) return Fail(on);
  draft.household_id = request->household_id();
  draft.member_id = request->member_id();
  draft.visited_on = *on;
  draft.note = request->note();
  auto visit = store_->RecordVisit(ActorOf(*caller), draft, today);
  if (!visit.ok()) return Fail(visit);
  *response->mutable_visit() = *std::move(visit);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::ListVisits(grpc::ServerContext* context,
                                             const v1::ListVisitsRequest* request,
                                             v1::ListVisitsResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::OutreachService::service_full_name(), "ListVisits");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("visits", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->ListVisits(*prefix, *after, *size);
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_visits() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("visits", list->next_after));
  }
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::ResolveDemand(grpc::ServerContext* context,
                                                const v1::ResolveDemandRequest* request,
                                                v1::ResolveDemandResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::OutreachService::service_full_name(), "ResolveDemand");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("demand_id", request->demand_id()); !s.ok()) return Fail(s);
  if (absl::Status s = RequiredText("resolution", request->resolution(), kMaxNote,
                                    "describe how it was resolved", TextLines::kMany)
                           .status();
      !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<absl::CivilDay> on = EventDate("resolved_on", request->resolved_on(), clock_());
  if (!on.ok()) return Fail(on);
  auto demand =
      store_->ResolveDemand(ActorOf(*caller), request->demand_id(), *on, request->resolution());
  if (!demand.ok()) return Fail(demand);
  *response->mutable_demand() = *std::move(demand);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::CreateHealthCheckBatch(
    grpc::ServerContext* context, const v1::CreateHealthCheckBatchRequest* request,
    v1::CreateHealthCheckBatchResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::OutreachService::service_full_name(), "CreateHealthCheckBatch");
  if (!caller.ok()) return Fail(caller);
  if (request->region_prefix().empty()) {
    return Fail(InvalidField("region_prefix", "is required"));
  }
  if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
    return Fail(InvalidField("region_prefix", s.message()));
  }
  if (absl::Status s = CheckRegion(*caller, "region_prefix", request->region_prefix()); !s.ok()) {
    return Fail(s);
  }
  if (absl::Status s = BoundedText("provider", request->provider(), 200).status(); !s.ok())
    return Fail(s);
  if (absl::Status s = BoundedText("name", request->name(), 200).status(); !s.ok()) return Fail(s);
  if (absl::Status s = BoundedText("service", request->service(), 200, false).status(); !s.ok())
    return Fail(s);
  absl::StatusOr<absl::CivilDay> on = EventDate("started_on", request->started_on(), clock_());
  if (!on.ok()) return Fail(on);
  v1::HealthCheckBatch batch;
  batch.set_region_prefix(request->region_prefix());
  batch.set_provider(request->provider());
  batch.set_name(request->name());
  batch.set_service(request->service().empty() ? "健康管理服务" : request->service());
  batch.set_started_on(FormatDay(*on));
  auto created = store_->CreateBatch(ActorOf(*caller), batch);
  if (!created.ok()) return Fail(created);
  *response->mutable_batch() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::RecordHealthCheck(grpc::ServerContext* context,
                                                    const v1::RecordHealthCheckRequest* request,
                                                    v1::RecordHealthCheckResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::OutreachService::service_full_name(), "RecordHealthCheck");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("batch_id", request->batch_id()); !s.ok()) return Fail(s);
  if (absl::Status s = RequireUuid("household_id", request->household_id()); !s.ok())
    return Fail(s);
  if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) return Fail(s);
  if (absl::Status s =
          BoundedText("health_record", request->health_record(), 20000, true, TextLines::kMany)
              .status();
      !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<absl::CivilDay> on = EventDate("checked_on", request->checked_on(), clock_());
  if (!on.ok()) return Fail(on);
  HealthCheckDraft draft{request->batch_id(), request->household_id(), request->member_id(), *on,
                         request->health_record()};
  auto check = store_->RecordHealthCheck(ActorOf(*caller), draft);
  if (!check.ok()) return Fail(check);
  *response->mutable_health_check() = *std::move(check);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::ListHealthChecks(grpc::ServerContext* context,
                                                   const v1::ListHealthChecksRequest* request,
                                                   v1::ListHealthChecksResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::OutreachService::service_full_name(), "ListHealthChecks");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("batch_id", request->batch_id()); !s.ok()) return Fail(s);
  // The caller sees the checks of persons in their own scope.
  absl::StatusOr<std::string> scope = ScopedPrefix(*caller, "");
  if (!scope.ok()) return Fail(scope);
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("health-checks", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->ListHealthChecks(request->batch_id(), *scope, *after, *size);
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_health_checks() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("health-checks", list->next_after));
  }
  return grpc::Status::OK;
}

}  // namespace civil::assistance
