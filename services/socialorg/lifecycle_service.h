// gRPC adapter of civil.socialorg.v1.LifecycleService: filing changes, re-elections, certificate
// renewals and deregistrations, deciding them (maker ≠ checker), the events of an organisation
// and an event's history, the overdue re-elections and the events of a period; authorisation,
// region scope, request → lifecycle.h values. No SQL here.
#pragma once

#include "civil/socialorg/v1/lifecycle.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/socialorg/organisation_store.h"

namespace civil::socialorg {

class LifecycleServiceImpl final : public v1::LifecycleService::Service {
 public:
  // `store` is not owned. `today` gives the current date.
  LifecycleServiceImpl(OrganisationStore* store, Clock today);

  grpc::Status FileChange(grpc::ServerContext* context, const v1::FileChangeRequest* request,
                          v1::FileChangeResponse* response) override;
  grpc::Status FileReElection(grpc::ServerContext* context,
                              const v1::FileReElectionRequest* request,
                              v1::FileReElectionResponse* response) override;
  grpc::Status FileCertificateRenewal(grpc::ServerContext* context,
                                      const v1::FileCertificateRenewalRequest* request,
                                      v1::FileCertificateRenewalResponse* response) override;
  grpc::Status FileDeregistration(grpc::ServerContext* context,
                                  const v1::FileDeregistrationRequest* request,
                                  v1::FileDeregistrationResponse* response) override;
  grpc::Status ApproveEvent(grpc::ServerContext* context, const v1::ApproveEventRequest* request,
                            v1::ApproveEventResponse* response) override;
  grpc::Status RejectEvent(grpc::ServerContext* context, const v1::RejectEventRequest* request,
                           v1::RejectEventResponse* response) override;
  grpc::Status ListEvents(grpc::ServerContext* context, const v1::ListEventsRequest* request,
                          v1::ListEventsResponse* response) override;
  grpc::Status ListEventHistory(grpc::ServerContext* context,
                                const v1::ListEventHistoryRequest* request,
                                v1::ListEventHistoryResponse* response) override;
  grpc::Status ListOverdueReElections(grpc::ServerContext* context,
                                      const v1::ListOverdueReElectionsRequest* request,
                                      v1::ListOverdueReElectionsResponse* response) override;
  grpc::Status CountEvents(grpc::ServerContext* context, const v1::CountEventsRequest* request,
                           v1::CountEventsResponse* response) override;

 private:
  // Validates the organisation id, files `draft` and returns it as the contract shows it.
  absl::Status File(const Caller& caller, const std::string& organisation_id,
                    const absl::StatusOr<EventDraft>& draft, v1::LifecycleEvent* out);

  OrganisationStore* store_;
  Clock today_;
};

}  // namespace civil::socialorg
