// gRPC adapter of outreach (OutreachService): authorises the caller against the contract's access
// rule, validates the request naming the field, calls its store and maps the status once.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/outreach_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class OutreachServiceImpl final : public v1::OutreachService::Service {
 public:
  explicit OutreachServiceImpl(OutreachStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status RecordVisit(grpc::ServerContext* context, const v1::RecordVisitRequest* request,
                           v1::RecordVisitResponse* response) override;
  grpc::Status ListVisits(grpc::ServerContext* context, const v1::ListVisitsRequest* request,
                          v1::ListVisitsResponse* response) override;
  grpc::Status ResolveDemand(grpc::ServerContext* context, const v1::ResolveDemandRequest* request,
                             v1::ResolveDemandResponse* response) override;
  grpc::Status CreateHealthCheckBatch(grpc::ServerContext* context,
                                      const v1::CreateHealthCheckBatchRequest* request,
                                      v1::CreateHealthCheckBatchResponse* response) override;
  grpc::Status RecordHealthCheck(grpc::ServerContext* context,
                                 const v1::RecordHealthCheckRequest* request,
                                 v1::RecordHealthCheckResponse* response) override;
  grpc::Status ListHealthChecks(grpc::ServerContext* context,
                                const v1::ListHealthChecksRequest* request,
                                v1::ListHealthChecksResponse* response) override;

 private:
  OutreachStore* store_;
  Clock clock_;
};

}  // namespace civil::assistance
