// gRPC adapter of civil.exchange.v1.MonitoringObjectService: batches of poverty-return
// monitoring objects from rural revitalisation (one result per record), the candidates listed
// for assistance's township clerks, and their check recorded once. No SQL here; the rules are
// monitoring.h's.
#pragma once

#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/exchange/inbound_service.h"
#include "services/exchange/inbound_store.h"
#include "services/exchange/monitoring_store.h"

namespace civil::exchange {

class MonitoringServiceImpl final : public v1::MonitoringObjectService::Service {
 public:
  // None is owned.
  MonitoringServiceImpl(InboundStore* inbound, MonitoringStore* monitoring, InboundMetrics* metrics,
                        Clock clock)
      : inbound_(inbound), monitoring_(monitoring), metrics_(metrics), clock_(std::move(clock)) {}

  grpc::Status SubmitMonitoringObjects(grpc::ServerContext* context,
                                       const v1::SubmitMonitoringObjectsRequest* request,
                                       v1::SubmitMonitoringObjectsResponse* response) override;
  grpc::Status ListMonitoringCandidates(grpc::ServerContext* context,
                                        const v1::ListMonitoringCandidatesRequest* request,
                                        v1::ListMonitoringCandidatesResponse* response) override;
  grpc::Status RecordMonitoringCheck(grpc::ServerContext* context,
                                     const v1::RecordMonitoringCheckRequest* request,
                                     v1::RecordMonitoringCheckResponse* response) override;

 private:
  InboundStore* inbound_;
  MonitoringStore* monitoring_;
  InboundMetrics* metrics_;
  Clock clock_;
};

}  // namespace civil::exchange
