// gRPC adapter of civil.childwelfare.v1.LeftBehindService: authorisation and region scope,
// request validation (left_behind.h), proto ⇄ domain and status mapping. No SQL here.
#pragma once

#include "civil/childwelfare/v1/left_behind.grpc.pb.h"
#include "services/childwelfare/left_behind_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"

namespace civil::childwelfare {

class LeftBehindServiceImpl final : public v1::LeftBehindService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  // None is owned; `id_views` keeps the trail of the full names shown (name_view.h).
  LeftBehindServiceImpl(LeftBehindStore* store, IdViewLog* id_views, Clock today);

  grpc::Status RegisterCareChild(grpc::ServerContext* context,
                                 const v1::RegisterCareChildRequest* request,
                                 v1::RegisterCareChildResponse* response) override;
  grpc::Status RegisterCareWorker(grpc::ServerContext* context,
                                  const v1::RegisterCareWorkerRequest* request,
                                  v1::RegisterCareWorkerResponse* response) override;
  grpc::Status RecordCareVisit(grpc::ServerContext* context,
                               const v1::RecordCareVisitRequest* request,
                               v1::RecordCareVisitResponse* response) override;
  grpc::Status ListNotVisited(grpc::ServerContext* context,
                              const v1::ListNotVisitedRequest* request,
                              v1::ListNotVisitedResponse* response) override;
  grpc::Status GetCareCounts(grpc::ServerContext* context, const v1::GetCareCountsRequest* request,
                             v1::GetCareCountsResponse* response) override;

 private:
  LeftBehindStore* store_;
  IdViewLog* id_views_;
  Clock today_;
};

}  // namespace civil::childwelfare
