// gRPC adapter of civil.affairs.v1.VagrantReliefService: authorisation and region scope, request
// validation (relief.h), proto ⇄ domain and status mapping. No SQL here (ReliefStore).
#pragma once

#include "civil/affairs/v1/relief.grpc.pb.h"
#include "services/affairs/relief_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"

namespace civil::affairs {

class ReliefServiceImpl final : public v1::VagrantReliefService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  ReliefServiceImpl(ReliefStore* store, Clock today);

  grpc::Status OpenReliefCase(grpc::ServerContext* context,
                              const v1::OpenReliefCaseRequest* request,
                              v1::OpenReliefCaseResponse* response) override;
  grpc::Status GetReliefCase(grpc::ServerContext* context, const v1::GetReliefCaseRequest* request,
                             v1::GetReliefCaseResponse* response) override;
  grpc::Status CloseReliefCase(grpc::ServerContext* context,
                               const v1::CloseReliefCaseRequest* request,
                               v1::CloseReliefCaseResponse* response) override;
  grpc::Status ListReliefCases(grpc::ServerContext* context,
                               const v1::ListReliefCasesRequest* request,
                               v1::ListReliefCasesResponse* response) override;
  grpc::Status RecordReliefCampaign(grpc::ServerContext* context,
                                    const v1::RecordReliefCampaignRequest* request,
                                    v1::RecordReliefCampaignResponse* response) override;
  grpc::Status ListReliefCampaigns(grpc::ServerContext* context,
                                   const v1::ListReliefCampaignsRequest* request,
                                   v1::ListReliefCampaignsResponse* response) override;

 private:
  ReliefStore* store_;
  Clock today_;
};

}  // namespace civil::affairs
