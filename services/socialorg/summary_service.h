// gRPC adapter of civil.socialorg.v1.SocialorgSummaryService: the period's figures from the
// register, supervision, party-building, station, incubation and credit-commitment stores within
// the caller's region, with the report's sentences (summary.h). No SQL here.
#pragma once

#include "civil/socialorg/v1/summary.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/grievance_store.h"
#include "services/socialorg/credit_commitment_store.h"
#include "services/socialorg/incubation_store.h"
#include "services/socialorg/organisation_store.h"
#include "services/socialorg/party_building_store.h"
#include "services/socialorg/station_store.h"
#include "services/socialorg/supervision_store.h"

namespace civil::socialorg {

class SummaryServiceImpl final : public v1::SocialorgSummaryService::Service {
 public:
  // None is owned.
  SummaryServiceImpl(OrganisationStore* organisations, SupervisionStore* supervision,
                     PartyBuildingStore* party, StationStore* stations, IncubationStore* incubation,
                     CreditCommitmentStore* credit, GrievanceStore* grievances = nullptr);

  grpc::Status GetSummary(grpc::ServerContext* context, const v1::GetSummaryRequest* request,
                          v1::GetSummaryResponse* response) override;

 private:
  OrganisationStore* organisations_;
  SupervisionStore* supervision_;
  PartyBuildingStore* party_;
  StationStore* stations_;
  IncubationStore* incubation_;
  CreditCommitmentStore* credit_;
  GrievanceStore* grievances_;  // grievance figures (null: none)
};

}  // namespace civil::socialorg
