// gRPC adapter of civil.governance.v1.ConsultationService: consultation demonstration sites.
// Authorisation and region scope, request validation (consultation.h), proto ⇄ domain and status
// mapping. No SQL here (ConsultationStore).
#pragma once

#include "civil/governance/v1/consultation.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/governance/consultation_store.h"

namespace civil::governance {

class ConsultationServiceImpl final : public v1::ConsultationService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  ConsultationServiceImpl(ConsultationStore* store, Clock today);

  grpc::Status DesignateConsultationSite(grpc::ServerContext* context,
                                         const v1::DesignateConsultationSiteRequest* request,
                                         v1::DesignateConsultationSiteResponse* response) override;
  grpc::Status ListConsultationSites(grpc::ServerContext* context,
                                     const v1::ListConsultationSitesRequest* request,
                                     v1::ListConsultationSitesResponse* response) override;

 private:
  ConsultationStore* store_;
  Clock today_;
};

}  // namespace civil::governance
