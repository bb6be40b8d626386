// gRPC adapter of civil.socialorg.v1.OrganisationService: the establishment filing and reads of
// the register; authorisation, region scope, request → organisation.h values, the legal
// representative's ID number masked unless the caller may see it. No SQL here.
#pragma once

#include "civil/socialorg/v1/registry.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/id_views.h"
#include "services/socialorg/organisation_store.h"

namespace civil::socialorg {

// An organisation as the contract shows it.
void ToProto(const OrgRecord& o, v1::Organisation* out);

class OrganisationServiceImpl final : public v1::OrganisationService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  // A legal representative's full ID number (GetOrganisation with a reveal_reason) is recorded in
  // `id_views`.
  OrganisationServiceImpl(OrganisationStore* store, IdViewLog* id_views, Clock today);

  grpc::Status RegisterOrganisation(grpc::ServerContext* context,
                                    const v1::RegisterOrganisationRequest* request,
                                    v1::RegisterOrganisationResponse* response) override;
  grpc::Status GetOrganisation(grpc::ServerContext* context,
                               const v1::GetOrganisationRequest* request,
                               v1::GetOrganisationResponse* response) override;
  grpc::Status ListOrganisations(grpc::ServerContext* context,
                                 const v1::ListOrganisationsRequest* request,
                                 v1::ListOrganisationsResponse* response) override;

 private:
  OrganisationStore* store_;
  IdViewLog* id_views_;
  Clock today_;
};

}  // namespace civil::socialorg
