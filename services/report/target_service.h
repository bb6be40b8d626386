// gRPC adapter of civil.report.v1.TargetService: the targets of 下半年工作安排, within the
// caller's region. No SQL here; the rules are target.h's.
#pragma once

#include "civil/report/v1/report.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/report/target_store.h"

namespace civil::report {

class TargetServiceImpl final : public v1::TargetService::Service {
 public:
  // `targets` is not owned.
  explicit TargetServiceImpl(TargetStore* targets);

  grpc::Status CreateTarget(grpc::ServerContext* context, const v1::CreateTargetRequest* request,
                            v1::CreateTargetResponse* response) override;
  grpc::Status UpdateTarget(grpc::ServerContext* context, const v1::UpdateTargetRequest* request,
                            v1::UpdateTargetResponse* response) override;
  grpc::Status DeleteTarget(grpc::ServerContext* context, const v1::DeleteTargetRequest* request,
                            v1::DeleteTargetResponse* response) override;
  grpc::Status ListTargets(grpc::ServerContext* context, const v1::ListTargetsRequest* request,
                           v1::ListTargetsResponse* response) override;

 private:
  TargetStore* targets_;
};

}  // namespace civil::report
