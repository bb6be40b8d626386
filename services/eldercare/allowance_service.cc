#include "services/eldercare/allowance_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/log.h"

namespace civil::eldercare {
namespace {

constexpr absl::string_view kService = "civil.eldercare.v1.AllowanceService";

void ToProto(const EnrolmentRecord& e, v1::Enrolment* out) {
  out->set_enrolment_id(e.enrolment_id);
  out->set_name(e.name);
  out->set_id_number_masked(e.id_masked);
  out->set_birth_date(FormatDay(e.birth_date));
  out->set_sex(e.sex);
  out->set_region_code(e.region_code);
  out->set_status(static_cast<v1::EnrolmentStatus>(e.status));
  out->set_application_date(FormatDay(e.applied_on));
  out->set_start_month(FormatMonth(e.start_month));
  if (e.end_month) out->set_end_month(FormatMonth(*e.end_month));
  out->set_recorded_by(e.recorded_by);
  out->set_approved_by(e.approved_by);
  if (e.approved_on) out->set_approval_date(FormatDay(*e.approved_on));
  out->set_reason(e.reason);
  out->set_low_income(static_cast<v1::LowIncome>(e.low_income));
  out->set_low_income_enrolment_id(e.low_income_enrolment_id);
  for (const PaymentRecord& p : e.payments) {
    v1::Payment* payment = out->add_payments();
    payment->set_month(FormatMonth(p.month));
    payment->set_tier(p.label);
    payment->set_amount_fen(p.amount_fen);
    payment->set_run_id(p.run_id);
  }
  *out->mutable_update_time() = TimestampOf(e.update_time_micros);
}

void ToProto(const ScheduleRecord& r, v1::TierSchedule* out) {
  out->set_region_prefix(r.schedule.region_prefix.value());
  out->set_effective_month(FormatMonth(r.schedule.effective_month));
  for (const Tier& t : r.schedule.tiers) {
    v1::Tier* tier = out->add_tiers();
    tier->set_min_age(t.min_age);
    tier->set_max_age(t.max_age);
    tier->set_monthly_fen(t.monthly_fen);
    tier->set_label(TierLabel(t));
    tier->set_low_income_only(t.low_income_only);
  }
  out->set_created_by(r.created_by);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

std::string UnansweredReason(const absl::Status& status) {
  return absl::StrCat("waiting for assistance to confirm a low-income household (",
                      absl::StatusCodeToString(status.code()), ")");
}

}  // namespace

AllowanceServiceImpl::AllowanceServiceImpl(AllowanceStore* store, EnrolmentCheckClient* assistance,
                                           Clock today)
    : store_(store), assistance_(assistance), today_(std::move(today)) {}

grpc::Status AllowanceServiceImpl::EnrolPerson(grpc::ServerContext* context,
                                               const v1::EnrolPersonRequest* request,
                                               v1::EnrolPersonResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "EnrolPerson"));
    CIVIL_ASSIGN_OR_RETURN(
        const EnrolmentDraft draft,
        ValidateEnrolment(EnrolmentInput{request->name(), request->id_number(),
                                         request->region_code(), request->application_date()},
                          today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    EnrolmentStart start;
    CIVIL_ASSIGN_OR_RETURN(const std::vector<ScheduleRecord> schedules,
                           store_->ListSchedules(draft.region.value()));
    std::vector<TierSchedule> plain;
    for (const ScheduleRecord& r : schedules) plain.push_back(r.schedule);
    const TierSchedule* schedule =
        ScheduleFor(plain, draft.region.value(), absl::CivilMonth(draft.applied_on));
    if (NeedsLowIncomeCheck(schedule, draft.id.birth_date(), draft.applied_on)) {
      // Asked outside any transaction: a slow assistance never holds a database connection.
      absl::StatusOr<std::vector<EnrolmentFact>> facts =
          assistance_->Check(draft.id, draft.applied_on);
      if (!facts.ok()) {
        Log(LogLevel::kWarn, "low-income check unanswered; enrolment waits",
            {{"code", absl::StatusCodeToString(facts.status().code())}});
        start = {EnrolmentStatus::kPendingEligibility, LowIncome::kUnanswered, "",
                 UnansweredReason(facts.status())};
      } else {
        const LowIncomeDecision decision = DecideLowIncome(*facts);
        if (!decision.low_income) {
          return NotLowIncomeError(schedule->region_prefix.value(), draft.applied_on);
        }
        start = {EnrolmentStatus::kPendingApproval, LowIncome::kConfirmed, decision.enrolment_id,
                 ""};
      }
    }
    CIVIL_ASSIGN_OR_RETURN(const EnrolmentRecord record,
                           store_->Enrol(draft, start, caller.subject));
    ToProto(record, response->mutable_enrolment());
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::ApproveEnrolment(grpc::ServerContext* context,
                                                    const v1::ApproveEnrolmentRequest* request,
                                                    v1::ApproveEnrolmentResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ApproveEnrolment"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("enrolment_id", request->enrolment_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay decided,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const EnrolmentRecord record,
        store_->Approve(request->enrolment_id(), caller.subject, decided, RegionCheck(caller)));
    ToProto(record, response->mutable_enrolment());
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::RecheckEligibility(grpc::ServerContext* context,
                                                      const v1::RecheckEligibilityRequest* request,
                                                      v1::RecheckEligibilityResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecheckEligibility"));
    if (!request->enrolment_id().empty()) {
      CIVIL_RETURN_IF_ERROR(RequireUuid("enrolment_id", request->enrolment_id()));
    }
    if (request->limit() < 0 || request->limit() > 5000) {
      return InvalidField("limit", "must be from 0 (default 500) to 5000");
    }
    const int limit = request->limit() == 0 ? 500 : request->limit();
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix, ScopedPrefix(caller, ""));
    CIVIL_ASSIGN_OR_RETURN(std::vector<EligibilitySubject> pending,
                           store_->PendingEligibility(prefix, request->enrolment_id(), limit));
    if (!request->enrolment_id().empty() && pending.empty()) {
      CIVIL_ASSIGN_OR_RETURN(const EnrolmentRecord e, store_->Get(request->enrolment_id()));
      CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", e.region_code));
      return absl::FailedPreconditionError(absl::StrCat(
          "enrolment_id: the enrolment is ", kEnrolmentStatusNames.Name(static_cast<int>(e.status)),
          ", not waiting for the low-income check"));
    }
    for (EligibilitySubject& subject : pending) {
      // One question per enrolment, each outside any transaction.
      absl::StatusOr<std::vector<EnrolmentFact>> facts =
          assistance_->Check(subject.id, subject.enrolment.applied_on);
      if (!facts.ok()) {
        response->set_still_pending(response->still_pending() + 1);
        ToProto(subject.enrolment, response->add_enrolments());
        continue;
      }
      const LowIncomeDecision decision = DecideLowIncome(*facts);
      const std::string reason =
          decision.low_income ? "" : NotLowIncomeReason(subject.enrolment.applied_on);
      absl::StatusOr<EnrolmentRecord> resolved =
          store_->ResolveEligibility(subject.enrolment.enrolment_id, decision, reason);
      if (resolved.status().code() == absl::StatusCode::kFailedPrecondition) continue;  // raced
      if (!resolved.ok()) return resolved.status();
      if (decision.low_income) {
        response->set_confirmed(response->confirmed() + 1);
      } else {
        response->set_rejected(response->rejected() + 1);
      }
      ToProto(*resolved, response->add_enrolments());
    }
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::StopEnrolment(grpc::ServerContext* context,
                                                 const v1::StopEnrolmentRequest* request,
                                                 v1::StopEnrolmentResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "StopEnrolment"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("enrolment_id", request->enrolment_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string reason, BoundedText("reason", request->reason(), 200));
    CIVIL_ASSIGN_OR_RETURN(const EnrolmentRecord record,
                           store_->Stop(request->enrolment_id(), on, reason, RegionCheck(caller)));
    Log(LogLevel::kInfo, "allowance stopped",
        {{"enrolment_id", absl::string_view(record.enrolment_id)},
         {"end_month", absl::string_view(FormatMonth(*record.end_month))}});
    ToProto(record, response->mutable_enrolment());
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::GetEnrolment(grpc::ServerContext* context,
                                                const v1::GetEnrolmentRequest* request,
                                                v1::GetEnrolmentResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetEnrolment"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("enrolment_id", request->enrolment_id()));
    CIVIL_ASSIGN_OR_RETURN(const EnrolmentRecord record, store_->Get(request->enrolment_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_enrolment());
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::ListEnrolments(grpc::ServerContext* context,
                                                  const v1::ListEnrolmentsRequest* request,
                                                  v1::ListEnrolmentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListEnrolments"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    std::optional<EnrolmentStatus> status;
    if (request->status() != v1::ENROLMENT_STATUS_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kEnrolmentStatusNames.Require("status", request->status()));
      status = static_cast<EnrolmentStatus>(request->status());
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("allowance-enrolments", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<EnrolmentRecord> page,
                           store_->List(prefix, status, after, size));
    for (const EnrolmentRecord& e : page.items) ToProto(e, response->add_enrolments());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("allowance-enrolments", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::SetTierSchedule(grpc::ServerContext* context,
                                                   const v1::SetTierScheduleRequest* request,
                                                   v1::SetTierScheduleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SetTierSchedule"));
    std::vector<Tier> tiers;
    for (const v1::Tier& t : request->tiers()) {
      tiers.push_back(Tier{t.min_age(), t.max_age(), t.monthly_fen(), t.low_income_only()});
    }
    CIVIL_ASSIGN_OR_RETURN(
        const TierSchedule schedule,
        ValidateTierSchedule(request->region_prefix(), request->effective_month(), tiers));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_prefix", schedule.region_prefix.value()));
    CIVIL_ASSIGN_OR_RETURN(const ScheduleRecord record,
                           store_->AddSchedule(schedule, caller.subject));
    ToProto(record, response->mutable_schedule());
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::ListTierSchedules(grpc::ServerContext* context,
                                                     const v1::ListTierSchedulesRequest* request,
                                                     v1::ListTierSchedulesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListTierSchedules"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<ScheduleRecord> schedules,
                           store_->ListSchedules(prefix));
    for (const ScheduleRecord& r : schedules) ToProto(r, response->add_schedules());
    return absl::OkStatus();
  });
}

grpc::Status AllowanceServiceImpl::RunPayments(grpc::ServerContext* context,
                                               const v1::RunPaymentsRequest* request,
                                               v1::RunPaymentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RunPayments"));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth month, RequiredMonth("month", request->month()));
    CIVIL_RETURN_IF_ERROR(MonthNotAfterToday("month", month, today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const RunResult run, store_->RunPayments(month, prefix, caller.subject));
    response->set_run_id(run.run_id);
    response->set_due(run.due);
    response->set_paid(run.paid);
    response->set_already_paid(run.already_paid);
    response->set_paid_fen(run.paid_fen);
    response->set_adjustments_settled(run.adjustments_settled);
    response->set_adjustments_fen(run.adjustments_fen);
    return absl::OkStatus();
  });
}

}  // namespace civil::eldercare
