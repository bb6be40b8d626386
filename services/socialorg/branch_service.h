// gRPC adapter of civil.socialorg.v1.BranchService: branches per organisation and their
// closures, the counts; authorisation,
// region scope, request → branch.h values. No SQL here.
#pragma once

#include "civil/socialorg/v1/branches.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/branch_store.h"

namespace civil::socialorg {

class BranchServiceImpl final : public v1::BranchService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  BranchServiceImpl(BranchStore* store, Clock today);

  grpc::Status RecordBranch(grpc::ServerContext* context, const v1::RecordBranchRequest* request,
                            v1::RecordBranchResponse* response) override;
  grpc::Status FileBranchClosure(grpc::ServerContext* context,
                                 const v1::FileBranchClosureRequest* request,
                                 v1::FileBranchClosureResponse* response) override;
  grpc::Status ApproveBranchClosure(grpc::ServerContext* context,
                                    const v1::ApproveBranchClosureRequest* request,
                                    v1::ApproveBranchClosureResponse* response) override;
  grpc::Status RejectBranchClosure(grpc::ServerContext* context,
                                   const v1::RejectBranchClosureRequest* request,
                                   v1::RejectBranchClosureResponse* response) override;
  grpc::Status CountBranches(grpc::ServerContext* context, const v1::CountBranchesRequest* request,
                             v1::CountBranchesResponse* response) override;
  grpc::Status ListBranches(grpc::ServerContext* context, const v1::ListBranchesRequest* request,
                            v1::ListBranchesResponse* response) override;

 private:
  BranchStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg
