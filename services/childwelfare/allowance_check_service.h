// gRPC adapter of civil.childwelfare.v1.ChildAllowanceCheckService: a person's child allowances
// for another department's system (the exchange's registry search). No SQL here.
#pragma once

#include "civil/childwelfare/v1/child.grpc.pb.h"
#include "services/childwelfare/allowance_check_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/pii.h"

namespace civil::childwelfare {

class AllowanceCheckServiceImpl final : public v1::ChildAllowanceCheckService::Service {
 public:
  // None is owned.
  AllowanceCheckServiceImpl(AllowanceCheckStore* store, const PiiProtector* pii, Clock clock)
      : store_(store), pii_(pii), clock_(std::move(clock)) {}

  grpc::Status CheckChildAllowances(grpc::ServerContext* context,
                                    const v1::CheckChildAllowancesRequest* request,
                                    v1::CheckChildAllowancesResponse* response) override;

 private:
  AllowanceCheckStore* store_;
  const PiiProtector* pii_;
  Clock clock_;
};

}  // namespace civil::childwelfare
