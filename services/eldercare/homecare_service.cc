#include "services/eldercare/homecare_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/log.h"

namespace civil::eldercare {
namespace {

constexpr absl::string_view kService = "civil.eldercare.v1.HomeCareService";

void ToProto(const SubsidyRecord& s, v1::Subsidy* out) {
  out->set_subsidy_id(s.subsidy_id);
  out->set_name(s.name);
  out->set_id_number_masked(s.id_masked);
  out->set_birth_date(FormatDay(s.birth_date));
  out->set_sex(s.sex);
  out->set_region_code(s.region_code);
  out->set_low_income(s.low_income);
  out->set_disabled(s.disabled);
  out->set_living_alone(s.living_alone);
  out->set_level(s.level);
  out->set_level_label(LevelLabel(s.level));
  out->set_assessment_date(FormatDay(s.assessed_on));
  out->set_assessor(s.assessor);
  out->set_status(static_cast<v1::SubsidyStatus>(s.status));
  out->set_start_month(FormatMonth(s.start_month));
  if (s.end_month) out->set_end_month(FormatMonth(*s.end_month));
  out->set_recorded_by(s.recorded_by);
  out->set_approved_by(s.approved_by);
  if (s.approved_on) out->set_approval_date(FormatDay(*s.approved_on));
  out->set_stop_reason(static_cast<v1::SubsidyStopReason>(s.stop_reason));
  out->set_stop_note(s.stop_note);
  if (s.stopped_on) out->set_stop_date(FormatDay(*s.stopped_on));
  for (const MonthlyPaymentRecord& p : s.payments) {
    v1::SubsidyPayment* payment = out->add_payments();
    payment->set_month(FormatMonth(p.month));
    payment->set_level(p.label);
    payment->set_amount_fen(p.amount_fen);
    payment->set_run_id(p.run_id);
  }
  *out->mutable_update_time() = TimestampOf(s.update_time_micros);
}

void ToProto(const LevelScheduleRecord& r, v1::LevelSchedule* out) {
  out->set_region_prefix(r.schedule.region_prefix.value());
  out->set_effective_month(FormatMonth(r.schedule.effective_month));
  for (const LevelAmount& l : r.schedule.levels) {
    v1::LevelAmount* level = out->add_levels();
    level->set_level(l.level);
    level->set_monthly_fen(l.monthly_fen);
  }
  out->set_created_by(r.created_by);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

}  // namespace

HomeCareServiceImpl::HomeCareServiceImpl(HomeCareStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status HomeCareServiceImpl::AssessPerson(grpc::ServerContext* context,
                                               const v1::AssessPersonRequest* request,
                                               v1::AssessPersonResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "AssessPerson"));
    AssessmentInput input;
    input.name = request->name();
    input.id_number = request->id_number();
    input.region_code = request->region_code();
    input.low_income = request->low_income();
    input.disabled = request->disabled();
    input.living_alone = request->living_alone();
    input.level = request->level();
    input.assessment_date = request->assessment_date();
    input.assessor = request->assessor();
    CIVIL_ASSIGN_OR_RETURN(const AssessmentDraft draft, ValidateAssessment(input, today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const SubsidyRecord record, store_->Assess(draft, caller.subject));
    ToProto(record, response->mutable_subsidy());
    return absl::OkStatus();
  });
}

grpc::Status HomeCareServiceImpl::ApproveSubsidy(grpc::ServerContext* context,
                                                 const v1::ApproveSubsidyRequest* request,
                                                 v1::ApproveSubsidyResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ApproveSubsidy"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("subsidy_id", request->subsidy_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay decided,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const SubsidyRecord record,
        store_->Approve(request->subsidy_id(), caller.subject, decided, RegionCheck(caller)));
    ToProto(record, response->mutable_subsidy());
    return absl::OkStatus();
  });
}

grpc::Status HomeCareServiceImpl::StopSubsidy(grpc::ServerContext* context,
                                              const v1::StopSubsidyRequest* request,
                                              v1::StopSubsidyResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "StopSubsidy"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("subsidy_id", request->subsidy_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string note,
                           BoundedText("note", request->note(), 200, /*required=*/false));
    CIVIL_ASSIGN_OR_RETURN(
        const SubsidyRecord record,
        store_->Stop(request->subsidy_id(), on, request->reason(), note, RegionCheck(caller)));
    Log(LogLevel::kInfo, "home-care subsidy stopped",
        {{"subsidy_id", absl::string_view(record.subsidy_id)},
         {"end_month", absl::string_view(FormatMonth(*record.end_month))}});
    ToProto(record, response->mutable_subsidy());
    return absl::OkStatus();
  });
}

grpc::Status HomeCareServiceImpl::GetSubsidy(grpc::ServerContext* context,
                                             const v1::GetSubsidyRequest* request,
                                             v1::GetSubsidyResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetSubsidy"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("subsidy_id", request->subsidy_id()));
    CIVIL_ASSIGN_OR_RETURN(const SubsidyRecord record, store_->Get(request->subsidy_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    ToProto(record, response->mutable_subsidy());
    return absl::OkStatus();
  });
}

grpc::Status HomeCareServiceImpl::ListSubsidies(grpc::ServerContext* context,
                                                const v1::ListSubsidiesRequest* request,
                                                v1::ListSubsidiesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListSubsidies"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    std::optional<SubsidyStatus> status;
    if (request->status() != v1::SUBSIDY_STATUS_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kSubsidyStatusNames.Require("status", request->status()));
      status = static_cast<SubsidyStatus>(request->status());
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("homecare-subsidies", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<SubsidyRecord> page,
                           store_->List(prefix, status, after, size));
    for (const SubsidyRecord& s : page.items) ToProto(s, response->add_subsidies());
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken("homecare-subsidies", page.next_after));
    }
    return absl::OkStatus();
  });
}

grpc::Status HomeCareServiceImpl::SetLevelSchedule(grpc::ServerContext* context,
                                                   const v1::SetLevelScheduleRequest* request,
                                                   v1::SetLevelScheduleResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "SetLevelSchedule"));
    std::vector<LevelAmount> levels;
    for (const v1::LevelAmount& l : request->levels()) {
      levels.push_back(LevelAmount{l.level(), l.monthly_fen()});
    }
    CIVIL_ASSIGN_OR_RETURN(
        const LevelSchedule schedule,
        ValidateLevelSchedule(request->region_prefix(), request->effective_month(), levels));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_prefix", schedule.region_prefix.value()));
    CIVIL_ASSIGN_OR_RETURN(const LevelScheduleRecord record,
                           store_->AddSchedule(schedule, caller.subject));
    ToProto(record, response->mutable_schedule());
    return absl::OkStatus();
  });
}

grpc::Status HomeCareServiceImpl::ListLevelSchedules(grpc::ServerContext* context,
                                                     const v1::ListLevelSchedulesRequest* request,
                                                     v1::ListLevelSchedulesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListLevelSchedules"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<LevelScheduleRecord> schedules,
                           store_->ListSchedules(prefix));
    for (const LevelScheduleRecord& r : schedules) ToProto(r, response->add_schedules());
    return absl::OkStatus();
  });
}

grpc::Status HomeCareServiceImpl::RunSubsidyPayments(grpc::ServerContext* context,
                                                     const v1::RunSubsidyPaymentsRequest* request,
                                                     v1::RunSubsidyPaymentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RunSubsidyPayments"));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth month, RequiredMonth("month", request->month()));
    CIVIL_RETURN_IF_ERROR(MonthNotAfterToday("month", month, today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const MonthlyRunResult run,
                           store_->RunPayments(month, prefix, caller.subject));
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
