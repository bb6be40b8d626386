#include "services/assistance/enrolment_service.h"

#include <google/protobuf/util/time_util.h>

#include "absl/time/clock.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

grpc::Status EnrolmentServiceImpl::GetEnrolment(grpc::ServerContext* context,
                                                const v1::GetEnrolmentRequest* request,
                                                v1::GetEnrolmentResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::EnrolmentService::service_full_name(), "GetEnrolment");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("enrolment_id", request->enrolment_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto e = store_->Get(ActorOf(*caller), request->enrolment_id(), clock_());
  if (!e.ok()) return Fail(e);
  *response->mutable_enrolment() = *std::move(e);
  return grpc::Status::OK;
}

grpc::Status EnrolmentServiceImpl::ListEnrolments(grpc::ServerContext* context,
                                                  const v1::ListEnrolmentsRequest* request,
                                                  v1::ListEnrolmentsResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::EnrolmentService::service_full_name(), "ListEnrolments");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  std::optional<absl::CivilMonth> active_in;
  if (!request->active_in().empty()) {
    // The message assistance has always given (the kit's RequiredMonth says "must be a month
    // written YYYY-MM"), and no month before 1900.
    absl::StatusOr<absl::CivilMonth> m = ParseMonth(request->active_in());
    if (!m.ok() || m->year() < 1900) return Fail(InvalidField("active_in", "must be YYYY-MM"));
    active_in = *m;
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("enrolments", request->page_token());
  if (!after.ok()) return Fail(after);
  int64_t next = 0;
  auto list =
      store_->List(*prefix, request->programme(), active_in, *after, *size, &next, clock_());
  if (!list.ok()) return Fail(list);
  for (auto& e : *list) *response->add_enrolments() = std::move(e);
  if (next > 0) response->set_next_page_token(EncodePageToken("enrolments", next));
  return grpc::Status::OK;
}

grpc::Status EnrolmentServiceImpl::ExitEnrolment(grpc::ServerContext* context,
                                                 const v1::ExitEnrolmentRequest* request,
                                                 v1::ExitEnrolmentResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::EnrolmentService::service_full_name(), "ExitEnrolment");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("enrolment_id", request->enrolment_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (!request->member_id().empty()) {
    if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  if (request->reason() < 1 || request->reason() > 5) {
    return ToGrpcStatus(InvalidField("reason", "must be given"));
  }
  const auto reason = static_cast<ExitReason>(request->reason());
  if (request->note().empty()) {
    return ToGrpcStatus(InvalidField("note", "an exit needs a written reason"));
  }
  if (request->phase_out() && reason != ExitReason::kIneligibleIncome) {
    return ToGrpcStatus(InvalidField("phase_out", "only for EXIT_REASON_INELIGIBLE_INCOME (渐退)"));
  }
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> decided = EventDate("decided_on", request->decided_on(), today);
  if (!decided.ok()) return Fail(decided);
  absl::CivilMonth effective = absl::CivilMonth(*decided) + 1;
  if (!request->effective_month().empty()) {
    absl::StatusOr<absl::CivilMonth> m = ParseMonth(request->effective_month());
    if (!m.ok() || m->year() < 1900) {
      return Fail(InvalidField("effective_month", "must be YYYY-MM"));  // as active_in above
    }
    effective = *m;
  }
  auto e = store_->Exit(ActorOf(*caller), request->enrolment_id(), request->member_id(), reason,
                        effective, request->phase_out(), request->note(), *decided, today);
  if (!e.ok()) return Fail(e);
  *response->mutable_enrolment() = *std::move(e);
  return grpc::Status::OK;
}

grpc::Status EnrolmentCheckServiceImpl::CheckEnrolment(grpc::ServerContext* context,
                                                       const v1::CheckEnrolmentRequest* request,
                                                       v1::CheckEnrolmentResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::EnrolmentCheckService::service_full_name(), "CheckEnrolment");
  if (!caller.ok()) return Fail(caller);
  // The department's clock, not the calendar's: the ID number's birth date and the day asked
  // about are checked against the same day.
  const absl::CivilDay today = clock_();
  absl::StatusOr<IdNumber> id = IdNumber::Parse(request->id_number(), today);
  if (!id.ok()) return ToGrpcStatus(InvalidField("id_number", id.status().message()));
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), today);
  if (!as_of.ok()) return Fail(as_of);
  auto facts =
      store_->Check(caller->subject, pii_->BlindIndex(id->value()), request->programme(), *as_of);
  if (!facts.ok()) return Fail(facts);
  response->set_id_number_masked(id->Masked());
  for (auto& f : *facts) *response->add_enrolments() = std::move(f);
  *response->mutable_checked_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  return grpc::Status::OK;
}

}  // namespace civil::assistance
