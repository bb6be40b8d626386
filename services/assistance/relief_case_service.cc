#include "services/assistance/relief_case_service.h"

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

grpc::Status TemporaryReliefServiceImpl::CreateReliefCase(
    grpc::ServerContext* context, const v1::CreateReliefCaseRequest* request,
    v1::CreateReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::TemporaryReliefService::service_full_name(), "CreateReliefCase");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("household_id", request->household_id()); !s.ok())
    return Fail(s);
  if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) return Fail(s);
  if (absl::Status s =
          BoundedText("reason", request->reason(), 1000, true, TextLines::kMany).status();
      !s.ok())
    return Fail(s);
  // Not the kit's RequireAmount: its messages differ ("must be more than 0"), and assistance
  // keeps the ones its clients know, with an upper bound against typos.
  if (request->amount_fen() <= 0) {
    return Fail(InvalidField("amount_fen", "must be greater than zero"));
  }
  if (request->amount_fen() > kMaxAmountFen) {
    return Fail(InvalidField("amount_fen", "is implausibly large"));
  }
  const Money amount = Money::Fen(request->amount_fen());
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("happened_on", request->happened_on(), today);
  if (!on.ok()) return Fail(on);
  ReliefCaseDraft draft{
      request->household_id(), request->member_id(), request->reason(), amount, *on,
      request->emergency()};
  auto created = store_->Create(ActorOf(*caller), draft, today);
  if (!created.ok()) return Fail(created);
  *response->mutable_relief_case() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::GetReliefCase(grpc::ServerContext* context,
                                                       const v1::GetReliefCaseRequest* request,
                                                       v1::GetReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::TemporaryReliefService::service_full_name(), "GetReliefCase");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("case_id", request->case_id()); !s.ok()) return Fail(s);
  auto found = store_->Get(ActorOf(*caller), request->case_id());
  if (!found.ok()) return Fail(found);
  *response->mutable_relief_case() = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::ListReliefCases(grpc::ServerContext* context,
                                                         const v1::ListReliefCasesRequest* request,
                                                         v1::ListReliefCasesResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::TemporaryReliefService::service_full_name(), "ListReliefCases");
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
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("relief-cases", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->List(*prefix, status_name, *after, *size);
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_relief_cases() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("relief-cases", list->next_after));
  }
  return grpc::Status::OK;
}

namespace {

// The level the caller decides relief cases at.
ApprovalLevel LevelOf(const Caller& caller) {
  return ApprovalLevelOf(caller.HasRole("assistance.reviewer"), caller.region_prefix);
}

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
      AuthorizeCall(*context, v1::TemporaryReliefService::service_full_name(), "ApproveReliefCase");
  if (!caller.ok()) return Fail(caller);
  auto step = ReliefStepFrom(request->case_id(), ReliefAction::kApprove, request->decided_on(),
                             "decided_on", request->note(), "note", clock_());
  if (!step.ok()) return Fail(step);
  auto decided = store_->Step(ActorOf(*caller), LevelOf(*caller), *step, clock_());
  if (!decided.ok()) return Fail(decided);
  *response->mutable_relief_case() = *std::move(decided);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::RejectReliefCase(
    grpc::ServerContext* context, const v1::RejectReliefCaseRequest* request,
    v1::RejectReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::TemporaryReliefService::service_full_name(), "RejectReliefCase");
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
  auto decided = store_->Step(ActorOf(*caller), LevelOf(*caller), *step, clock_());
  if (!decided.ok()) return Fail(decided);
  *response->mutable_relief_case() = *std::move(decided);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::PayReliefCase(grpc::ServerContext* context,
                                                       const v1::PayReliefCaseRequest* request,
                                                       v1::PayReliefCaseResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::TemporaryReliefService::service_full_name(), "PayReliefCase");
  if (!caller.ok()) return Fail(caller);
  if (request->amount_fen() < 0) {
    return Fail(InvalidField("amount_fen", "must not be negative"));
  }
  auto step = ReliefStepFrom(request->case_id(), ReliefAction::kPay, request->paid_on(), "paid_on",
                             "", "note", clock_());
  if (!step.ok()) return Fail(step);
  step->amount = Money::Fen(request->amount_fen());
  auto paid = store_->Step(ActorOf(*caller), LevelOf(*caller), *step, clock_());
  if (!paid.ok()) return Fail(paid);
  *response->mutable_relief_case() = *std::move(paid);
  return grpc::Status::OK;
}

grpc::Status TemporaryReliefServiceImpl::ListOverdueReliefCases(
    grpc::ServerContext* context, const v1::ListOverdueReliefCasesRequest* request,
    v1::ListOverdueReliefCasesResponse* response) {
  absl::StatusOr<Caller> caller = AuthorizeCall(
      *context, v1::TemporaryReliefService::service_full_name(), "ListOverdueReliefCases");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), clock_());
  if (!as_of.ok()) return Fail(as_of);
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("overdue-relief-cases", request->page_token());
  if (!after.ok()) return Fail(after);
  auto list = store_->ListOverdue(*prefix, *as_of, *after, *size);
  if (!list.ok()) return Fail(list);
  for (auto& item : list->items) *response->add_relief_cases() = std::move(item);
  if (list->next_after > 0) {
    response->set_next_page_token(EncodePageToken("overdue-relief-cases", list->next_after));
  }
  return grpc::Status::OK;
}

}  // namespace civil::assistance
