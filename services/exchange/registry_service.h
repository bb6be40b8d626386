// gRPC adapter of civil.exchange.v1.RegistryService: the registry search for external systems
// (role exchange.registry_reader, within their region). Asks the departments outside any
// transaction, logs the search, answers what lies in the caller's scope.
#pragma once

#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/common/pii.h"
#include "services/exchange/registry_client.h"
#include "services/exchange/registry_store.h"

namespace civil::exchange {

class RegistryServiceImpl final : public v1::RegistryService::Service {
 public:
  // None is owned.
  RegistryServiceImpl(RegistryClient* client, RegistryStore* store, const PiiProtector* pii,
                      Clock clock)
      : client_(client), store_(store), pii_(pii), clock_(std::move(clock)) {}

  grpc::Status SearchEnrolments(grpc::ServerContext* context,
                                const v1::SearchEnrolmentsRequest* request,
                                v1::SearchEnrolmentsResponse* response) override;

 private:
  RegistryClient* client_;
  RegistryStore* store_;
  const PiiProtector* pii_;
  Clock clock_;
};

}  // namespace civil::exchange
