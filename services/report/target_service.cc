#include "services/report/target_service.h"

#include "services/common/errors.h"
#include "services/report/work_summary_service.h"

namespace civil::report {

constexpr absl::string_view kService = "civil.report.v1.TargetService";

namespace {

// A new target's region: the one asked for (within the caller's scope), else the caller's own;
// a caller whose scope is everything must name one.
absl::StatusOr<std::string> TargetRegion(const Caller& caller, const std::string& requested) {
  CIVIL_ASSIGN_OR_RETURN(std::string prefix, ScopedPrefix(caller, requested));
  if (prefix.empty()) return InvalidField("region_prefix", "is required for a county-wide caller");
  return prefix;
}

}  // namespace

TargetServiceImpl::TargetServiceImpl(TargetStore* targets) : targets_(targets) {}

grpc::Status TargetServiceImpl::CreateTarget(grpc::ServerContext* context,
                                             const v1::CreateTargetRequest* request,
                                             v1::CreateTargetResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "CreateTarget"));
    CIVIL_ASSIGN_OR_RETURN(std::string region, TargetRegion(caller, request->region_prefix()));
    const TargetInput input{request->department(), request->measure(),  request->description(),
                            request->unit(),       request->due_date(), request->owner(),
                            request->planned()};
    CIVIL_ASSIGN_OR_RETURN(const Target target, NewTarget(input, std::move(region)));
    CIVIL_ASSIGN_OR_RETURN(const Target stored, targets_->Create(target, caller.subject));
    ToProto(stored, response->mutable_target());
    return absl::OkStatus();
  });
}

grpc::Status TargetServiceImpl::UpdateTarget(grpc::ServerContext* context,
                                             const v1::UpdateTargetRequest* request,
                                             v1::UpdateTargetResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "UpdateTarget"));
    CIVIL_ASSIGN_OR_RETURN(const std::string scope, ScopedPrefix(caller, ""));
    CIVIL_ASSIGN_OR_RETURN(Target current, targets_->Get(request->target_id(), scope));
    TargetInput change;
    change.description = request->description();
    change.planned = request->planned();
    change.due_date = request->due_date();
    change.owner = request->owner();
    CIVIL_ASSIGN_OR_RETURN(const Target changed, ChangedTarget(std::move(current), change));
    CIVIL_ASSIGN_OR_RETURN(const Target stored, targets_->Update(changed, caller.subject));
    ToProto(stored, response->mutable_target());
    return absl::OkStatus();
  });
}

grpc::Status TargetServiceImpl::DeleteTarget(grpc::ServerContext* context,
                                             const v1::DeleteTargetRequest* request,
                                             v1::DeleteTargetResponse* /*response*/) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "DeleteTarget"));
    CIVIL_ASSIGN_OR_RETURN(const std::string scope, ScopedPrefix(caller, ""));
    return targets_->Delete(request->target_id(), scope);
  });
}

grpc::Status TargetServiceImpl::ListTargets(grpc::ServerContext* context,
                                            const v1::ListTargetsRequest* request,
                                            v1::ListTargetsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller, AuthorizeCall(*context, kService, "ListTargets"));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    if (!request->department().empty() && !IsDepartment(request->department())) {
      return InvalidField("department", "is not one of the bureau's departments");
    }
    CIVIL_ASSIGN_OR_RETURN(const std::vector<Target> targets,
                           targets_->List(prefix, request->department()));
    for (const Target& t : targets) ToProto(t, response->add_targets());
    return absl::OkStatus();
  });
}

}  // namespace civil::report
