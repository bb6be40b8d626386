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

constexpr absl::string_view kService = "civil.assistance.v1.TemporaryReliefService";

grpc::Status TemporaryReliefServiceImpl::CreateReliefCase(
    grpc::ServerContext* context, const v1::CreateReliefCaseRequest* request,
    v1::CreateReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateReliefCase"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("household_id", request->household_id()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("member_id", request->member_id()));
    CIVIL_RETURN_IF_ERROR(
        BoundedText("reason", request->reason(), 1000, true, TextLines::kMany).status());
    // Not the kit's RequireAmount: its messages differ ("must be more than 0"), and assistance
    // keeps the ones its clients know, with an upper bound against typos.
    if (request->amount_fen() <= 0) {
      return InvalidField("amount_fen", "must be greater than zero");
    }
    if (request->amount_fen() > kMaxAmountFen) {
      return InvalidField("amount_fen", "is implausibly large");
    }
    const Money amount = Money::Fen(request->amount_fen());
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("happened_on", request->happened_on(), today));
    ReliefCaseDraft draft{
        request->household_id(), request->member_id(), request->reason(), amount, on,
        request->emergency()};
    CIVIL_ASSIGN_OR_RETURN(auto created, store_->Create(ActorOf(caller), draft, today));
    *response->mutable_relief_case() = std::move(created);
    return absl::OkStatus();
  });
}

grpc::Status TemporaryReliefServiceImpl::GetReliefCase(grpc::ServerContext* context,
                                                       const v1::GetReliefCaseRequest* request,
                                                       v1::GetReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetReliefCase"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("case_id", request->case_id()));
    CIVIL_ASSIGN_OR_RETURN(auto found, store_->Get(ActorOf(caller), request->case_id()));
    *response->mutable_relief_case() = std::move(found);
    return absl::OkStatus();
  });
}

grpc::Status TemporaryReliefServiceImpl::ListReliefCases(grpc::ServerContext* context,
                                                         const v1::ListReliefCasesRequest* request,
                                                         v1::ListReliefCasesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListReliefCases"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    std::string status_name;
    if (request->status() != 0) {
      if (request->status() < 1 || request->status() > 5) {
        return InvalidField("status", "unknown status");
      }
      status_name = std::string(ReliefStatusName(static_cast<ReliefStatus>(request->status())));
    }
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("relief-cases", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->List(prefix, status_name, after, size));
    for (auto& item : list.items) *response->add_relief_cases() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("relief-cases", list.next_after));
    }
    return absl::OkStatus();
  });
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
  CIVIL_RETURN_IF_ERROR(RequireUuid("case_id", case_id));
  CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on, EventDate(date_field, date, today));
  CIVIL_RETURN_IF_ERROR(BoundedText(note_field, note, kMaxNote, false, TextLines::kMany).status());
  ReliefStep step;
  step.case_id = case_id;
  step.action = action;
  step.happened_on = on;
  step.date_field = std::string(date_field);
  step.note = note;
  return step;
}

}  // namespace

grpc::Status TemporaryReliefServiceImpl::ApproveReliefCase(
    grpc::ServerContext* context, const v1::ApproveReliefCaseRequest* request,
    v1::ApproveReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ApproveReliefCase"));
    CIVIL_ASSIGN_OR_RETURN(
        auto step, ReliefStepFrom(request->case_id(), ReliefAction::kApprove, request->decided_on(),
                                  "decided_on", request->note(), "note", clock_()));
    CIVIL_ASSIGN_OR_RETURN(auto decided,
                           store_->Step(ActorOf(caller), LevelOf(caller), step, clock_()));
    *response->mutable_relief_case() = std::move(decided);
    return absl::OkStatus();
  });
}

grpc::Status TemporaryReliefServiceImpl::RejectReliefCase(
    grpc::ServerContext* context, const v1::RejectReliefCaseRequest* request,
    v1::RejectReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RejectReliefCase"));
    CIVIL_RETURN_IF_ERROR(RequiredText("reason", request->reason(), kMaxNote,
                                       "a rejection needs a written reason", TextLines::kMany)
                              .status());
    CIVIL_ASSIGN_OR_RETURN(
        auto step, ReliefStepFrom(request->case_id(), ReliefAction::kReject, request->decided_on(),
                                  "decided_on", request->reason(), "reason", clock_()));
    CIVIL_ASSIGN_OR_RETURN(auto decided,
                           store_->Step(ActorOf(caller), LevelOf(caller), step, clock_()));
    *response->mutable_relief_case() = std::move(decided);
    return absl::OkStatus();
  });
}

grpc::Status TemporaryReliefServiceImpl::PayReliefCase(grpc::ServerContext* context,
                                                       const v1::PayReliefCaseRequest* request,
                                                       v1::PayReliefCaseResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "PayReliefCase"));
    if (request->amount_fen() < 0) {
      return InvalidField("amount_fen", "must not be negative");
    }
    CIVIL_ASSIGN_OR_RETURN(
        auto step, ReliefStepFrom(request->case_id(), ReliefAction::kPay, request->paid_on(),
                                  "paid_on", "", "note", clock_()));
    step.amount = Money::Fen(request->amount_fen());
    CIVIL_ASSIGN_OR_RETURN(auto paid,
                           store_->Step(ActorOf(caller), LevelOf(caller), step, clock_()));
    *response->mutable_relief_case() = std::move(paid);
    return absl::OkStatus();
  });
}

grpc::Status TemporaryReliefServiceImpl::ListOverdueReliefCases(
    grpc::ServerContext* context, const v1::ListOverdueReliefCasesRequest* request,
    v1::ListOverdueReliefCasesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListOverdueReliefCases"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay as_of, EventDate("as_of", request->as_of(), clock_()));
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after,
                           DecodePageToken("overdue-relief-cases", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->ListOverdue(prefix, as_of, after, size));
    for (auto& item : list.items) *response->add_relief_cases() = std::move(item);
    if (list.next_after > 0) {
      response->set_next_page_token(EncodePageToken("overdue-relief-cases", list.next_after));
    }
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance
