// gRPC adapter of audits (AuditService): authorises the caller against the contract's access rule,
// validates the request naming the field, calls its store and maps the status once.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/audit_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  explicit AuditServiceImpl(AuditStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status RunAudit(grpc::ServerContext* context, const v1::RunAuditRequest* request,
                        v1::RunAuditResponse* response) override;
  grpc::Status ListFindings(grpc::ServerContext* context, const v1::ListFindingsRequest* request,
                            v1::ListFindingsResponse* response) override;
  grpc::Status ConfirmFinding(grpc::ServerContext* context,
                              const v1::ConfirmFindingRequest* request,
                              v1::ConfirmFindingResponse* response) override;
  grpc::Status DismissFinding(grpc::ServerContext* context,
                              const v1::DismissFindingRequest* request,
                              v1::DismissFindingResponse* response) override;

 private:
  AuditStore* store_;
  Clock clock_;
};

}  // namespace civil::assistance
