#include "services/assistance/programme_service.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "prometheus/family.h"
#include "services/assistance/household.h"
#include "services/assistance/relief_figures_service.h"
#include "services/common/id_number.h"
#include "services/common/log.h"
#include "services/common/paging.h"
#include "services/common/region_code.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {
namespace {

constexpr char kPkg[] = "civil.assistance.v1.";

absl::StatusOr<Caller> Authorized(grpc::ServerContext* context, absl::string_view service,
                                  absl::string_view method) {
  return Authorize(*context, absl::StrCat(kPkg, service, ".", method));
}

template <typename T>
grpc::Status Fail(const absl::StatusOr<T>& s) {
  return ToGrpcStatus(s.status());
}

}  // namespace

// ---------------------------------------------------------------------------------------------

grpc::Status StandardServiceImpl::SetStandard(grpc::ServerContext* context,
                                              const v1::SetStandardRequest* request,
                                              v1::SetStandardResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "StandardService", "SetStandard");
  if (!caller.ok()) return Fail(caller);
  const v1::Standard& s = request->standard();
  if (absl::StatusOr<Programme> p = ProgrammeFromNumber(s.programme(), "standard.programme");
      !p.ok()) {
    return Fail(p);
  }
  if (s.area() != civil::common::v1::AREA_URBAN && s.area() != civil::common::v1::AREA_RURAL) {
    return ToGrpcStatus(InvalidField("standard.area", "must be AREA_URBAN or AREA_RURAL"));
  }
  if (s.region_prefix().empty()) {
    return ToGrpcStatus(InvalidField("standard.region_prefix", "is required"));
  }
  if (absl::Status st = ValidateRegionPrefix(s.region_prefix()); !st.ok()) {
    return ToGrpcStatus(InvalidField("standard.region_prefix", st.message()));
  }
  if (absl::Status st = CheckRegion(*caller, "standard.region_prefix", s.region_prefix());
      !st.ok()) {
    return ToGrpcStatus(st);
  }
  if (absl::StatusOr<absl::CivilDay> d = ParseDay(s.effective_from()); !d.ok()) {
    return ToGrpcStatus(InvalidField("standard.effective_from", d.status().message()));
  }
  const std::pair<int64_t, const char*> amounts[] = {
      {s.monthly_fen(), "standard.monthly_fen"},
      {s.supplement_seriously_ill_fen(), "standard.supplement_seriously_ill_fen"},
      {s.supplement_severely_disabled_fen(), "standard.supplement_severely_disabled_fen"},
      {s.supplement_elderly_fen(), "standard.supplement_elderly_fen"},
      {s.supplement_minor_fen(), "standard.supplement_minor_fen"}};
  for (const auto& [value, field] : amounts) {
    if (value < 0) return ToGrpcStatus(InvalidField(field, "must not be negative"));
  }
  if (s.monthly_fen() == 0) {
    return ToGrpcStatus(InvalidField("standard.monthly_fen", "must be greater than zero"));
  }
  if (s.marginal_multiplier_permille() < 0) {
    return ToGrpcStatus(InvalidField("standard.marginal_multiplier_permille", "must be positive"));
  }
  absl::StatusOr<v1::Standard> saved = store_->Set(s, caller->subject);
  if (!saved.ok()) return Fail(saved);
  *response->mutable_standard() = *std::move(saved);
  return grpc::Status::OK;
}

grpc::Status StandardServiceImpl::ListStandards(grpc::ServerContext* context,
                                                const v1::ListStandardsRequest* request,
                                                v1::ListStandardsResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "StandardService", "ListStandards");
  if (!caller.ok()) return Fail(caller);
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  // Standards are public policy: any caller may read every region's.
  if (absl::Status s = ValidateRegionPrefix(request->region_prefix()); !s.ok()) {
    return ToGrpcStatus(InvalidField("region_prefix", s.message()));
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("standards", request->page_token());
  if (!after.ok()) return Fail(after);
  int64_t next = 0;
  auto list = store_->List(request->programme(), request->region_prefix(), *after, *size, &next);
  if (!list.ok()) return Fail(list);
  for (auto& s : *list) *response->add_standards() = std::move(s);
  if (next > 0) response->set_next_page_token(EncodePageToken("standards", next));
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------------------------

grpc::Status ApplicationServiceImpl::CreateApplication(grpc::ServerContext* context,
                                                       const v1::CreateApplicationRequest* request,
                                                       v1::CreateApplicationResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ApplicationService", "CreateApplication");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<Programme> programme = ProgrammeFromNumber(request->programme(), "programme");
  if (!programme.ok()) return Fail(programme);
  if (absl::Status s = RequireUuid("household_id", request->household_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (IsHouseholdProgramme(*programme)) {
    if (!request->member_id().empty()) {
      return ToGrpcStatus(
          InvalidField("member_id", "must be empty: this programme is granted per household"));
    }
  } else if (absl::Status s = RequireUuid("member_id", request->member_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (*programme == Programme::kTekun && request->care_mode() != v1::CARE_MODE_CENTRALISED &&
      request->care_mode() != v1::CARE_MODE_DISPERSED) {
    return ToGrpcStatus(
        InvalidField("care_mode", "特困 needs CARE_MODE_CENTRALISED or CARE_MODE_DISPERSED"));
  }
  const absl::CivilDay today = clock_();
  absl::StatusOr<absl::CivilDay> on = EventDate("submitted_on", request->submitted_on(), today);
  if (!on.ok()) return Fail(on);
  auto created = store_->Create(*caller, *programme, request->household_id(), request->member_id(),
                                request->care_mode(), *on, today);
  if (!created.ok()) return Fail(created);
  *response->mutable_application() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::GetApplication(grpc::ServerContext* context,
                                                    const v1::GetApplicationRequest* request,
                                                    v1::GetApplicationResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ApplicationService", "GetApplication");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("application_id", request->application_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto app = store_->Get(*caller, request->application_id());
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::ListApplications(grpc::ServerContext* context,
                                                      const v1::ListApplicationsRequest* request,
                                                      v1::ListApplicationsResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ApplicationService", "ListApplications");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  std::string status_name;
  if (request->status() != 0) {
    if (request->status() < 1 || request->status() > 5) {
      return ToGrpcStatus(InvalidField("status", "unknown status"));
    }
    status_name =
        std::string(ApplicationStatusName(static_cast<ApplicationStatus>(request->status())));
  }
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("applications", request->page_token());
  if (!after.ok()) return Fail(after);
  int64_t next = 0;
  auto list =
      store_->List(*caller, *prefix, status_name, request->programme(), *after, *size, &next);
  if (!list.ok()) return Fail(list);
  for (auto& a : *list) *response->add_applications() = std::move(a);
  if (next > 0) response->set_next_page_token(EncodePageToken("applications", next));
  return grpc::Status::OK;
}

namespace {

// Validates the common part of a workflow step.
absl::StatusOr<ApplicationStep> StepFrom(const std::string& application_id,
                                         ApplicationAction action, const std::string& date,
                                         absl::string_view date_field, const std::string& note,
                                         absl::CivilDay today) {
  if (absl::Status s = RequireUuid("application_id", application_id); !s.ok()) return s;
  absl::StatusOr<absl::CivilDay> on = EventDate(date_field, date, today);
  if (!on.ok()) return on.status();
  if (absl::Status s = BoundedText("note", note, 4000, false, TextLines::kMany).status(); !s.ok()) {
    return s;
  }
  ApplicationStep step;
  step.application_id = application_id;
  step.action = action;
  step.happened_on = *on;
  step.note = note;
  return step;
}

}  // namespace

grpc::Status ApplicationServiceImpl::InvestigateApplication(
    grpc::ServerContext* context, const v1::InvestigateApplicationRequest* request,
    v1::InvestigateApplicationResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorized(context, "ApplicationService", "InvestigateApplication");
  if (!caller.ok()) return Fail(caller);
  if (request->household_monthly_income_fen() < 0) {
    return ToGrpcStatus(InvalidField("household_monthly_income_fen", "must not be negative"));
  }
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kInvestigate,
               request->investigated_on(), "investigated_on", request->visit_note(), clock_());
  if (!step.ok()) return Fail(step);
  step->income_fen = request->household_monthly_income_fen();
  step->assets_ok = request->assets_within_limits();
  for (int i = 0; i < request->circumstances_size(); ++i) {
    if (absl::Status s = RequireUuid(absl::StrCat("circumstances[", i, "].member_id"),
                                     request->circumstances(i).member_id());
        !s.ok()) {
      return ToGrpcStatus(s);
    }
    step->circumstances.push_back(request->circumstances(i));
  }
  if (request->has_tekun_grounds()) {
    const v1::TekunGrounds& g = request->tekun_grounds();
    absl::StatusOr<TekunCategory> category =
        TekunCategoryFromNumber(g.category(), "tekun_grounds.category");
    if (!category.ok()) return Fail(category);
    step->tekun_grounds =
        TekunGrounds{*category, g.no_work_capacity(), g.no_income(), g.no_supporter()};
  }
  if (request->has_rigid_expenses()) {
    const v1::RigidExpenses& e = request->rigid_expenses();
    const RigidExpenses expenses{Money::Fen(e.medical_fen()), Money::Fen(e.education_fen())};
    if (absl::Status s = CheckRigidExpenses(expenses, "rigid_expenses"); !s.ok()) {
      return ToGrpcStatus(s);
    }
    step->rigid_expenses = expenses;
  }
  auto app = store_->Step(*caller, *step, clock_());
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::PublishApplication(
    grpc::ServerContext* context, const v1::PublishApplicationRequest* request,
    v1::PublishApplicationResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ApplicationService", "PublishApplication");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kPublish, request->notice_start(),
               "notice_start", "", clock_());
  if (!step.ok()) return Fail(step);
  auto app = store_->Step(*caller, *step, clock_());
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::RecordObjection(grpc::ServerContext* context,
                                                     const v1::RecordObjectionRequest* request,
                                                     v1::RecordObjectionResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ApplicationService", "RecordObjection");
  if (!caller.ok()) return Fail(caller);
  if (request->note().empty()) {
    return ToGrpcStatus(InvalidField("note", "describe the objection"));
  }
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kObject, request->raised_on(),
               "raised_on", request->note(), clock_());
  if (!step.ok()) return Fail(step);
  auto app = store_->Step(*caller, *step, clock_());
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::ApproveApplication(
    grpc::ServerContext* context, const v1::ApproveApplicationRequest* request,
    v1::ApproveApplicationResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ApplicationService", "ApproveApplication");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kApprove, request->decided_on(),
               "decided_on", request->note(), clock_());
  if (!step.ok()) return Fail(step);
  auto approved = store_->Approve(*caller, *step, clock_());
  if (!approved.ok()) return Fail(approved);
  *response->mutable_application() = std::move(approved->first);
  *response->mutable_enrolment() = std::move(approved->second);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::RejectApplication(grpc::ServerContext* context,
                                                       const v1::RejectApplicationRequest* request,
                                                       v1::RejectApplicationResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "ApplicationService", "RejectApplication");
  if (!caller.ok()) return Fail(caller);
  if (request->reason().empty()) {
    return ToGrpcStatus(InvalidField("reason", "a rejection needs a written reason"));
  }
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kReject, request->decided_on(),
               "decided_on", request->reason(), clock_());
  if (!step.ok()) return Fail(step);
  auto app = store_->Step(*caller, *step, clock_());
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------------------------

grpc::Status EnrolmentServiceImpl::GetEnrolment(grpc::ServerContext* context,
                                                const v1::GetEnrolmentRequest* request,
                                                v1::GetEnrolmentResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "EnrolmentService", "GetEnrolment");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("enrolment_id", request->enrolment_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto e = store_->Get(*caller, request->enrolment_id(), clock_());
  if (!e.ok()) return Fail(e);
  *response->mutable_enrolment() = *std::move(e);
  return grpc::Status::OK;
}

grpc::Status EnrolmentServiceImpl::ListEnrolments(grpc::ServerContext* context,
                                                  const v1::ListEnrolmentsRequest* request,
                                                  v1::ListEnrolmentsResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "EnrolmentService", "ListEnrolments");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  std::optional<absl::CivilMonth> active_in;
  if (!request->active_in().empty()) {
    absl::StatusOr<absl::CivilMonth> m = ParseMonth(request->active_in(), "active_in");
    if (!m.ok()) return Fail(m);
    active_in = *m;
  }
  absl::StatusOr<int> size = PageSize(request->page_size());
  if (!size.ok()) return Fail(size);
  absl::StatusOr<int64_t> after = DecodePageToken("enrolments", request->page_token());
  if (!after.ok()) return Fail(after);
  int64_t next = 0;
  auto list = store_->List(*caller, *prefix, request->programme(), active_in, *after, *size, &next,
                           clock_());
  if (!list.ok()) return Fail(list);
  for (auto& e : *list) *response->add_enrolments() = std::move(e);
  if (next > 0) response->set_next_page_token(EncodePageToken("enrolments", next));
  return grpc::Status::OK;
}

grpc::Status EnrolmentServiceImpl::ExitEnrolment(grpc::ServerContext* context,
                                                 const v1::ExitEnrolmentRequest* request,
                                                 v1::ExitEnrolmentResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "EnrolmentService", "ExitEnrolment");
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
    absl::StatusOr<absl::CivilMonth> m = ParseMonth(request->effective_month(), "effective_month");
    if (!m.ok()) return Fail(m);
    effective = *m;
  }
  auto e = store_->Exit(*caller, request->enrolment_id(), request->member_id(), reason, effective,
                        request->phase_out(), request->note(), *decided, today);
  if (!e.ok()) return Fail(e);
  *response->mutable_enrolment() = *std::move(e);
  return grpc::Status::OK;
}

grpc::Status EnrolmentCheckServiceImpl::CheckEnrolment(grpc::ServerContext* context,
                                                       const v1::CheckEnrolmentRequest* request,
                                                       v1::CheckEnrolmentResponse* response) {
  absl::StatusOr<Caller> caller =
      Authorize(*context, "civil.assistance.v1.EnrolmentCheckService.CheckEnrolment");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<IdNumber> id = IdNumber::Parse(request->id_number());
  if (!id.ok()) return ToGrpcStatus(InvalidField("id_number", id.status().message()));
  if (request->programme() != 0) {
    if (auto p = ProgrammeFromNumber(request->programme(), "programme"); !p.ok()) return Fail(p);
  }
  absl::StatusOr<absl::CivilDay> as_of = EventDate("as_of", request->as_of(), clock_());
  if (!as_of.ok()) return Fail(as_of);
  auto facts = store_->Check(*caller, pii_->BlindIndex(id->value()), request->programme(), *as_of);
  if (!facts.ok()) return Fail(facts);
  response->set_id_number_masked(id->Masked());
  for (auto& f : *facts) *response->add_enrolments() = std::move(f);
  *response->mutable_checked_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------------------------

DisbursementServiceImpl::DisbursementServiceImpl(DisbursementStore* store,
                                                 prometheus::Registry* registry, Clock clock)
    : store_(store), clock_(std::move(clock)) {
  if (registry == nullptr) return;
  auto& fen = prometheus::BuildCounter()
                  .Name("civil_payments_fen_total")
                  .Help("Money disbursed by monthly runs, fen")
                  .Register(*registry);
  auto& count = prometheus::BuildCounter()
                    .Name("civil_payments_total")
                    .Help("Payments made by monthly runs")
                    .Register(*registry);
  auto& done = prometheus::BuildGauge()
                   .Name("assistance_disbursement_rows_done")
                   .Help("Enrolments the latest monthly run of the programme has been through")
                   .Register(*registry);
  auto& total = prometheus::BuildGauge()
                    .Name("assistance_disbursement_rows_planned")
                    .Help("Enrolments the latest monthly run of the programme pays")
                    .Register(*registry);
  auto& ratio = prometheus::BuildGauge()
                    .Name("assistance_disbursement_progress_ratio")
                    .Help("rows_done / rows_planned of the latest monthly run (1 when done)")
                    .Register(*registry);
  for (int p = 1; p <= 7; ++p) {
    const auto programme = static_cast<Programme>(p);
    if (!IsPaid(programme)) continue;
    const std::string name(ProgrammeName(programme));
    paid_fen_[p] = &fen.Add({{"program", name}});
    payments_[p] = &count.Add({{"program", name}});
    progress_[p] = {&done.Add({{"program", name}}), &total.Add({{"program", name}}),
                    &ratio.Add({{"program", name}})};
  }
}

grpc::Status DisbursementServiceImpl::RunDisbursement(grpc::ServerContext* context,
                                                      const v1::RunDisbursementRequest* request,
                                                      v1::RunDisbursementResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "DisbursementService", "RunDisbursement");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<Programme> programme = ProgrammeFromNumber(request->programme(), "programme");
  if (!programme.ok()) return Fail(programme);
  if (!IsPaid(*programme)) {
    return ToGrpcStatus(InvalidField("programme", "a monitored programme is not paid monthly"));
  }
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(request->month(), "month");
  if (!month.ok()) return Fail(month);
  if (*month > absl::CivilMonth(clock_())) {
    return ToGrpcStatus(InvalidField("month", "must not be after the current month"));
  }
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  if (prefix->empty()) {
    return ToGrpcStatus(InvalidField("region_prefix", "name the county (or narrower) to pay"));
  }
  bool created = false;
  const std::string name(ProgrammeName(*programme));
  const std::string month_text = FormatMonth(*month);
  const auto gauges = progress_.find(request->programme());
  auto report = [&](const DisbursementProgress& p) {
    if (gauges != progress_.end()) {
      gauges->second.done->Set(static_cast<double>(p.done));
      gauges->second.total->Set(static_cast<double>(p.total));
      gauges->second.ratio->Set(
          p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0);
    }
    Log(LogLevel::kInfo, "disbursement progress",
        {{"program", name},
         {"month", month_text},
         {"region_prefix", *prefix},
         {"batch_id", p.batch_id},
         {"rows_done", p.done},
         {"rows_total", p.total}});
  };
  auto batch = store_->Run(*caller, *programme, *month, *prefix, &created, report);
  if (!batch.ok()) {
    Log(LogLevel::kWarn, "disbursement failed",
        {{"program", name},
         {"month", month_text},
         {"region_prefix", *prefix},
         {"code", absl::StatusCodeToString(batch.status().code())}});
    return Fail(batch);
  }
  if (created && paid_fen_.contains(request->programme())) {
    paid_fen_[request->programme()]->Increment(static_cast<double>(batch->total_fen()));
    payments_[request->programme()]->Increment(static_cast<double>(batch->payments()));
  }
  *response->mutable_batch() = *std::move(batch);
  response->set_created(created);
  return grpc::Status::OK;
}

grpc::Status DisbursementServiceImpl::GetDisbursement(grpc::ServerContext* context,
                                                      const v1::GetDisbursementRequest* request,
                                                      v1::GetDisbursementResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "DisbursementService", "GetDisbursement");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("batch_id", request->batch_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto batch = store_->Get(*caller, request->batch_id());
  if (!batch.ok()) return Fail(batch);
  *response->mutable_batch() = *std::move(batch);
  return grpc::Status::OK;
}

// ---------------------------------------------------------------------------------------------

std::vector<std::string> SummaryLines(const std::vector<v1::ProgrammeFigures>& figures) {
  auto find = [&](v1::Programme p, civil::common::v1::Area a) -> const v1::ProgrammeFigures* {
    for (const auto& f : figures) {
      if (f.programme() == p && f.area() == a) return &f;
    }
    return nullptr;
  };
  auto wan = [](int64_t fen) { return ReportWanYuan(Money::Fen(fen)); };
  std::vector<std::string> lines;
  using civil::common::v1::AREA_RURAL;
  using civil::common::v1::AREA_URBAN;
  const std::pair<civil::common::v1::Area, const char*> areas[] = {{AREA_RURAL, "农村"},
                                                                   {AREA_URBAN, "城市"}};
  for (const auto& [area, word] : areas) {
    if (const auto* f = find(v1::PROGRAMME_DIBAO, area)) {
      lines.push_back(absl::StrCat(word, "低保对象", f->households(), "户", f->persons(),
                                   "人,发放资金", wan(f->paid_fen())));
    }
  }
  for (const auto& [area, word] : areas) {
    if (const auto* f = find(v1::PROGRAMME_TEKUN, area)) {
      lines.push_back(
          absl::StrCat(word, "特困人员", f->persons(), "人,发放资金", wan(f->paid_fen())));
    }
  }
  const std::pair<v1::Programme, const char*> subsidies[] = {
      {v1::PROGRAMME_RETIRED_WORKER_SUBSIDY, "退职老职工"},
      {v1::PROGRAMME_SHANGHAI_RESETTLED_SUBSIDY, "上海下放居民"},
      {v1::PROGRAMME_LEPROSY_SUBSIDY, "麻风病人"}};
  for (const auto& [programme, word] : subsidies) {
    int64_t persons = 0, paid = 0;
    bool any = false;
    for (const auto& f : figures) {
      if (f.programme() != programme) continue;
      any = true;
      persons += f.persons();
      paid += f.paid_fen();
    }
    if (any) lines.push_back(absl::StrCat(word, persons, "人,发放资金", wan(paid)));
  }
  int64_t exit_h = 0, exit_p = 0;
  std::map<int, std::pair<int64_t, int64_t>> by_reason;
  bool any_exit = false;
  for (const auto& f : figures) {
    if (f.programme() != v1::PROGRAMME_DIBAO) continue;
    any_exit = any_exit || f.exit_persons() > 0;
    exit_h += f.exit_households();
    exit_p += f.exit_persons();
    for (const auto& r : f.exits_by_reason()) {
      by_reason[r.reason()].first += r.households();
      by_reason[r.reason()].second += r.persons();
    }
  }
  if (any_exit) {
    lines.push_back(absl::StrCat(
        "退出低保保障", exit_h, "户", exit_p, "人(其中死亡退出",
        by_reason[v1::EXIT_REASON_DEATH].first, "户", by_reason[v1::EXIT_REASON_DEATH].second,
        "人,家庭经济状况等不符退出", by_reason[v1::EXIT_REASON_INELIGIBLE_INCOME].first, "户",
        by_reason[v1::EXIT_REASON_INELIGIBLE_INCOME].second, "人)"));
  }
  int64_t mh = 0, mp = 0, xh = 0, xp = 0;
  bool monitored = false;
  for (const auto& f : figures) {
    if (f.programme() == v1::PROGRAMME_MARGINAL) {
      mh += f.households();
      mp += f.persons();
      monitored = true;
    } else if (f.programme() == v1::PROGRAMME_EXPENDITURE_HARDSHIP) {
      xh += f.households();
      xp += f.persons();
      monitored = true;
    }
  }
  if (monitored) {
    lines.push_back(absl::StrCat("纳入城乡低保边缘家庭", mh, "户", mp, "人,支出型困难家庭", xh,
                                 "户", xp, "人"));
  }
  return lines;
}

grpc::Status SummaryServiceImpl::GetSummary(grpc::ServerContext* context,
                                            const v1::GetSummaryRequest* request,
                                            v1::GetSummaryResponse* response) {
  absl::StatusOr<Caller> caller = Authorized(context, "SummaryService", "GetSummary");
  if (!caller.ok()) return Fail(caller);
  absl::StatusOr<absl::CivilDay> start = ParseDay(request->period_start());
  if (!start.ok()) return ToGrpcStatus(InvalidField("period_start", start.status().message()));
  absl::StatusOr<absl::CivilDay> end = ParseDay(request->period_end());
  if (!end.ok()) return ToGrpcStatus(InvalidField("period_end", end.status().message()));
  if (*end < *start) {
    return ToGrpcStatus(InvalidField("period_end", "must not be before period_start"));
  }
  absl::StatusOr<std::string> prefix = ScopedPrefix(*caller, request->region_prefix());
  if (!prefix.ok()) return Fail(prefix);
  auto figures = store_->Figures(*prefix, *start, *end);
  if (!figures.ok()) return Fail(figures);
  response->set_period_start(FormatDay(*start));
  response->set_period_end(FormatDay(*end));
  response->set_region_prefix(*prefix);
  std::vector<std::string> relief_lines;
  if (relief_ != nullptr) {
    auto relief = relief_->Figures(*prefix, *start, *end);
    if (!relief.ok()) return Fail(relief);
    relief_lines = ReliefSummaryLines(*relief);
    *response->mutable_relief() = *std::move(relief);
  }
  for (const std::string& line : MergeSummaryLines(SummaryLines(*figures), relief_lines)) {
    response->add_lines(line);
  }
  for (auto& f : *figures) *response->add_programmes() = std::move(f);
  if (grievances_ != nullptr) {
    auto grievances = grievances_->Figures(*prefix, *start, *end);
    if (!grievances.ok()) return Fail(grievances);
    *response->mutable_grievances() = *std::move(grievances);
  }
  return grpc::Status::OK;
}

std::vector<std::string> MergeSummaryLines(const std::vector<std::string>& programme_lines,
                                           const std::vector<std::string>& relief_lines) {
  auto starts = [](const std::string& line, absl::string_view prefix) {
    return absl::StartsWith(line, prefix);
  };
  std::vector<std::string> head, exits, monitored, relief_cases, rectification, outreach;
  for (const auto& line : programme_lines) {
    if (starts(line, "退出低保")) {
      exits.push_back(line);
    } else if (starts(line, "纳入城乡低保边缘")) {
      monitored.push_back(line);
    } else {
      head.push_back(line);
    }
  }
  for (const auto& line : relief_lines) {
    if (starts(line, "临时救助") || absl::StrContains(line, "互助社")) {
      relief_cases.push_back(line);
    } else if (starts(line, "排查")) {
      rectification.push_back(line);
    } else {
      outreach.push_back(line);
    }
  }
  std::vector<std::string> out;
  for (const auto* part : {&head, &relief_cases, &exits, &rectification, &monitored, &outreach}) {
    out.insert(out.end(), part->begin(), part->end());
  }
  return out;
}

}  // namespace civil::assistance
