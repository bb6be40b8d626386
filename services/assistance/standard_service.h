// gRPC adapter of StandardService: set and list benefit standards.
#pragma once

#include "civil/assistance/v1/programme.grpc.pb.h"
#include "services/assistance/standard_store.h"

namespace civil::assistance {

class StandardServiceImpl final : public v1::StandardService::Service {
 public:
  explicit StandardServiceImpl(StandardStore* store) : store_(store) {}
  grpc::Status SetStandard(grpc::ServerContext* context, const v1::SetStandardRequest* request,
                           v1::SetStandardResponse* response) override;
  grpc::Status ListStandards(grpc::ServerContext* context, const v1::ListStandardsRequest* request,
                             v1::ListStandardsResponse* response) override;

 private:
  StandardStore* store_;
};

}  // namespace civil::assistance
