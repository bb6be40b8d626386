// gRPC adapter of civil.eldercare.v1.VisitService (探访关爱): authorisation and region scope,
// request validation (visit.h), proto ⇄ domain and status mapping. No SQL here (VisitStore).
#pragma once

#include "civil/eldercare/v1/visit.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/eldercare/visit_store.h"

namespace civil::eldercare {

class VisitServiceImpl final : public v1::VisitService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  VisitServiceImpl(VisitStore* store, Clock today);

  grpc::Status DeclarePilot(grpc::ServerContext* context, const v1::DeclarePilotRequest* request,
                            v1::DeclarePilotResponse* response) override;
  grpc::Status EndPilot(grpc::ServerContext* context, const v1::EndPilotRequest* request,
                        v1::EndPilotResponse* response) override;
  grpc::Status ListPilots(grpc::ServerContext* context, const v1::ListPilotsRequest* request,
                          v1::ListPilotsResponse* response) override;
  grpc::Status RegisterPerson(grpc::ServerContext* context,
                              const v1::RegisterPersonRequest* request,
                              v1::RegisterPersonResponse* response) override;
  grpc::Status DeregisterPerson(grpc::ServerContext* context,
                                const v1::DeregisterPersonRequest* request,
                                v1::DeregisterPersonResponse* response) override;
  grpc::Status RecordVisit(grpc::ServerContext* context, const v1::RecordVisitRequest* request,
                           v1::RecordVisitResponse* response) override;
  grpc::Status CloseFollowUp(grpc::ServerContext* context, const v1::CloseFollowUpRequest* request,
                             v1::CloseFollowUpResponse* response) override;
  grpc::Status ListVisits(grpc::ServerContext* context, const v1::ListVisitsRequest* request,
                          v1::ListVisitsResponse* response) override;
  grpc::Status ListUnvisited(grpc::ServerContext* context, const v1::ListUnvisitedRequest* request,
                             v1::ListUnvisitedResponse* response) override;

 private:
  VisitStore* store_;
  Clock today_;
};

}  // namespace civil::eldercare
