#include "services/assistance/application_service.h"

#include "absl/strings/str_cat.h"
#include "services/assistance/household.h"
#include "services/assistance/relief_service_util.h"
#include "services/common/adapter.h"
#include "services/common/id_number.h"
#include "services/common/paging.h"
#include "services/common/status.h"
#include "services/common/values.h"

namespace civil::assistance {

grpc::Status ApplicationServiceImpl::CreateApplication(grpc::ServerContext* context,
                                                       const v1::CreateApplicationRequest* request,
                                                       v1::CreateApplicationResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ApplicationService::service_full_name(), "CreateApplication");
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
  auto created = store_->Create(ActorOf(*caller), *programme, request->household_id(),
                                request->member_id(), request->care_mode(), *on, today);
  if (!created.ok()) return Fail(created);
  *response->mutable_application() = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::GetApplication(grpc::ServerContext* context,
                                                    const v1::GetApplicationRequest* request,
                                                    v1::GetApplicationResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ApplicationService::service_full_name(), "GetApplication");
  if (!caller.ok()) return Fail(caller);
  if (absl::Status s = RequireUuid("application_id", request->application_id()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto app = store_->Get(ActorOf(*caller), request->application_id());
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::ListApplications(grpc::ServerContext* context,
                                                      const v1::ListApplicationsRequest* request,
                                                      v1::ListApplicationsResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ApplicationService::service_full_name(), "ListApplications");
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
  auto list = store_->List(*prefix, status_name, request->programme(), *after, *size, &next);
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
  absl::StatusOr<Caller> caller = AuthorizeCall(
      *context, v1::ApplicationService::service_full_name(), "InvestigateApplication");
  if (!caller.ok()) return Fail(caller);
  const absl::CivilDay today = clock_();
  if (request->household_monthly_income_fen() < 0) {
    return ToGrpcStatus(InvalidField("household_monthly_income_fen", "must not be negative"));
  }
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kInvestigate,
               request->investigated_on(), "investigated_on", request->visit_note(), today);
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
  auto app = store_->Step(ActorOf(*caller), *step, today);
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::PublishApplication(
    grpc::ServerContext* context, const v1::PublishApplicationRequest* request,
    v1::PublishApplicationResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ApplicationService::service_full_name(), "PublishApplication");
  if (!caller.ok()) return Fail(caller);
  const absl::CivilDay today = clock_();
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kPublish, request->notice_start(),
               "notice_start", "", today);
  if (!step.ok()) return Fail(step);
  auto app = store_->Step(ActorOf(*caller), *step, today);
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::RecordObjection(grpc::ServerContext* context,
                                                     const v1::RecordObjectionRequest* request,
                                                     v1::RecordObjectionResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ApplicationService::service_full_name(), "RecordObjection");
  if (!caller.ok()) return Fail(caller);
  const absl::CivilDay today = clock_();
  if (request->note().empty()) {
    return ToGrpcStatus(InvalidField("note", "describe the objection"));
  }
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kObject, request->raised_on(),
               "raised_on", request->note(), today);
  if (!step.ok()) return Fail(step);
  auto app = store_->Step(ActorOf(*caller), *step, today);
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::ApproveApplication(
    grpc::ServerContext* context, const v1::ApproveApplicationRequest* request,
    v1::ApproveApplicationResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ApplicationService::service_full_name(), "ApproveApplication");
  if (!caller.ok()) return Fail(caller);
  const absl::CivilDay today = clock_();
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kApprove, request->decided_on(),
               "decided_on", request->note(), today);
  if (!step.ok()) return Fail(step);
  auto approved = store_->Approve(ActorOf(*caller), *step, today);
  if (!approved.ok()) return Fail(approved);
  *response->mutable_application() = std::move(approved->first);
  *response->mutable_enrolment() = std::move(approved->second);
  return grpc::Status::OK;
}

grpc::Status ApplicationServiceImpl::RejectApplication(grpc::ServerContext* context,
                                                       const v1::RejectApplicationRequest* request,
                                                       v1::RejectApplicationResponse* response) {
  absl::StatusOr<Caller> caller =
      AuthorizeCall(*context, v1::ApplicationService::service_full_name(), "RejectApplication");
  if (!caller.ok()) return Fail(caller);
  const absl::CivilDay today = clock_();
  if (request->reason().empty()) {
    return ToGrpcStatus(InvalidField("reason", "a rejection needs a written reason"));
  }
  absl::StatusOr<ApplicationStep> step =
      StepFrom(request->application_id(), ApplicationAction::kReject, request->decided_on(),
               "decided_on", request->reason(), today);
  if (!step.ok()) return Fail(step);
  auto app = store_->Step(ActorOf(*caller), *step, today);
  if (!app.ok()) return Fail(app);
  *response->mutable_application() = *std::move(app);
  return grpc::Status::OK;
}

}  // namespace civil::assistance
