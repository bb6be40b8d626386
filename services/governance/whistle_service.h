// gRPC adapter of civil.governance.v1.WhistleService: "community whistle, departments report"
// items. Authorisation and region scope, request validation (whistle.h), proto ⇄ domain and
// status mapping. No SQL here (WhistleStore).
#pragma once

#include "civil/governance/v1/whistle.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/whistle_store.h"

namespace civil::governance {

class WhistleServiceImpl final : public v1::WhistleService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  WhistleServiceImpl(WhistleStore* store, Clock today);

  grpc::Status BlowWhistle(grpc::ServerContext* context, const v1::BlowWhistleRequest* request,
                           v1::BlowWhistleResponse* response) override;
  grpc::Status AnswerWhistle(grpc::ServerContext* context, const v1::AnswerWhistleRequest* request,
                             v1::AnswerWhistleResponse* response) override;
  grpc::Status ListOverdueWhistles(grpc::ServerContext* context,
                                   const v1::ListOverdueWhistlesRequest* request,
                                   v1::ListOverdueWhistlesResponse* response) override;

 private:
  WhistleStore* store_;
  Clock today_;
};

}  // namespace civil::governance
