#include "services/assistance/relief_service.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/household.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {
namespace {

constexpr char kPkg[] = "civil.assistance.v1.";
constexpr int kMaxNote = 4000;
constexpr int64_t kMaxAmountFen = int64_t{100000000};  // 1,000,000 yuan: a typo, not a case

absl::StatusOr<Caller> Authorized(grpc::ServerContext* context, absl::string_view service,
                                  absl::string_view method) {
  return Authorize(*context, absl::StrCat(kPkg, service, ".", method));
}

absl::StatusOr<Money> PositiveAmount(int64_t fen, absl::string_view field) {
  if (fen <= 0) return InvalidField(field, "must be greater than zero");
  if (fen > kMaxAmountFen) return InvalidField(field, "is implausibly large");
  return Money::Fen(fen);
}

// Page size and position of a list request.
struct PageArgs {
  int size = 0;
  int64_t after = 0;
};

absl::StatusOr<PageArgs> PageOf(absl::string_view kind, int page_size,
                                const std::string& page_token) {
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> after = DecodePageToken(kind, page_token);
  if (!after.ok()) return after.status();
  return PageArgs{*size, *after};
}

template <typename T>
grpc::Status Fail(const absl::StatusOr<T>& s) {
  return ToGrpcStatus(s.status());
}

grpc::Status Fail(const absl::Status& s) { return ToGrpcStatus(s); }

// Copies a page into a response's repeated field and token.
template <typename T, typename Field>
void Emit(ResultPage<T>& page, absl::string_view kind, Field* items, std::string* token) {
  for (auto& item : page.items) *items->Add() = std::move(item);
  if (page.next > 0) *token = EncodePageToken(kind, page.next);
}

}  // namespace

// ----- TemporaryReliefService ----------------------------------------------------------------

grpc::Status TemporaryReliefServiceImpl::CreateReliefCase(
    grpc::ServerContext* context, const v1::CreateReliefCaseRequest* request,
    v1::CreateReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "TemporaryReliefService", "CreateReliefCase");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("household_id", request->household_id()); !s.ok())
    return Fail(s);
  if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) return Fail(s);
  if (absl::Status s =
          BoundedText("reason", request->reason(), 1000, true, TextLines::kMany).status();
      !s.ok())
    return Fail(s);
  absl::StatusOr<Money> amount = PositiveAmount(request->amount_fen(), "amount_fen");
  if (!amount.ok()) return Fail(amount);
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("happened_on", request->happened_on(), today);
  if (!on.ok()) return Fail(on);
  ReliefCaseDraft draft{
      request->household_id(), request->member_id(), request->reason(), *amount, *on,
      request->emergency()};
  auto created = store_->Create(*caller, draft, today);
  if (!created.ok()) return Fail(created);
  *response->mutable_relief_case() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::GetReliefCase(grpc::ServerContext* context,
                                                       const v1::GetReliefCaseRequest* request,
                                                       v1::GetReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "TemporaryReliefService", "GetReliefCase");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("case_id", request->case_id()); !s.ok()) return Fail(s);
  auto found = store_->Get(*caller, request->case_id());
  if (!found.ok()) return Fail(found);
  *response->mutable_relief_case() = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::ListReliefCases(grpc::ServerContext* context,
                                                         const v1::ListReliefCasesRequest* request,
                                                         v1::ListReliefCasesResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "TemporaryReliefService", "ListReliefCases");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  std::string status_name;
  if (request->status() != 0) {
    if (request->status() < 1 || request->status() > 5) {
      return Fail(InvalidField("status", "unknown status"));
    }
    status_name = std::string(ReliefStatusName(static_cast<ReliefStatus>(request->status())));
  }
  absl::StatusOr<PageArgs> page =
      PageOf("relief-cases", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->List(*prefix, status_name, page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "relief-cases", response->mutable_relief_cases(),
       response->mutable_next_page_token());
  return grpc::Status::OK;
}

namespace {

absl::StatusOr<ReliefStep> ReliefStepFrom(const std::string& case_id, ReliefAction action,
                                          const std::string& date, absl::string_view date_field,
                                          const std::string& note, absl::string_view note_field,
                                          absl::CivilDay today) {
  if (absl::Status s = RequireUuid("case_id", case_id); !s.ok()) return s;
  absl::StatusOr<absl::CivilDay> on = EventDate(date_field, date, today);
  if (!on.ok()) return on.status();
  if (absl::Status s = BoundedText(note_field, note, kMaxNote, false, TextLines::kMany).status();
      !s.ok())
    return s;
  ReliefStep step;
  step.case_id = case_id;
  step.action = action;
  step.happened_on = *on;
  step.date_field = std::string(date_field);
  step.note = note;
  return step;
}

}  // namespace

grpc::Status TemporaryReliefServiceImpl::ApproveReliefCase(
    grpc::ServerContext* context, const v1::ApproveReliefCaseRequest* request,
    v1::ApproveReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorized(context, "TemporaryReliefService", "ApproveReliefCase");
  if (!caller.ok()) return Fail(caller);
  auto step = ReliefStepFrom(request->case_id(), ReliefAction::kApprove, request->decided_on(),
                             "decided_on", request->note(), "note", clock_());
  if (!step.ok()) return Fail(step);
  auto decided = store_->Step(*caller, *step, clock_());
  if (!decided.ok()) return Fail(decided);
  *response->mutable_relief_case() = *std::move(decided);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::RejectReliefCase(
    grpc::ServerContext* context, const v1::RejectReliefCaseRequest* request,
    v1::RejectReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "TemporaryReliefService", "RejectReliefCase");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequiredText("reason", request->reason(), kMaxNote,
                                    "a rejection needs a written reason", TextLines::kMany)
                           .status();
      !s.ok()) {
    return Fail(s);
  }
  auto step = ReliefStepFrom(request->case_id(), ReliefAction::kReject, request->decided_on(),
                             "decided_on", request->reason(), "reason", clock_());
  if (!step.ok()) return Fail(step);
  auto decided = store_->Step(*caller, *step, clock_());
  if (!decided.ok()) return Fail(decided);
  *response->mutable_relief_case() = *std::move(decided);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::PayReliefCase(grpc::ServerContext* context,
                                                       const v1::PayReliefCaseRequest* request,
                                                       v1::PayReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "TemporaryReliefService", "PayReliefCase");
  if (!caller.ok()) return Fail(caller);
  if (request->amount_fen() < 0) {
    return Fail(InvalidField("amount_fen", "must not be negative"));
  }
  auto step = ReliefStepFrom(request->case_id(), ReliefAction::kPay, request->paid_on(), "paid_on",
                             "", "note", clock_());
  if (!step.ok()) return Fail(step);
  step->amount = Money::Fen(request->amount_fen());
  auto paid = store_->Step(*caller, *step, clock_());
  if (!paid.ok()) return Fail(paid);
  *response->mutable_relief_case() = *std::move(paid);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::ListOverdueReliefCases(
    grpc::ServerContext* context, const v1::ListOverdueReliefCasesRequest* request,
    v1::ListOverdueReliefCasesResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorized(context, "TemporaryReliefService", "ListOverdueReliefCases");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), clock_());
  if (!as_of.ok()) return Fail(as_of);
  absl::StatusOr<PageArgs> page =
      PageOf("overdue-relief-cases", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->ListOverdue(*prefix, *as_of, page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "overdue-relief-cases", response->mutable_relief_cases(),
       response->mutable_next_page_token());
  return grpc::Status::OK;
}

// ----- MutualAidService ----------------------------------------------------------------------

grpc::Status MutualAidServiceImpl::RegisterSociety(grpc::ServerContext* context,
                                                   const v1::RegisterSocietyRequest* request,
                                                   v1::RegisterSocietyResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "MutualAidService", "RegisterSociety");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<RegionCode> region = RegionCode::Parse(request->region_code());
  if (!region.ok() || region->level() != RegionCode::Level::kVillage) {
    return Fail(InvalidField("region_code", "must be a 12-digit village/community code"));
  }
  if (absl::Status s = CheckRegion(*caller, "region_code", region->value()); !s.ok()) {
    return Fail(s);
  }
  if (absl::Status s = BoundedText("name", request->name(), 200).status(); !s.ok()) return Fail(s);
  absl::StatusOr<absl::CivilDay> on =
      EventDate("registered_on", request->registered_on(), clock_());
  if (!on.ok()) return Fail(on);
  auto society = store_->Register(*caller, region->value(), request->name(), *on);
  if (!society.ok()) return Fail(society);
  *response->mutable_society() = *std::move(society);
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::ListSocieties(grpc::ServerContext* context,
                                                 const v1::ListSocietiesRequest* request,
                                                 v1::ListSocietiesResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "MutualAidService", "ListSocieties");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<PageArgs> page = PageOf("societies", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->ListSocieties(*prefix, page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "societies", response->mutable_societies(), response->mutable_next_page_token());
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::RecordMutualAidCase(
    grpc::ServerContext* context, const v1::RecordMutualAidCaseRequest* request,
    v1::RecordMutualAidCaseResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "MutualAidService", "RecordMutualAidCase");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("society_id", request->society_id()); !s.ok()) return Fail(s);
  if (absl::Status s = RequireUuid("household_id", request->household_id()); !s.ok())
    return Fail(s);
  if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) return Fail(s);
  absl::StatusOr<Money> amount = PositiveAmount(request->amount_fen(), "amount_fen");
  if (!amount.ok()) return Fail(amount);
  if (absl::Status s =
          BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status();
      !s.ok())
    return Fail(s);
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("helped_on", request->helped_on(), today);
  if (!on.ok()) return Fail(on);
  MutualAidCaseDraft draft{
      request->society_id(), request->household_id(), request->member_id(), *amount, *on,
      request->note()};
  auto recorded = store_->RecordCase(*caller, draft, today);
  if (!recorded.ok()) return Fail(recorded);
  *response->mutable_mutual_aid_case() = *std::move(recorded);
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::ListMutualAidCases(grpc::ServerContext* context,
                                                      const v1::ListMutualAidCasesRequest* request,
                                                      v1::ListMutualAidCasesResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "MutualAidService", "ListMutualAidCases");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  if (!request->society_id().empty()) {
    if (absl::Status s = RequireUuid("society_id", request->society_id()); !s.ok()) return Fail(s);
  }
  absl::StatusOr<PageArgs> page =
      PageOf("mutual-aid-cases", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->ListCases(*prefix, request->society_id(), page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "mutual-aid-cases", response->mutable_mutual_aid_cases(),
       response->mutable_next_page_token());
  return grpc::Status::OK;
}

grpc::Status MutualAidServiceImpl::GetMutualAidCoverage(
    grpc::ServerContext* context, const v1::GetMutualAidCoverageRequest* request,
    v1::GetMutualAidCoverageResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "MutualAidService", "GetMutualAidCoverage");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), clock_());
  if (!as_of.ok()) return Fail(as_of);
  if (request->villages_known() < 0) {
    return Fail(InvalidField("villages_known", "must not be negative"));
  }
  auto coverage = store_->Coverage(*prefix, *as_of, request->villages_known());
  if (!coverage.ok()) return Fail(coverage);
  *response = *std::move(coverage);
  return grpc::Status::OK;
}

// ----- OutreachService -----------------------------------------------------------------------

grpc::Status OutreachServiceImpl::RecordVisit(grpc::ServerContext* context,
                                              const v1::RecordVisitRequest* request,
                                              v1::RecordVisitResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "OutreachService", "RecordVisit");
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
  auto visit = store_->RecordVisit(*caller, draft, today);
  if (!visit.ok()) return Fail(visit);
  *response->mutable_visit() = *std::move(visit);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::ListVisits(grpc::ServerContext* context,
                                             const v1::ListVisitsRequest* request,
                                             v1::ListVisitsResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "OutreachService", "ListVisits");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<PageArgs> page = PageOf("visits", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->ListVisits(*prefix, page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "visits", response->mutable_visits(), response->mutable_next_page_token());
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::ResolveDemand(grpc::ServerContext* context,
                                                const v1::ResolveDemandRequest* request,
                                                v1::ResolveDemandResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "OutreachService", "ResolveDemand");
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
  auto demand = store_->ResolveDemand(*caller, request->demand_id(), *on, request->resolution());
  if (!demand.ok()) return Fail(demand);
  *response->mutable_demand() = *std::move(demand);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::CreateHealthCheckBatch(
    grpc::ServerContext* context, const v1::CreateHealthCheckBatchRequest* request,
    v1::CreateHealthCheckBatchResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "OutreachService", "CreateHealthCheckBatch");
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
  auto created = store_->CreateBatch(*caller, batch);
  if (!created.ok()) return Fail(created);
  *response->mutable_batch() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::RecordHealthCheck(grpc::ServerContext* context,
                                                    const v1::RecordHealthCheckRequest* request,
                                                    v1::RecordHealthCheckResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "OutreachService", "RecordHealthCheck");
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
  auto check = store_->RecordHealthCheck(*caller, draft);
  if (!check.ok()) return Fail(check);
  *response->mutable_health_check() = *std::move(check);
  return grpc::Status::OK;
}

grpc::Status OutreachServiceImpl::ListHealthChecks(grpc::ServerContext* context,
                                                   const v1::ListHealthChecksRequest* request,
                                                   v1::ListHealthChecksResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "OutreachService", "ListHealthChecks");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("batch_id", request->batch_id()); !s.ok()) return Fail(s);
  // The caller sees the checks of persons in their own scope.
  absl::StatusOr<std::string> scope = ScopedPrefix(*caller, "");
  if (!scope.ok()) return Fail(scope);
  absl::StatusOr<PageArgs> page =
      PageOf("health-checks", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->ListHealthChecks(request->batch_id(), *scope, page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "health-checks", response->mutable_health_checks(),
       response->mutable_next_page_token());
  return grpc::Status::OK;
}

// ----- AuditService --------------------------------------------------------------------------

grpc::Status AuditServiceImpl::RunAudit(grpc::ServerContext* context,
                                        const v1::RunAuditRequest* request,
                                        v1::RunAuditResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "AuditService", "RunAudit");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), clock_());
  if (!as_of.ok()) return Fail(as_of);
  auto run = store_->Run(*caller, *prefix, *as_of);
  if (!run.ok()) return Fail(run);
  *response = *std::move(run);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListFindings(grpc::ServerContext* context,
                                            const v1::ListFindingsRequest* request,
                                            v1::ListFindingsResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "AuditService", "ListFindings");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  std::string status_name, kind_name;
  if (request->status() != 0) {
    if (request->status() < 1 || request->status() > 3) {
      return Fail(InvalidField("status", "unknown status"));
    }
    status_name = std::string(FindingStatusName(static_cast<FindingStatus>(request->status())));
  }
  if (request->kind() != 0) {
    if (request->kind() < 1 || request->kind() > 6) {
      return Fail(InvalidField("kind", "unknown finding kind"));
    }
    kind_name = std::string(FindingKindName(static_cast<FindingKind>(request->kind())));
  }
  absl::StatusOr<PageArgs> page = PageOf("findings", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->List(*prefix, status_name, kind_name, page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "findings", response->mutable_findings(), response->mutable_next_page_token());
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ConfirmFinding(grpc::ServerContext* context,
                                              const v1::ConfirmFindingRequest* request,
                                              v1::ConfirmFindingResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "AuditService", "ConfirmFinding");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("finding_id", request->finding_id()); !s.ok()) return Fail(s);
  if (absl::Status s =
          BoundedText("note", request->note(), kMaxNote, false, TextLines::kMany).status();
      !s.ok())
    return Fail(s);
  absl::StatusOr<absl::CivilDay> on = EventDate("decided_on", request->decided_on(), clock_());
  if (!on.ok()) return Fail(on);
  auto finding = store_->Decide(*caller, request->finding_id(), FindingStatus::kConfirmed,
                                request->note(), *on);
  if (!finding.ok()) return Fail(finding);
  *response->mutable_finding() = *std::move(finding);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::DismissFinding(grpc::ServerContext* context,
                                              const v1::DismissFindingRequest* request,
                                              v1::DismissFindingResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "AuditService", "DismissFinding");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("finding_id", request->finding_id()); !s.ok()) return Fail(s);
  if (absl::Status s = RequiredText("reason", request->reason(), kMaxNote,
                                    "a dismissal needs a written reason", TextLines::kMany)
                           .status();
      !s.ok()) {
    return Fail(s);
  }
  absl::StatusOr<absl::CivilDay> on = EventDate("decided_on", request->decided_on(), clock_());
  if (!on.ok()) return Fail(on);
  auto finding = store_->Decide(*caller, request->finding_id(), FindingStatus::kDismissed,
                                request->reason(), *on);
  if (!finding.ok()) return Fail(finding);
  *response->mutable_finding() = *std::move(finding);
  return grpc::Status::OK;
}

// ----- ReviewService -------------------------------------------------------------------------

grpc::Status ReviewServiceImpl::ListReviewsDue(grpc::ServerContext* context,
                                               const v1::ListReviewsDueRequest* request,
                                               v1::ListReviewsDueResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ReviewService", "ListReviewsDue");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  // A worklist may look ahead: any date, default "due today or earlier".
  absl::CivilDay due_before = clock_() + 1;
  if (!request->due_before().empty()) {
    absl::StatusOr<absl::CivilDay> d = ParseDay(request->due_before());
    if (!d.ok()) return Fail(InvalidField("due_before", d.status().message()));
    due_before = *d;
  }
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  absl::StatusOr<PageArgs> page =
      PageOf("reviews-due", request->page_size(), request->page_token());
  if (!page.ok()) return Fail(page);
  auto list = store_->ListDue(*prefix, due_before, request->programme(), page->after, page->size);
  if (!list.ok()) return Fail(list);
  Emit(*list, "reviews-due", response->mutable_enrolments(), response->mutable_next_page_token());
  return grpc::Status::OK;
}

grpc::Status ReviewServiceImpl::RecordReview(grpc::ServerContext* context,
                                             const v1::RecordReviewRequest* request,
                                             v1::RecordReviewResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ReviewService", "RecordReview");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("enrolment_id", request->enrolment_id()); !s.ok()) {
    return Fail(s);
  }
  if (request->outcome() < 1 || request->outcome() > 4) {
    return Fail(InvalidField("outcome", "must be given"));
  }
  ReviewDraft draft;
  draft.enrolment_id = request->enrolment_id();
  draft.outcome = static_cast<ReviewOutcome>(request->outcome());
  const bool changes_amount =
      draft.outcome == ReviewOutcome::kIncrease || draft.outcome == ReviewOutcome::kDecrease;
  if (changes_amount) {
    if (request->new_monthly_amount_fen() < 0) {
      return Fail(InvalidField("new_monthly_amount_fen", "must not be negative"));
    }
    if (request->new_monthly_amount_fen() > kMaxAmountFen) {
      return Fail(InvalidField("new_monthly_amount_fen", "is implausibly large"));
    }
    draft.new_amount = Money::Fen(request->new_monthly_amount_fen());
  } else if (request->new_monthly_amount_fen() != 0) {
    return Fail(InvalidField("new_monthly_amount_fen", "only for an increase or a decrease"));
  }
  if (draft.outcome == ReviewOutcome::kStop) {
    if (request->exit_reason() < 1 || request->exit_reason() > 5) {
      return Fail(InvalidField("exit_reason", "a stop needs the exit reason"));
    }
    draft.exit_reason = static_cast<ExitReason>(request->exit_reason());
    if (request->phase_out() && draft.exit_reason != ExitReason::kIneligibleIncome) {
      return Fail(InvalidField("phase_out", "only for EXIT_REASON_INELIGIBLE_INCOME (渐退)"));
    }
    draft.phase_out = request->phase_out();
  } else if (request->exit_reason() != 0 || request->phase_out()) {
    return Fail(InvalidField(request->exit_reason() != 0 ? "exit_reason" : "phase_out",
                             "only for REVIEW_OUTCOME_STOP"));
  }
  if (draft.outcome == ReviewOutcome::kStop || draft.outcome == ReviewOutcome::kDecrease) {
    if (absl::Status s =
            RequiredText("reason", request->reason(), kMaxNote,
                         "a decrease or a stop needs a written reason", TextLines::kMany)
                .status();
        !s.ok()) {
      return Fail(s);
    }
  } else if (absl::Status s =
                 BoundedText("reason", request->reason(), kMaxNote, false, TextLines::kMany)
                     .status();
             !s.ok()) {
    return Fail(s);
  }
  draft.reason = request->reason();
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("decided_on", request->decided_on(), today);
  if (!on.ok()) return Fail(on);
  draft.decided_on = *on;
  auto recorded = store_->Record(*caller, draft, today);
  if (!recorded.ok()) return Fail(recorded);
  *response->mutable_review() = std::move(recorded->first);
  *response->mutable_enrolment() = std::move(recorded->second);
  return grpc::Status::OK;
}

// ----- BankFileService -----------------------------------------------------------------------

grpc::Status BankFileServiceImpl::ExportBankFile(grpc::ServerContext* context,
                                                 const v1::ExportBankFileRequest* request,
                                                 v1::ExportBankFileResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "BankFileService", "ExportBankFile");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("batch_id", request->batch_id()); !s.ok()) return Fail(s);
  if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
    return Fail(InvalidField("region_prefix", s.message()));
  }
  auto file = store_->Export(*caller, request->batch_id(), request->region_prefix());
  if (!file.ok()) return Fail(file);
  *response = *std::move(file);
  return grpc::Status::OK;
}

// ----- summary lines -------------------------------------------------------------------------

std::vector<std::string> ReliefSummaryLines(const v1::ReliefFigures& f) {
  auto wan = [](int64_t fen) { return ReportWanYuan(Money::Fen(fen)); };
  std::vector<std::string> lines;
  if (f.relief_cases() > 0) {
    lines.push_back(
        absl::StrCat("临时救助", f.relief_cases(), "人次,发放资金", wan(f.relief_paid_fen())));
  }
  if (f.societies_registered() > 0 || f.mutual_aid_cases() > 0) {
    lines.push_back(absl::StrCat("已完成", f.societies_registered(),
                                 "家村(社区)互助社登记设立,开展救助", f.mutual_aid_cases(),
                                 "人次,发放救助金", wan(f.mutual_aid_paid_fen())));
  }
  if (f.audits_run() > 0) {
    int64_t by_category[4] = {0, 0, 0, 0};
    for (const auto& k : f.confirmed_findings()) {
      by_category[static_cast<int>(CategoryOf(static_cast<FindingKind>(k.kind())))] +=
          k.confirmed();
    }
    const int64_t eligible = by_category[static_cast<int>(FindingCategory::kEligibleNotEnrolled)];
    const int64_t duplicate = by_category[static_cast<int>(FindingCategory::kDuplicate)];
    const int64_t improper = by_category[static_cast<int>(FindingCategory::kImproper)];
    if (eligible + duplicate + improper == 0) {
      lines.push_back("排查未发现“应享未享”“重复享受”“违规享受”等问题");
    } else {
      lines.push_back(absl::StrCat("排查发现“应享未享”问题", eligible, "个,“重复享受”问题",
                                   duplicate, "个,“违规享受”问题", improper, "个"));
    }
  }
  if (f.persons_surveyed() > 0 || f.demands_resolved() > 0) {
    lines.push_back(absl::StrCat("摸排人数(包含对低保对象、特困人员的摸排数)", f.persons_surveyed(),
                                 "人,解决困难对象的有效诉求数", f.demands_resolved(), "次"));
  }
  for (const auto& b : f.health_check_batches()) {
    lines.push_back(absl::StrCat("完成", b.name(), b.persons(), "名分散供养特困人员", b.service(),
                                 ",并建立健康管理档案"));
  }
  return lines;
}

}  // namespace civil::assistance
