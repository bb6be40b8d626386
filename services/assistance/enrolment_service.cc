#include "services/assistance/enrolment_service.h"

#include "absl/time/clock.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

constexpr absl::string_view kEnrolmentCheckService = "civil.assistance.v1.EnrolmentCheckService";
constexpr absl::string_view kEnrolmentService = "civil.assistance.v1.EnrolmentService";

grpc::Status EnrolmentServiceImpl::GetEnrolment(grpc::ServerContext* context,
                                                const v1::GetEnrolmentRequest* request,
                                                v1::GetEnrolmentResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kEnrolmentService, "GetEnrolment"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("enrolment_id", request->enrolment_id()));
    CIVIL_ASSIGN_OR_RETURN(auto e, store_->Get(ActorOf(caller), request->enrolment_id(), clock_()));
    *response->mutable_enrolment() = std::move(e);
    return absl::OkStatus();
  });
}

grpc::Status EnrolmentServiceImpl::ListEnrolments(grpc::ServerContext* context,
                                                  const v1::ListEnrolmentsRequest* request,
                                                  v1::ListEnrolmentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kEnrolmentService, "ListEnrolments"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    if (request->programme() != 0) {
      CIVIL_RETURN_IF_ERROR(ProgrammeFromNumber(request->programme(), "programme").status());
    }
    std::optional<absl::CivilMonth> active_in;
    if (!request->active_in().empty()) {
      // The message assistance has always given (the kit's RequiredMonth says "must be a month
      // written YYYY-MM"), and no month before 1900.
      absl::StatusOr<absl::CivilMonth> m = ParseMonth(request->active_in());
      if (!m.ok() || m->year() < 1900) return InvalidField("active_in", "must be YYYY-MM");
      active_in = *m;
    }
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("enrolments", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(auto list, store_->List(prefix, request->programme(), active_in, after,
                                                   size, &next, clock_()));
    for (auto& e : list) *response->add_enrolments() = std::move(e);
    if (next > 0) response->set_next_page_token(EncodePageToken("enrolments", next));
    return absl::OkStatus();
  });
}

grpc::Status EnrolmentServiceImpl::ExitEnrolment(grpc::ServerContext* context,
                                                 const v1::ExitEnrolmentRequest* request,
                                                 v1::ExitEnrolmentResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kEnrolmentService, "ExitEnrolment"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("enrolment_id", request->enrolment_id()));
    if (!request->member_id().empty()) {
      CIVIL_RETURN_IF_ERROR(RequireUuid("member_id", request->member_id()));
    }
    if (request->reason() < 1 || request->reason() > 5) {
      return InvalidField("reason", "must be given");
    }
    const auto reason = static_cast<ExitReason>(request->reason());
    if (request->note().empty()) {
      return InvalidField("note", "an exit needs a written reason");
    }
    if (request->phase_out() && reason != ExitReason::kIneligibleIncome) {
      return InvalidField("phase_out", "only for EXIT_REASON_INELIGIBLE_INCOME (渐退)");
    }
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay decided,
                           EventDate("decided_on", request->decided_on(), today));
    absl::CivilMonth effective = absl::CivilMonth(decided) + 1;
    if (!request->effective_month().empty()) {
      absl::StatusOr<absl::CivilMonth> m = ParseMonth(request->effective_month());
      if (!m.ok() || m->year() < 1900) {
        return InvalidField("effective_month", "must be YYYY-MM");  // as active_in above
      }
      effective = *m;
    }
    CIVIL_ASSIGN_OR_RETURN(
        auto e, store_->Exit(ActorOf(caller), request->enrolment_id(), request->member_id(), reason,
                             effective, request->phase_out(), request->note(), decided, today));
    *response->mutable_enrolment() = std::move(e);
    return absl::OkStatus();
  });
}

grpc::Status EnrolmentCheckServiceImpl::CheckEnrolment(grpc::ServerContext* context,
                                                       const v1::CheckEnrolmentRequest* request,
                                                       v1::CheckEnrolmentResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kEnrolmentCheckService, "CheckEnrolment"));
    // The department's clock, not the calendar's: the ID number's birth date and the day asked
    // about are checked against the same day.
    const absl::CivilDay today = clock_();
    absl::StatusOr<IdNumber> id = IdNumber::Parse(request->id_number(), today);
    if (!id.ok()) return InvalidField("id_number", id.status().message());
    if (request->programme() != 0) {
      CIVIL_RETURN_IF_ERROR(ProgrammeFromNumber(request->programme(), "programme").status());
    }
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay as_of, EventDate("as_of", request->as_of(), today));
    CIVIL_ASSIGN_OR_RETURN(auto facts, store_->Check(caller.subject, pii_->BlindIndex(id->value()),
                                                     request->programme(), as_of));
    response->set_id_number_masked(id->Masked());
    for (auto& f : facts) *response->add_enrolments() = std::move(f);
    *response->mutable_checked_at() = TimestampOf(absl::ToUnixMicros(absl::Now()));
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance
