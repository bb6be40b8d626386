#include "services/common/grievance_service.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/common/adapter.h"
#include "services/common/config.h"
#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/common/values.h"

namespace civil {
namespace {

namespace gv1 = grievance::v1;

constexpr char kList[] = "grievances";

}  // namespace

grpc::Status GrievanceServiceImpl::CreateGrievance(grpc::ServerContext* c,
                                                   const gv1::CreateGrievanceRequest* r,
                                                   gv1::CreateGrievanceResponse* out) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, CallerOf(*c, "CreateGrievance", r->department()));
    const absl::CivilDay today = clock_();
    NewGrievance g;
    if (r->kind() == gv1::GRIEVANCE_KIND_UNSPECIFIED || !gv1::GrievanceKind_IsValid(r->kind())) {
      return InvalidField("kind", "is required");
    }
    g.kind = static_cast<GrievanceKind>(static_cast<int>(r->kind()));
    CIVIL_ASSIGN_OR_RETURN(g.case_kind, BoundedText("case_kind", r->case_kind(), 40));
    CIVIL_ASSIGN_OR_RETURN(g.case_id, BoundedText("case_id", r->case_id(), 64));
    CIVIL_ASSIGN_OR_RETURN(g.complainant, BoundedText("complainant", r->complainant(), 100));
    CIVIL_ASSIGN_OR_RETURN(g.complainant_phone,
                           BoundedText("complainant_phone", r->complainant_phone(), 30, false));
    CIVIL_ASSIGN_OR_RETURN(g.category, BoundedText("category", r->category(), 100));
    CIVIL_ASSIGN_OR_RETURN(g.details,
                           BoundedText("details", r->details(), 4000, false, TextLines::kMany));
    CIVIL_ASSIGN_OR_RETURN(g.external_ref,
                           BoundedText("external_ref", r->external_ref(), 100, false));
    CIVIL_ASSIGN_OR_RETURN(g.received_on, EventDate("received_on", r->received_on(), today));
    CIVIL_ASSIGN_OR_RETURN(*out->mutable_grievance(), store_->Create(caller, g, today));
    return absl::OkStatus();
  });
}

grpc::Status GrievanceServiceImpl::GetGrievance(grpc::ServerContext* c,
                                                const gv1::GetGrievanceRequest* r,
                                                gv1::GetGrievanceResponse* out) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, CallerOf(*c, "GetGrievance", r->department()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("grievance_id", r->grievance_id()));
    CIVIL_ASSIGN_OR_RETURN(*out->mutable_grievance(),
                           store_->Get(caller, r->grievance_id(), clock_()));
    return absl::OkStatus();
  });
}

grpc::Status GrievanceServiceImpl::ListGrievances(grpc::ServerContext* c,
                                                  const gv1::ListGrievancesRequest* r,
                                                  gv1::ListGrievancesResponse* out) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, CallerOf(*c, "ListGrievances", r->department()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix, ScopedPrefix(caller, r->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(r->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after, DecodePageToken(kList, r->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(
        std::vector<gv1::Grievance> found,
        store_->List(prefix, r->open_only(), r->overdue_only(), after, size, &next, clock_()));
    for (gv1::Grievance& g : found) *out->add_grievances() = std::move(g);
    if (next > 0) out->set_next_page_token(EncodePageToken(kList, next));
    return absl::OkStatus();
  });
}

grpc::Status GrievanceServiceImpl::AssignGrievance(grpc::ServerContext* c,
                                                   const gv1::AssignGrievanceRequest* r,
                                                   gv1::AssignGrievanceResponse* out) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, CallerOf(*c, "AssignGrievance", r->department()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("grievance_id", r->grievance_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::string assignee, BoundedText("assignee", r->assignee(), 100));
    CIVIL_ASSIGN_OR_RETURN(*out->mutable_grievance(),
                           store_->Assign(caller, r->grievance_id(), assignee, clock_()));
    return absl::OkStatus();
  });
}

grpc::Status GrievanceServiceImpl::RespondGrievance(grpc::ServerContext* c,
                                                    const gv1::RespondGrievanceRequest* r,
                                                    gv1::RespondGrievanceResponse* out) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, CallerOf(*c, "RespondGrievance", r->department()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("grievance_id", r->grievance_id()));
    const absl::CivilDay today = clock_();
    CIVIL_ASSIGN_OR_RETURN(
        const std::string response,
        RequiredText("response", r->response(), 4000, "the answer to the complainant is required",
                     TextLines::kMany));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day,
                           EventDate("responded_on", r->responded_on(), today));
    CIVIL_ASSIGN_OR_RETURN(*out->mutable_grievance(),
                           store_->Respond(caller, r->grievance_id(), response, day, today));
    return absl::OkStatus();
  });
}

grpc::Status GrievanceServiceImpl::DecideGrievance(grpc::ServerContext* c,
                                                   const gv1::DecideGrievanceRequest* r,
                                                   gv1::DecideGrievanceResponse* out) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, CallerOf(*c, "DecideGrievance", r->department()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("grievance_id", r->grievance_id()));
    const absl::CivilDay today = clock_();
    if (r->outcome() == gv1::GRIEVANCE_OUTCOME_UNSPECIFIED ||
        !gv1::GrievanceOutcome_IsValid(r->outcome())) {
      return InvalidField("outcome", "is required (UPHELD, PARTLY_UPHELD or DISMISSED)");
    }
    CIVIL_ASSIGN_OR_RETURN(const std::string reason,
                           BoundedText("reason", r->reason(), 4000, false, TextLines::kMany));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day,
                           EventDate("decided_on", r->decided_on(), today));
    CIVIL_ASSIGN_OR_RETURN(
        *out->mutable_grievance(),
        store_->Decide(caller, r->grievance_id(),
                       static_cast<GrievanceOutcome>(static_cast<int>(r->outcome())), reason, day,
                       today));
    return absl::OkStatus();
  });
}

grpc::Status GrievanceServiceImpl::ConfirmGrievance(grpc::ServerContext* c,
                                                    const gv1::ConfirmGrievanceRequest* r,
                                                    gv1::ConfirmGrievanceResponse* out) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, CallerOf(*c, "ConfirmGrievance", r->department()));
    CIVIL_RETURN_IF_ERROR(RequireUuid("grievance_id", r->grievance_id()));
    CIVIL_ASSIGN_OR_RETURN(*out->mutable_grievance(),
                           store_->Confirm(caller, r->grievance_id(), clock_()));
    return absl::OkStatus();
  });
}

absl::StatusOr<Caller> GrievanceServiceImpl::CallerOf(const grpc::ServerContext& c,
                                                      absl::string_view method,
                                                      const std::string& department) const {
  CIVIL_ASSIGN_OR_RETURN(Caller caller, AuthorizeCall(c, gv1::GrievanceService::service_full_name(),
                                                      method, department_));
  if (department != department_) {
    return absl::NotFoundError(
        absl::StrCat("department: this is ", department_, "'s grievances, not ", department, "'s"));
  }
  return caller;
}

absl::StatusOr<GrievanceDeadlines> LoadGrievanceDeadlines() {
  EnvReader env;
  const std::string text = env.String("CIVIL_GRIEVANCE_DEADLINES", "");
  return GrievanceDeadlines::Parse("CIVIL_GRIEVANCE_DEADLINES", text);
}

absl::StatusOr<GrievanceStore*> StartGrievances(Department& d,
                                                std::vector<GrievanceCaseKind> cases) {
  CIVIL_ASSIGN_OR_RETURN(const GrievanceDeadlines deadlines, LoadGrievanceDeadlines());
  auto& store =
      d.Make<GrievanceStore>(d.name(), &d.pool(), std::move(cases), deadlines, &d.registry());
  CIVIL_RETURN_IF_ERROR(store.LoadCalendar());
  store.StartRefresh(d.clock(), 60);
  d.OnShutdown([&store] { store.StopRefresh(); });
  return &store;
}

absl::StatusOr<GrievanceStore*> ServeGrievances(Department& d,
                                                std::vector<GrievanceCaseKind> cases) {
  CIVIL_ASSIGN_OR_RETURN(GrievanceStore * store, StartGrievances(d, std::move(cases)));
  d.Serve<GrievanceServiceImpl>(gv1::GrievanceService::service_full_name(), d.name(), store,
                                d.clock());
  return store;
}

}  // namespace civil
