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

constexpr absl::string_view kService = "civil.assistance.v1.ApplicationService";

grpc::Status ApplicationServiceImpl::CreateApplication(grpc::ServerContext* context,
                                                       const v1::CreateApplicationRequest* request,
                                                       v1::CreateApplicationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateApplication"));
    CIVIL_ASSIGN_OR_RETURN(Programme programme,
                           ProgrammeFromNumber(request->programme(), "programme"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("household_id", request->household_id()));
    if (IsHouseholdProgramme(programme)) {
      if (!request->member_id().empty()) {
        return InvalidField("member_id", "must be empty: this programme is granted per household");
      }
    } else {
      CIVIL_RETURN_IF_ERROR(RequireUuid("member_id", request->member_id()));
    }
    if (programme == Programme::kTekun && request->care_mode() != v1::CARE_MODE_CENTRALISED &&
        request->care_mode() != v1::CARE_MODE_DISPERSED) {
      return InvalidField("care_mode", "特困 needs CARE_MODE_CENTRALISED or CARE_MODE_DISPERSED");
    }
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on,
                           EventDate("submitted_on", request->submitted_on(), today));
    CIVIL_ASSIGN_OR_RETURN(auto created,
                           store_->Create(ActorOf(caller), programme, request->household_id(),
                                          request->member_id(), request->care_mode(), on, today));
    *response->mutable_application() = std::move(created);
    return absl::OkStatus();
  });
}

grpc::Status ApplicationServiceImpl::GetApplication(grpc::ServerContext* context,
                                                    const v1::GetApplicationRequest* request,
                                                    v1::GetApplicationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "GetApplication"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("application_id", request->application_id()));
    CIVIL_ASSIGN_OR_RETURN(auto app, store_->Get(ActorOf(caller), request->application_id()));
    *response->mutable_application() = std::move(app);
    return absl::OkStatus();
  });
}

grpc::Status ApplicationServiceImpl::ListApplications(grpc::ServerContext* context,
                                                      const v1::ListApplicationsRequest* request,
                                                      v1::ListApplicationsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListApplications"));
    CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, request->region_prefix()));
    std::string status_name;
    if (request->status() != 0) {
      if (request->status() < 1 || request->status() > 5) {
        return InvalidField("status", "unknown status");
      }
      status_name =
          std::string(ApplicationStatusName(static_cast<ApplicationStatus>(request->status())));
    }
    if (request->programme() != 0) {
      CIVIL_RETURN_IF_ERROR(ProgrammeFromNumber(request->programme(), "programme").status());
    }
    CIVIL_ASSIGN_OR_RETURN(int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(int64_t after, DecodePageToken("applications", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(
        auto list, store_->List(prefix, status_name, request->programme(), after, size, &next));
    for (auto& a : list) *response->add_applications() = std::move(a);
    if (next > 0) response->set_next_page_token(EncodePageToken("applications", next));
    return absl::OkStatus();
  });
}

namespace {

// Validates the common part of a workflow step.
absl::StatusOr<ApplicationStep> StepFrom(const std::string& application_id,
                                         ApplicationAction action, const std::string& date,
                                         absl::string_view date_field, const std::string& note,
                                         absl::CivilDay today) {
  CIVIL_RETURN_IF_ERROR(RequireUuid("application_id", application_id));
  CIVIL_ASSIGN_OR_RETURN(absl::CivilDay on, EventDate(date_field, date, today));
  CIVIL_RETURN_IF_ERROR(BoundedText("note", note, 4000, false, TextLines::kMany).status());
  ApplicationStep step;
  step.application_id = application_id;
  step.action = action;
  step.happened_on = on;
  step.note = note;
  return step;
}

}  // namespace

grpc::Status ApplicationServiceImpl::InvestigateApplication(
    grpc::ServerContext* context, const v1::InvestigateApplicationRequest* request,
    v1::InvestigateApplicationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "InvestigateApplication"));
    const absl::CivilDay today = clock_();
    if (request->household_monthly_income_fen() < 0) {
      return InvalidField("household_monthly_income_fen", "must not be negative");
    }
    CIVIL_ASSIGN_OR_RETURN(
        ApplicationStep step,
        StepFrom(request->application_id(), ApplicationAction::kInvestigate,
                 request->investigated_on(), "investigated_on", request->visit_note(), today));
    step.income_fen = request->household_monthly_income_fen();
    step.assets_ok = request->assets_within_limits();
    for (int i = 0; i < request->circumstances_size(); ++i) {
      CIVIL_RETURN_IF_ERROR(RequireUuid(absl::StrCat("circumstances[", i, "].member_id"),
                                        request->circumstances(i).member_id()));
      step.circumstances.push_back(request->circumstances(i));
    }
    if (request->has_tekun_grounds()) {
      const v1::TekunGrounds& g = request->tekun_grounds();
      CIVIL_ASSIGN_OR_RETURN(TekunCategory category,
                             TekunCategoryFromNumber(g.category(), "tekun_grounds.category"));
      step.tekun_grounds =
          TekunGrounds{category, g.no_work_capacity(), g.no_income(), g.no_supporter()};
    }
    if (request->has_rigid_expenses()) {
      const v1::RigidExpenses& e = request->rigid_expenses();
      const RigidExpenses expenses{Money::Fen(e.medical_fen()), Money::Fen(e.education_fen())};
      CIVIL_RETURN_IF_ERROR(CheckRigidExpenses(expenses, "rigid_expenses"));
      step.rigid_expenses = expenses;
    }
    CIVIL_ASSIGN_OR_RETURN(auto app, store_->Step(ActorOf(caller), step, today));
    *response->mutable_application() = std::move(app);
    return absl::OkStatus();
  });
}

grpc::Status ApplicationServiceImpl::PublishApplication(
    grpc::ServerContext* context, const v1::PublishApplicationRequest* request,
    v1::PublishApplicationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "PublishApplication"));
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(ApplicationStep step,
                           StepFrom(request->application_id(), ApplicationAction::kPublish,
                                    request->notice_start(), "notice_start", "", today));
    CIVIL_ASSIGN_OR_RETURN(auto app, store_->Step(ActorOf(caller), step, today));
    *response->mutable_application() = std::move(app);
    return absl::OkStatus();
  });
}

grpc::Status ApplicationServiceImpl::RecordObjection(grpc::ServerContext* context,
                                                     const v1::RecordObjectionRequest* request,
                                                     v1::RecordObjectionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RecordObjection"));
    const absl::CivilDay today = clock_();
    if (request->note().empty()) {
      return InvalidField("note", "describe the objection");
    }
    CIVIL_ASSIGN_OR_RETURN(ApplicationStep step,
                           StepFrom(request->application_id(), ApplicationAction::kObject,
                                    request->raised_on(), "raised_on", request->note(), today));
    CIVIL_ASSIGN_OR_RETURN(auto app, store_->Step(ActorOf(caller), step, today));
    *response->mutable_application() = std::move(app);
    return absl::OkStatus();
  });
}

grpc::Status ApplicationServiceImpl::ApproveApplication(
    grpc::ServerContext* context, const v1::ApproveApplicationRequest* request,
    v1::ApproveApplicationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ApproveApplication"));
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(ApplicationStep step,
                           StepFrom(request->application_id(), ApplicationAction::kApprove,
                                    request->decided_on(), "decided_on", request->note(), today));
    CIVIL_ASSIGN_OR_RETURN(auto approved, store_->Approve(ActorOf(caller), step, today));
    *response->mutable_application() = std::move(approved.first);
    *response->mutable_enrolment() = std::move(approved.second);
    return absl::OkStatus();
  });
}

grpc::Status ApplicationServiceImpl::RejectApplication(grpc::ServerContext* context,
                                                       const v1::RejectApplicationRequest* request,
                                                       v1::RejectApplicationResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RejectApplication"));
    const absl::CivilDay today = clock_();
    if (request->reason().empty()) {
      return InvalidField("reason", "a rejection needs a written reason");
    }
    CIVIL_ASSIGN_OR_RETURN(ApplicationStep step,
                           StepFrom(request->application_id(), ApplicationAction::kReject,
                                    request->decided_on(), "decided_on", request->reason(), today));
    CIVIL_ASSIGN_OR_RETURN(auto app, store_->Step(ActorOf(caller), step, today));
    *response->mutable_application() = std::move(app);
    return absl::OkStatus();
  });
}

}  // namespace civil::assistance
