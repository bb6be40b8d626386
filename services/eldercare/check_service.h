// gRPC adapter of civil.eldercare.v1.EldercareCheckService: a person's eldercare allowances for
// another department's system (the exchange's registry search). No SQL here.
#pragma once

#include "civil/eldercare/v1/allowance.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/pii.h"
#include "services/eldercare/check_store.h"

namespace civil::eldercare {

class EldercareCheckServiceImpl final : public v1::EldercareCheckService::Service {
 public:
  // None is owned.
  EldercareCheckServiceImpl(CheckStore* store, const PiiProtector* pii, Clock clock)
      : store_(store), pii_(pii), clock_(std::move(clock)) {}

  grpc::Status CheckEldercare(grpc::ServerContext* context,
                              const v1::CheckEldercareRequest* request,
                              v1::CheckEldercareResponse* response) override;

 private:
  CheckStore* store_;
  const PiiProtector* pii_;
  Clock clock_;
};

}  // namespace civil::eldercare
