// gRPC adapter of civil.eldercare.v1.AdaptationService (适老化改造, institutional placements):
// authorisation and region scope, validation (adaptation.h), proto ⇄ domain. No SQL here.
#pragma once

#include "civil/eldercare/v1/adaptation.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/eldercare/adaptation_store.h"

namespace civil::eldercare {

class AdaptationServiceImpl final : public v1::AdaptationService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  AdaptationServiceImpl(AdaptationStore* store, Clock today);

  grpc::Status SurveyHousehold(grpc::ServerContext* context,
                               const v1::SurveyHouseholdRequest* request,
                               v1::SurveyHouseholdResponse* response) override;
  grpc::Status PlanAdaptation(grpc::ServerContext* context,
                              const v1::PlanAdaptationRequest* request,
                              v1::PlanAdaptationResponse* response) override;
  grpc::Status StartWorks(grpc::ServerContext* context, const v1::StartWorksRequest* request,
                          v1::StartWorksResponse* response) override;
  grpc::Status AcceptAdaptation(grpc::ServerContext* context,
                                const v1::AcceptAdaptationRequest* request,
                                v1::AcceptAdaptationResponse* response) override;
  grpc::Status GetAdaptation(grpc::ServerContext* context, const v1::GetAdaptationRequest* request,
                             v1::GetAdaptationResponse* response) override;
  grpc::Status PlaceInInstitution(grpc::ServerContext* context,
                                  const v1::PlaceInInstitutionRequest* request,
                                  v1::PlaceInInstitutionResponse* response) override;
  grpc::Status EndPlacement(grpc::ServerContext* context, const v1::EndPlacementRequest* request,
                            v1::EndPlacementResponse* response) override;

 private:
  AdaptationStore* store_;
  Clock today_;
};

}  // namespace civil::eldercare
