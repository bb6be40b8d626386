// gRPC adapter of civil.affairs.v1.MarriageService: authorisation and region scope, request
// validation (marriage.h), divorce states computed for the date asked, proto ⇄ domain and status
// mapping. No SQL here (MarriageStore) and no rules.
#pragma once

#include "civil/affairs/v1/marriage.grpc.pb.h"
#include "services/affairs/marriage_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"

namespace civil::affairs {

class MarriageServiceImpl final : public v1::MarriageService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  MarriageServiceImpl(MarriageStore* store, Clock today);

  grpc::Status RegisterMarriage(grpc::ServerContext* context,
                                const v1::RegisterMarriageRequest* request,
                                v1::RegisterMarriageResponse* response) override;
  grpc::Status GetMarriage(grpc::ServerContext* context, const v1::GetMarriageRequest* request,
                           v1::GetMarriageResponse* response) override;
  grpc::Status ApplyDivorce(grpc::ServerContext* context, const v1::ApplyDivorceRequest* request,
                            v1::ApplyDivorceResponse* response) override;
  grpc::Status GetDivorceApplication(grpc::ServerContext* context,
                                     const v1::GetDivorceApplicationRequest* request,
                                     v1::GetDivorceApplicationResponse* response) override;
  grpc::Status ListDivorceApplications(grpc::ServerContext* context,
                                       const v1::ListDivorceApplicationsRequest* request,
                                       v1::ListDivorceApplicationsResponse* response) override;
  grpc::Status WithdrawDivorce(grpc::ServerContext* context,
                               const v1::WithdrawDivorceRequest* request,
                               v1::WithdrawDivorceResponse* response) override;
  grpc::Status CompleteDivorce(grpc::ServerContext* context,
                               const v1::CompleteDivorceRequest* request,
                               v1::CompleteDivorceResponse* response) override;
  grpc::Status CreateArchiveBatch(grpc::ServerContext* context,
                                  const v1::CreateArchiveBatchRequest* request,
                                  v1::CreateArchiveBatchResponse* response) override;
  grpc::Status RecordArchiveProgress(grpc::ServerContext* context,
                                     const v1::RecordArchiveProgressRequest* request,
                                     v1::RecordArchiveProgressResponse* response) override;
  grpc::Status ListArchiveBatches(grpc::ServerContext* context,
                                  const v1::ListArchiveBatchesRequest* request,
                                  v1::ListArchiveBatchesResponse* response) override;

 private:
  MarriageStore* store_;
  Clock today_;
};

}  // namespace civil::affairs
