#include "services/socialorg/branch_service.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/id_number.h"

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
