// gRPC adapter of civil.governance.v1.GridService: grids, grid workers and the three public
// notices of each village/community. Authorisation and region scope, request validation
// (grid.h), proto ⇄ domain and status mapping. No SQL here (GridStore).
#pragma once

#include "civil/governance/v1/grid.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/grid_store.h"

namespace civil::governance {

class GridServiceImpl final : public v1::GridService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  GridServiceImpl(GridStore* store, Clock today);

  grpc::Status CreateGrid(grpc::ServerContext* context, const v1::CreateGridRequest* request,
                          v1::CreateGridResponse* response) override;
  grpc::Status GetGrid(grpc::ServerContext* context, const v1::GetGridRequest* request,
                       v1::GetGridResponse* response) override;
  grpc::Status ListGrids(grpc::ServerContext* context, const v1::ListGridsRequest* request,
                         v1::ListGridsResponse* response) override;
  grpc::Status AddGridWorker(grpc::ServerContext* context, const v1::AddGridWorkerRequest* request,
                             v1::AddGridWorkerResponse* response) override;
  grpc::Status PublishNotice(grpc::ServerContext* context, const v1::PublishNoticeRequest* request,
                             v1::PublishNoticeResponse* response) override;
  grpc::Status GetCommunityNotices(grpc::ServerContext* context,
                                   const v1::GetCommunityNoticesRequest* request,
                                   v1::GetCommunityNoticesResponse* response) override;
  grpc::Status ListMissingNotices(grpc::ServerContext* context,
                                  const v1::ListMissingNoticesRequest* request,
                                  v1::ListMissingNoticesResponse* response) override;

 private:
  GridStore* store_;
  Clock today_;
};

}  // namespace civil::governance
