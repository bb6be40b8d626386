// gRPC adapter of mutual aid (MutualAidService): authorises the caller against the contract's
// access rule, validates the request naming the field, calls its store and maps the status once.
#pragma once

#include <string>
#include <vector>

#include "civil/assistance/v1/relief.grpc.pb.h"
#include "services/assistance/mutual_aid_store.h"
#include "services/common/clock.h"

namespace civil::assistance {

class MutualAidServiceImpl final : public v1::MutualAidService::Service {
 public:
  explicit MutualAidServiceImpl(MutualAidStore* store, Clock clock = SystemClock())
      : store_(store), clock_(std::move(clock)) {}
  grpc::Status RegisterSociety(grpc::ServerContext* context,
                               const v1::RegisterSocietyRequest* request,
                               v1::RegisterSocietyResponse* response) override;
  grpc::Status ListSocieties(grpc::ServerContext* context, const v1::ListSocietiesRequest* request,
                             v1::ListSocietiesResponse* response) override;
  grpc::Status RecordMutualAidCase(grpc::ServerContext* context,
                                   const v1::RecordMutualAidCaseRequest* request,
                                   v1::RecordMutualAidCaseResponse* response) override;
  grpc::Status ListMutualAidCases(grpc::ServerContext* context,
                                  const v1::ListMutualAidCasesRequest* request,
                                  v1::ListMutualAidCasesResponse* response) override;
  grpc::Status GetMutualAidCoverage(grpc::ServerContext* context,
                                    const v1::GetMutualAidCoverageRequest* request,
                                    v1::GetMutualAidCoverageResponse* response) override;

 private:
  MutualAidStore* store_;
  Clock clock_;
};

}  // namespace civil::assistance
