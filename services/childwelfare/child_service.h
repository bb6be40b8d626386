// gRPC adapter of civil.childwelfare.v1.ChildService: authorisation and region scope, request
// validation (child.h), proto ⇄ domain and status mapping. No SQL here (ChildStore) and no rules.
#pragma once

#include "civil/childwelfare/v1/child.grpc.pb.h"
#include "services/childwelfare/child_store.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"

namespace civil::childwelfare {

class ChildServiceImpl final : public v1::ChildService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  // None is owned; `id_views` keeps the trail of the full names shown (name_view.h).
  ChildServiceImpl(ChildStore* store, IdViewLog* id_views, Clock today);

  grpc::Status RegisterChild(grpc::ServerContext* context, const v1::RegisterChildRequest* request,
                             v1::RegisterChildResponse* response) override;
  grpc::Status CheckChild(grpc::ServerContext* context, const v1::CheckChildRequest* request,
                          v1::CheckChildResponse* response) override;
  grpc::Status ApproveChild(grpc::ServerContext* context, const v1::ApproveChildRequest* request,
                            v1::ApproveChildResponse* response) override;
  grpc::Status RecordEducation(grpc::ServerContext* context,
                               const v1::RecordEducationRequest* request,
                               v1::RecordEducationResponse* response) override;
  grpc::Status StopChild(grpc::ServerContext* context, const v1::StopChildRequest* request,
                         v1::StopChildResponse* response) override;
  grpc::Status GrantStipend(grpc::ServerContext* context, const v1::GrantStipendRequest* request,
                            v1::GrantStipendResponse* response) override;
  grpc::Status GetChild(grpc::ServerContext* context, const v1::GetChildRequest* request,
                        v1::GetChildResponse* response) override;
  grpc::Status ListChildren(grpc::ServerContext* context, const v1::ListChildrenRequest* request,
                            v1::ListChildrenResponse* response) override;
  grpc::Status SetStandard(grpc::ServerContext* context, const v1::SetStandardRequest* request,
                           v1::SetStandardResponse* response) override;
  grpc::Status ListStandards(grpc::ServerContext* context, const v1::ListStandardsRequest* request,
                             v1::ListStandardsResponse* response) override;
  grpc::Status RunPayments(grpc::ServerContext* context, const v1::RunPaymentsRequest* request,
                           v1::RunPaymentsResponse* response) override;

 private:
  ChildStore* store_;
  IdViewLog* id_views_;
  Clock today_;
};

}  // namespace civil::childwelfare
