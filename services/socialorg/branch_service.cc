#include "services/socialorg/branch_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::socialorg {
namespace {

constexpr absl::string_view kService = "civil.socialorg.v1.BranchService";

void ToProto(const BranchRecord& r, v1::Branch* out) {
  out->set_branch_id(r.branch_id);
  out->set_organisation_id(r.organisation_id);
  out->set_name(r.branch.name);
  out->set_principal(r.branch.principal);
  out->set_scope(r.branch.scope);
  out->set_established_date(FormatDay(r.branch.established_on));
  out->set_recorded_by(r.recorded_by);
  out->set_status(static_cast<v1::BranchStatus>(r.status));
  if (r.closed_on) out->set_closed_date(FormatDay(*r.closed_on));
  out->set_deregistration_event_id(r.deregistration_event_id);
}

void ToProto(const ClosureRecord& c, v1::BranchClosure* out) {
  out->set_closure_id(c.closure_id);
  out->set_branch_id(c.branch_id);
  out->set_organisation_id(c.organisation_id);
  out->set_closure_date(FormatDay(c.closure.closed_on));
  for (const std::string& d : c.closure.documents) out->add_documents(d);
  out->set_reason(c.closure.reason);
  out->set_status(static_cast<v1::EventStatus>(c.status));
  out->set_recorded_by(c.recorded_by);
  out->set_decided_by(c.decided_by);
  if (c.decided_on) out->set_decision_date(FormatDay(*c.decided_on));
  out->set_decision_reason(c.decision_reason);
  out->set_deregistration_event_id(c.deregistration_event_id);
}

}  // namespace

BranchServiceImpl::BranchServiceImpl(BranchStore* store, Clock today)
    : store_(store), today_(std::move(today)) {}

grpc::Status BranchServiceImpl::RecordBranch(grpc::ServerContext* context,
                                             const v1::RecordBranchRequest* request,
                                             v1::RecordBranchResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "RecordBranch"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const Branch branch,
                           ValidateBranch(request->name(), request->principal(), request->scope(),
                                          request->established_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const BranchRecord recorded,
        store_->Record(request->organisation_id(), branch, caller.subject, RegionCheck(caller)));
    ToProto(recorded, response->mutable_branch());
    return absl::OkStatus();
  });
}

grpc::Status BranchServiceImpl::FileBranchClosure(grpc::ServerContext* context,
                                                  const v1::FileBranchClosureRequest* request,
                                                  v1::FileBranchClosureResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "FileBranchClosure"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("branch_id", request->branch_id()));
    const std::vector<std::string> documents(request->documents().begin(),
                                             request->documents().end());
    CIVIL_ASSIGN_OR_RETURN(
        const BranchClosure closure,
        ValidateBranchClosure(request->closure_date(), documents, request->reason(), today_()));
    CIVIL_ASSIGN_OR_RETURN(
        const ClosureResult result,
        store_->FileClosure(request->branch_id(), closure, caller.subject, RegionCheck(caller)));
    ToProto(result.closure, response->mutable_closure());
    ToProto(result.branch, response->mutable_branch());
    return absl::OkStatus();
  });
}

grpc::Status BranchServiceImpl::ApproveBranchClosure(grpc::ServerContext* context,
                                                     const v1::ApproveBranchClosureRequest* request,
                                                     v1::ApproveBranchClosureResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ApproveBranchClosure"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("closure_id", request->closure_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const ClosureResult result,
                           store_->DecideClosure(request->closure_id(), true, caller.subject, on,
                                                 "", RegionCheck(caller)));
    ToProto(result.closure, response->mutable_closure());
    ToProto(result.branch, response->mutable_branch());
    return absl::OkStatus();
  });
}

grpc::Status BranchServiceImpl::RejectBranchClosure(grpc::ServerContext* context,
                                                    const v1::RejectBranchClosureRequest* request,
                                                    v1::RejectBranchClosureResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "RejectBranchClosure"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("closure_id", request->closure_id()));
    CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay on,
                           EventDate("decision_date", request->decision_date(), today_()));
    CIVIL_ASSIGN_OR_RETURN(const std::string reason,
                           RequiredText("reason", request->reason(), 500,
                                        "a rejection needs a written reason", TextLines::kMany));
    CIVIL_ASSIGN_OR_RETURN(const ClosureResult result,
                           store_->DecideClosure(request->closure_id(), false, caller.subject, on,
                                                 reason, RegionCheck(caller)));
    ToProto(result.closure, response->mutable_closure());
    ToProto(result.branch, response->mutable_branch());
    return absl::OkStatus();
  });
}

grpc::Status BranchServiceImpl::CountBranches(grpc::ServerContext* context,
                                              const v1::CountBranchesRequest* request,
                                              v1::CountBranchesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CountBranches"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    CIVIL_ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> day,
                           OptionalDate("as_of", request->as_of()));
    const absl::CivilDay as_of = day ? *day : today_();
    CIVIL_ASSIGN_OR_RETURN(const BranchCounts counts, store_->Count(prefix, as_of));
    response->set_as_of(FormatDay(as_of));
    response->set_established(counts.established);
    response->set_open(counts.open);
    response->set_closed(counts.closed);
    return absl::OkStatus();
  });
}

grpc::Status BranchServiceImpl::ListBranches(grpc::ServerContext* context,
                                             const v1::ListBranchesRequest* request,
                                             v1::ListBranchesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListBranches"));
    CIVIL_RETURN_IF_ERROR(RequireUuid("organisation_id", request->organisation_id()));
    CIVIL_ASSIGN_OR_RETURN(const std::vector<BranchRecord> records,
                           store_->Of(request->organisation_id(), RegionCheck(caller)));
    for (const BranchRecord& r : records) ToProto(r, response->add_branches());
    return absl::OkStatus();
  });
}

}  // namespace civil::socialorg
