// gRPC adapter of civil.exchange.v1.MoveOutService: batches of moves out of the county from
// public security, one result per record. No SQL here; the rules are move_out.h's.
#pragma once

#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/exchange/inbound_service.h"
#include "services/exchange/inbound_store.h"
#include "services/exchange/move_out_store.h"

namespace civil::exchange {

class MoveOutServiceImpl final : public v1::MoveOutService::Service {
 public:
  // None is owned.
  MoveOutServiceImpl(InboundStore* inbound, MoveOutStore* moves, InboundMetrics* metrics,
                     Clock clock)
      : inbound_(inbound), moves_(moves), metrics_(metrics), clock_(std::move(clock)) {}

  grpc::Status SubmitMovesOut(grpc::ServerContext* context,
                              const v1::SubmitMovesOutRequest* request,
                              v1::SubmitMovesOutResponse* response) override;

 private:
  InboundStore* inbound_;
  MoveOutStore* moves_;
  InboundMetrics* metrics_;
  Clock clock_;
};

}  // namespace civil::exchange
