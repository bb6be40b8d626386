#include "services/childwelfare/child_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/childwelfare/name_view.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/paging.h"

namespace civil::childwelfare {
namespace {

constexpr absl::string_view kService = "civil.childwelfare.v1.ChildService";
constexpr absl::string_view kPageKind = "childwelfare-children";

void ToProto(const StandardRecord& r, v1::Standard* out) {
  out->set_region_prefix(r.standard.region_prefix.value());
  out->set_effective_month(FormatMonth(r.standard.effective_month));
  out->set_category(static_cast<v1::Category>(r.standard.category));
  out->set_monthly_fen(r.standard.monthly_fen);
  out->set_created_by(r.created_by);
  *out->mutable_create_time() = TimestampOf(r.create_time_micros);
}

void ToProto(const StipendRecord& r, v1::Stipend* out) {
  out->set_stipend_id(r.stipend_id);
  out->set_academic_year(AcademicYearLabel(r.academic_year));
  out->set_university(r.university);
  out->set_amount_fen(r.amount_fen);
  out->set_date(FormatDay(r.paid_on));
  out->set_recorded_by(r.recorded_by);
}

void ToProto(const ChildRecord& c, int education_max_age, const NameView& names, v1::Child* out) {
  out->set_child_id(c.child_id);
  out->set_name(names.Shown(c.name, c.region_code,
                            {"child_name", c.child_id, c.id_index, c.id_masked, c.region_code}));
  out->set_id_number_masked(c.id_masked);
  out->set_birth_date(FormatDay(c.birth_date));
  out->set_sex(c.sex);
  out->set_region_code(c.region_code);
  out->set_category(static_cast<v1::Category>(c.category));
  out->set_father(static_cast<v1::ParentSituation>(c.father));
  out->set_mother(static_cast<v1::ParentSituation>(c.mother));
  out->set_guardian_name(c.guardian_name);
  out->set_guardian_relation(c.guardian_relation);
  out->set_placement(c.placement);
  out->set_status(static_cast<v1::ChildStatus>(c.status));
  out->set_application_date(FormatDay(c.applied_on));
  out->set_recorded_by(c.recorded_by);
  out->set_checked_by(c.checked_by);
  if (c.checked_on) out->set_check_date(FormatDay(*c.checked_on));
  out->set_check_note(c.check_note);
  out->set_approved_by(c.approved_by);
  if (c.approved_on) out->set_approval_date(FormatDay(*c.approved_on));
  out->set_start_month(FormatMonth(c.start_month));
  if (c.end_month) out->set_end_month(FormatMonth(*c.end_month));
  if (c.stop_reason) out->set_stop_reason(static_cast<v1::StopReason>(*c.stop_reason));
  out->set_stop_note(c.stop_note);
  if (c.stopped_on) out->set_stop_date(FormatDay(*c.stopped_on));
  out->set_school(c.school);
  if (c.education_until) out->set_education_until(FormatMonth(*c.education_until));
  if (c.education_recorded_on) out->set_education_date(FormatDay(*c.education_recorded_on));
  out->set_age_stop_month(
      FormatMonth(AgeStopMonth(c.birth_date, c.education_until, education_max_age)));
  for (const PaymentRecord& p : c.payments) {
    v1::Payment* payment = out->add_payments();
    payment->set_month(FormatMonth(p.month));
    payment->set_category(static_cast<v1::Category>(p.category));
    payment->set_amount_fen(p.amount_fen);
    payment->set_run_id(p.run_id);
  }
  for (const StipendRecord& r : c.stipends) ToProto(r, out->add_stipends());
  const bool notes = names.SeesNotes(c.region_code);
  for (const ChildHistoryStep& h : c.history) {
    v1::ChildCaseEvent* step = out->add_history();
    step->set_action(h.action);
    step->set_actor(h.actor);
    if (h.on) step->set_happened_on(FormatDay(*h.on));
    if (notes) {
      step->set_note(h.note);
    } else {
      step->set_note_withheld(!h.note.empty());
    }
    step->set_grievance_id(h.grievance_id);
  }
  *out->mutable_update_time() = TimestampOf(c.update_time_micros);
}

}  // namespace

ChildServiceImpl::ChildServiceImpl(ChildStore* store, IdViewLog* id_views, Clock today)
    : store_(store), id_views_(id_views), today_(std::move(today)) {}

grpc::Status ChildServiceImpl::RegisterChild(grpc::ServerContext* context,
                                             const v1::RegisterChildRequest* request,
                                             v1::RegisterChildResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RegisterChild"));
    CIVIL_ASSIGN_OR_RETURN(
        const ApplicationDraft draft,
        ValidateApplication(
            ApplicationInput{request->name(), request->id_number(), request->region_code(),
                             request->category(), request->father(), request->mother(),
                             request->guardian_name(), request->guardian_relation(),
                             request->placement(), request->application_date()},
            today_()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", draft.region.value()));
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord record, store_->Register(draft, caller.subject));
    const NameView names(caller);
    ToProto(record, store_->education_max_age(), names, response->mutable_child());
    return names.Record(*id_views_, caller, "RegisterChild", response);
  });
}

grpc::Status ChildServiceImpl::CheckChild(grpc::ServerContext* context,
                                          const v1::CheckChildRequest* request,
                                          v1::CheckChildResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CheckChild"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    std::string note;
    if (request->passed()) {
      CIVIL_ASSIGN_OR_RETURN(
          note, BoundedText("note", request->note(), 500, /*required=*/false, TextLines::kMany));
    } else {
      CIVIL_ASSIGN_OR_RETURN(
          note, RequiredText("note", request->note(), 500,
                             "a check not passed needs a written reason", TextLines::kMany));
    }
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("check_date", request->check_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord record,
                           store_->Check(request->child_id(), caller.subject, on, request->passed(),
                                         note, RegionCheck(caller)));
    const NameView names(caller);
    ToProto(record, store_->education_max_age(), names, response->mutable_child());
    return names.Record(*id_views_, caller, "CheckChild", response);
  });
}

grpc::Status ChildServiceImpl::ApproveChild(grpc::ServerContext* context,
                                            const v1::ApproveChildRequest* request,
                                            v1::ApproveChildResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ApproveChild"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_RETURN_IF_ERROR(CheckCountyLevel(caller.region_prefix));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const ChildRecord record,
        store_->Approve(request->child_id(), caller.subject, on, RegionCheck(caller)));
    const NameView names(caller);
    ToProto(record, store_->education_max_age(), names, response->mutable_child());
    return names.Record(*id_views_, caller, "ApproveChild", response);
  });
}

grpc::Status ChildServiceImpl::RecordEducation(grpc::ServerContext* context,
                                               const v1::RecordEducationRequest* request,
                                               v1::RecordEducationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordEducation"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_ASSIGN_OR_RETURN(const EducationRecord education,
                           ValidateEducation(request->school(), request->education_until(),
                                             request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const ChildRecord record,
        store_->RecordEducation(request->child_id(), education, RegionCheck(caller)));
    const NameView names(caller);
    ToProto(record, store_->education_max_age(), names, response->mutable_child());
    return names.Record(*id_views_, caller, "RecordEducation", response);
  });
}

grpc::Status ChildServiceImpl::StopChild(grpc::ServerContext* context,
                                         const v1::StopChildRequest* request,
                                         v1::StopChildResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "StopChild"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_RETURN_IF_ERROR(kStopReasonNames.Require("reason", request->reason()));
    if (request->reason() == v1::STOP_REASON_DECEASED) {
      return InvalidField("reason",
                          "DECEASED is set by the platform from a recorded death, not by a stop");
    }
    if (request->reason() == v1::STOP_REASON_REVIEW_INELIGIBLE) {
      return InvalidField("reason",
                          "REVIEW_INELIGIBLE is set by a decided yearly review, not by a stop");
    }
    if (request->reason() == v1::STOP_REASON_MOVED_OUT) {
      return InvalidField("reason",
                          "MOVED_OUT is set by the platform from public security's report of the "
                          "move, not by a stop");
    }
    const auto reason = static_cast<StopReason>(request->reason());
    std::string note;
    if (reason == StopReason::kOther) {
      CIVIL_ASSIGN_OR_RETURN(
          note, RequiredText("note", request->note(), 200, "a stop for OTHER needs a reason"));
    } else {
      CIVIL_ASSIGN_OR_RETURN(note, BoundedText("note", request->note(), 200, /*required=*/false));
    }
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on, EventDate("date", request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord record, store_->Stop(request->child_id(), on, reason,
                                                                  note, RegionCheck(caller)));
    Log(LogLevel::kInfo, "child allowance stopped",
        {{"child_id", absl::string_view(record.child_id)},
         {"reason", kStopReasonNames.Name(static_cast<int>(reason))},
         {"end_month", absl::string_view(FormatMonth(*record.end_month))}});
    const NameView names(caller);
    ToProto(record, store_->education_max_age(), names, response->mutable_child());
    return names.Record(*id_views_, caller, "StopChild", response);
  });
}

grpc::Status ChildServiceImpl::GrantStipend(grpc::ServerContext* context,
                                            const v1::GrantStipendRequest* request,
                                            v1::GrantStipendResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GrantStipend"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_ASSIGN_OR_RETURN(const StipendDraft draft,
                           ValidateStipend(request->academic_year(), request->university(),
                                           request->amount_fen(), request->date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const StipendRecord record,
        store_->GrantStipend(request->child_id(), draft, caller.subject, RegionCheck(caller)));
    ToProto(record, response->mutable_stipend());
    return absl::OkStatus();
  });
}

grpc::Status ChildServiceImpl::GetChild(grpc::ServerContext* context,
                                        const v1::GetChildRequest* request,
                                        v1::GetChildResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "GetChild"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("child_id", request->child_id()));
    CIVIL_ASSIGN_OR_RETURN(const ChildRecord record, store_->Get(request->child_id()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_code", record.region_code));
    const NameView names(caller);
    ToProto(record, store_->education_max_age(), names, response->mutable_child());
    return names.Record(*id_views_, caller, "GetChild", response);
  });
}

grpc::Status ChildServiceImpl::ListChildren(grpc::ServerContext* context,
                                            const v1::ListChildrenRequest* request,
                                            v1::ListChildrenResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListChildren"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    std::optional<ChildStatus> status;
    if (request->status() != v1::CHILD_STATUS_UNSPECIFIED) {
      CIVIL_RETURN_IF_ERROR(kChildStatusNames.Require("status", request->status()));
      status = static_cast<ChildStatus>(request->status());
    }
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after, DecodePageToken(kPageKind, request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const Page<ChildRecord> page, store_->List(prefix, status, after, size));
    const NameView names(caller);
    for (const ChildRecord& c : page.items) {
      ToProto(c, store_->education_max_age(), names, response->add_children());
    }
    if (page.next_after > 0) {
      response->set_next_page_token(EncodePageToken(kPageKind, page.next_after));
    }
    return names.Record(*id_views_, caller, "ListChildren", response);
  });
}

grpc::Status ChildServiceImpl::SetStandard(grpc::ServerContext* context,
                                           const v1::SetStandardRequest* request,
                                           v1::SetStandardResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "SetStandard"));
    CIVIL_ASSIGN_OR_RETURN(const Standard standard,
                           ValidateStandard(request->region_prefix(), request->effective_month(),
                                            request->category(), request->monthly_fen()));
    CIVIL_RETURN_IF_ERROR(CheckRegion(caller, "region_prefix", standard.region_prefix.value()));
    CIVIL_ASSIGN_OR_RETURN(const StandardRecord record,
                           store_->AddStandard(standard, caller.subject));
    ToProto(record, response->mutable_standard());
    return absl::OkStatus();
  });
}

grpc::Status ChildServiceImpl::ListStandards(grpc::ServerContext* context,
                                             const v1::ListStandardsRequest* request,
                                             v1::ListStandardsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListStandards"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<StandardRecord> standards,
                           store_->ListStandards(prefix));
    for (const StandardRecord& r : standards) ToProto(r, response->add_standards());
    return absl::OkStatus();
  });
}

grpc::Status ChildServiceImpl::RunPayments(grpc::ServerContext* context,
                                           const v1::RunPaymentsRequest* request,
                                           v1::RunPaymentsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RunPayments"));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilMonth month, RequiredMonth("month", request->month()));
    CIVIL_RETURN_IF_ERROR(MonthNotAfterToday("month", month, today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const RunResult run, store_->RunPayments(month, prefix, caller.subject));
    Log(LogLevel::kInfo, "child allowance payment run",
        {{"run_id", absl::string_view(run.run_id)},
         {"month", absl::string_view(FormatMonth(month))},
         {"due", static_cast<int64_t>(run.due)},
         {"paid", static_cast<int64_t>(run.paid)},
         {"already_paid", static_cast<int64_t>(run.already_paid)}});
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

}  // namespace civil::childwelfare
