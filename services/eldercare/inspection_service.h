// gRPC adapter of civil.eldercare.v1.InspectionService (双随机、一公开): authorisation and region
// scope, request validation (inspection.h), the seed generated when none is given, proto ⇄ domain
// and status mapping. No SQL here (InspectionStore).
#pragma once

#include "civil/eldercare/v1/inspection.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/eldercare/inspection_store.h"

namespace civil::eldercare {

class InspectionServiceImpl final : public v1::InspectionService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  InspectionServiceImpl(InspectionStore* store, Clock today);

  grpc::Status AddInspector(grpc::ServerContext* context, const v1::AddInspectorRequest* request,
                            v1::AddInspectorResponse* response) override;
  grpc::Status RetireInspector(grpc::ServerContext* context,
                               const v1::RetireInspectorRequest* request,
                               v1::RetireInspectorResponse* response) override;
  grpc::Status ListInspectors(grpc::ServerContext* context,
                              const v1::ListInspectorsRequest* request,
                              v1::ListInspectorsResponse* response) override;
  grpc::Status DrawInspection(grpc::ServerContext* context,
                              const v1::DrawInspectionRequest* request,
                              v1::DrawInspectionResponse* response) override;
  grpc::Status GetDraw(grpc::ServerContext* context, const v1::GetDrawRequest* request,
                       v1::GetDrawResponse* response) override;
  grpc::Status ListDraws(grpc::ServerContext* context, const v1::ListDrawsRequest* request,
                         v1::ListDrawsResponse* response) override;
  grpc::Status RecordResult(grpc::ServerContext* context, const v1::RecordResultRequest* request,
                            v1::RecordResultResponse* response) override;
  grpc::Status PublishDraw(grpc::ServerContext* context, const v1::PublishDrawRequest* request,
                           v1::PublishDrawResponse* response) override;
  grpc::Status CloseRectification(grpc::ServerContext* context,
                                  const v1::CloseRectificationRequest* request,
                                  v1::CloseRectificationResponse* response) override;
  grpc::Status ListOverdueRectifications(grpc::ServerContext* context,
                                         const v1::ListOverdueRectificationsRequest* request,
                                         v1::ListOverdueRectificationsResponse* response) override;

 private:
  InspectionStore* store_;
  Clock today_;
};

}  // namespace civil::eldercare
