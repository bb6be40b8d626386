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

constexpr absl::string_view kService = "civil.assistance.v1.OutreachService";

grpc::Status OutreachServiceImpl::RecordVisit(grpc::ServerContext* context,
                                              const v1::RecordVisitRequest* request,
                                              v1::RecordVisitResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RecordVisit"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("household_id", request->household_id()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("member_id", request->member_id()));
    CIVIL_RETURN_IF_ERROR(
        BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status());
    if (request->demands_size() > 50) return InvalidField("demands", "at most 50");
    VisitDraft draft;
    for (int i = 0; i < request->demands_size(); ++i) {
      CIVIL_RETURN_IF_ERROR(RequiredText(absl::StrCat("demands[", i, "]"), request->demands(i),
                                         1000, "must not be empty")
                                .status());
      draft.demands.push_back(request->demands(i));
    }
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("visited_on", request->visited_on(), today));
    draft.household_id = request->household_id();
    draft.member_id = request->member_id();
    draft.visited_on = on;
    draft.note = request->note();
    CIVIL_ASSIGN_OR_RETURN(auto visit, store_->RecordVisit(ActorOf(caller), draft, today));
    *response->mutable_visit() = std::move(visit);
    return absl::OkStatus();
  });
}

grpc::Status OutreachServiceImpl::ListVisits(grpc::ServerContext* context,
                                             const v1::ListVisitsRequest* request,
                                             v1::ListVisitsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListVisits"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("visits", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->ListVisits(prefix, after, size));
    for (auto& item : list.items) *response->add_visits() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("visits", list.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status OutreachServiceImpl::ResolveDemand(grpc::ServerContext* context,
                                                const v1::ResolveDemandRequest* request,
                                                v1::ResolveDemandResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ResolveDemand"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("demand_id", request->demand_id()));
    CIVIL_RETURN_IF_ERROR(RequiredText("resolution", request->resolution(), kMaxNote,
                                       "describe how it was resolved", TextLines::kMany)
                              .status());
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("resolved_on", request->resolved_on(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(auto demand, store_->ResolveDemand(ActorOf(caller), request->demand_id(),
                                                              on, request->resolution()));
    *response->mutable_demand() = std::move(demand);
    return absl::OkStatus();
  });
}

grpc::Status OutreachServiceImpl::CreateHealthCheckBatch(
    grpc::ServerContext* context, const v1::CreateHealthCheckBatchRequest* request,
    v1::CreateHealthCheckBatchResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateHealthCheckBatch"));
    if (request->region_prefix().empty()) {
      return InvalidField("region_prefix", "is required");
    }
    if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
      return InvalidField("region_prefix", s.message());
    }
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_prefix", request->region_prefix()));
    CIVIL_RETURN_IF_ERROR(BoundedText("provider", request->provider(), 200).status());
    CIVIL_RETURN_IF_ERROR(BoundedText("name", request->name(), 200).status());
    CIVIL_RETURN_IF_ERROR(BoundedText("service", request->service(), 200, false).status());
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("started_on", request->started_on(), clock_()));
    v1::HealthCheckBatch batch;
    batch.set_region_prefix(request->region_prefix());
    batch.set_provider(request->provider());
    batch.set_name(request->name());
    batch.set_service(request->service().empty() ? "健康管理服务" : request->service());
    batch.set_started_on(FormatDay(on));
    CIVIL_ASSIGN_OR_RETURN(auto created, store_->CreateBatch(ActorOf(caller), batch));
    *response->mutable_batch() = std::move(created);
    return absl::OkStatus();
  });
}

grpc::Status OutreachServiceImpl::RecordHealthCheck(grpc::ServerContext* context,
                                                    const v1::RecordHealthCheckRequest* request,
                                                    v1::RecordHealthCheckResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordHealthCheck"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("batch_id", request->batch_id()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("household_id", request->household_id()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("member_id", request->member_id()));
    CIVIL_RETURN_IF_ERROR(
        BoundedText("health_record", request->health_record(), 20000, true, TextLines::kMany)
            .status());
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("checked_on", request->checked_on(), clock_()));
    HealthCheckDraft draft{request->batch_id(), request->household_id(), request->member_id(), on,
                           request->health_record()};
    CIVIL_ASSIGN_OR_RETURN(auto check, store_->RecordHealthCheck(ActorOf(caller), draft));
    *response->mutable_health_check() = std::move(check);
    return absl::OkStatus();
  });
}

grpc::Status OutreachServiceImpl::ListHealthChecks(grpc::ServerContext* context,
                                                   const v1::ListHealthChecksRequest* request,
                                                   v1::ListHealthChecksResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListHealthChecks"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("batch_id", request->batch_id()));
    // The caller sees the checks of persons in their own scope.
    CIVIL_ASSIGN_OR_RETURN(std::string scope, ScopedPrefix(caller, ""));
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("health-checks", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list,
                           store_->ListHealthChecks(request->batch_id(), scope, after, size));
    for (auto& item : list.items) *response->add_health_checks() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("health-checks", list.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance
