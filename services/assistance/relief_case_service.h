// gRPC adapter of 临时救助 (TemporaryReliefService): authorises the caller against the contract's
// access rule, validates the request naming the field, calls its store and maps the status once.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/relief_case_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class TemporaryReliefServiceImpl final : public v1::TemporaryReliefService::Service {
 public:
  explicit TemporaryReliefServiceImpl(ReliefCaseStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status CreateReliefCase(grpc::ServerContext* context,
                                const v1::CreateReliefCaseRequest* request,
                                v1::CreateReliefCaseResponse* response) override;
  grpc::Status GetReliefCase(grpc::ServerContext* context, const v1::GetReliefCaseRequest* request,
                             v1::GetReliefCaseResponse* response) override;
  grpc::Status ListReliefCases(grpc::ServerContext* context,
                               const v1::ListReliefCasesRequest* request,
                               v1::ListReliefCasesResponse* response) override;
  grpc::Status ApproveReliefCase(grpc::ServerContext* context,
                                 const v1::ApproveReliefCaseRequest* request,
                                 v1::ApproveReliefCaseResponse* response) override;
  grpc::Status RejectReliefCase(grpc::ServerContext* context,
                                const v1::RejectReliefCaseRequest* request,
                                v1::RejectReliefCaseResponse* response) override;
  grpc::Status PayReliefCase(grpc::ServerContext* context, const v1::PayReliefCaseRequest* request,
                             v1::PayReliefCaseResponse* response) override;
  grpc::Status ListOverdueReliefCases(grpc::ServerContext* context,
                                      const v1::ListOverdueReliefCasesRequest* request,
                                      v1::ListOverdueReliefCasesResponse* response) override;

 private:
  ReliefCaseStore* store_;
  Clock clock_;
};

}  // namespace civil::assistance
