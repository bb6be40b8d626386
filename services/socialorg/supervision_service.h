// gRPC adapter of civil.socialorg.v1.SupervisionService: annual reports, annual inspections and
// the dormant organisations' and the overdue supervision worklists; authorisation, region scope,
// request → supervision.h values. No SQL here.
#pragma once

#include "civil/socialorg/v1/supervision.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/supervision_store.h"

namespace civil::socialorg {

class SupervisionServiceImpl final : public v1::SupervisionService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  SupervisionServiceImpl(SupervisionStore* store, Clock today);

  grpc::Status RecordAnnualReport(grpc::ServerContext* context,
                                  const v1::RecordAnnualReportRequest* request,
                                  v1::RecordAnnualReportResponse* response) override;
  grpc::Status RecordInspection(grpc::ServerContext* context,
                                const v1::RecordInspectionRequest* request,
                                v1::RecordInspectionResponse* response) override;
  grpc::Status GetSupervision(grpc::ServerContext* context,
                              const v1::GetSupervisionRequest* request,
                              v1::GetSupervisionResponse* response) override;
  grpc::Status ListDormant(grpc::ServerContext* context, const v1::ListDormantRequest* request,
                           v1::ListDormantResponse* response) override;
  grpc::Status ListOverdueSupervision(grpc::ServerContext* context,
                                      const v1::ListOverdueSupervisionRequest* request,
                                      v1::ListOverdueSupervisionResponse* response) override;

 private:
  SupervisionStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg
