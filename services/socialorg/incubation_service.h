// gRPC adapter of civil.socialorg.v1.IncubationService: incubation centres and the
// organisations they incubate; authorisation, region scope, request → incubation.h values. No
// SQL here.
#pragma once

#include "civil/socialorg/v1/incubation.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/incubation_store.h"

namespace civil::socialorg {

class IncubationServiceImpl final : public v1::IncubationService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  IncubationServiceImpl(IncubationStore* store, Clock today);

  grpc::Status CreateIncubationCentre(grpc::ServerContext* context,
                                      const v1::CreateIncubationCentreRequest* request,
                                      v1::CreateIncubationCentreResponse* response) override;
  grpc::Status GetIncubationCentre(grpc::ServerContext* context,
                                   const v1::GetIncubationCentreRequest* request,
                                   v1::GetIncubationCentreResponse* response) override;
  grpc::Status AdmitOrganisation(grpc::ServerContext* context,
                                 const v1::AdmitOrganisationRequest* request,
                                 v1::AdmitOrganisationResponse* response) override;

 private:
  IncubationStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg
