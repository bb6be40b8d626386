// gRPC adapter of civil.exchange.v1.DeathNoticeService: batches of death notices from public
// security and health, one result per record, and the conflicts for a reviewer. No SQL here;
// the rules are death_notice.h's.
#pragma once

#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/exchange/death_notice_store.h"
#include "services/exchange/inbound_service.h"
#include "services/exchange/inbound_store.h"

namespace civil::exchange {

class DeathNoticeServiceImpl final : public v1::DeathNoticeService::Service {
 public:
  // None is owned.
  DeathNoticeServiceImpl(InboundStore* inbound, DeathNoticeStore* notices, InboundMetrics* metrics,
                         Clock clock)
      : inbound_(inbound), notices_(notices), metrics_(metrics), clock_(std::move(clock)) {}

  grpc::Status SubmitDeathNotices(grpc::ServerContext* context,
                                  const v1::SubmitDeathNoticesRequest* request,
                                  v1::SubmitDeathNoticesResponse* response) override;
  grpc::Status ListConflicts(grpc::ServerContext* context, const v1::ListConflictsRequest* request,
                             v1::ListConflictsResponse* response) override;
  grpc::Status SettleConflict(grpc::ServerContext* context,
                              const v1::SettleConflictRequest* request,
                              v1::SettleConflictResponse* response) override;

 private:
  InboundStore* inbound_;
  DeathNoticeStore* notices_;
  InboundMetrics* metrics_;
  Clock clock_;
};

}  // namespace civil::exchange
