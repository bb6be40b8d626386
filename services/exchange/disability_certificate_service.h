// gRPC adapter of civil.exchange.v1.DisabilityCertificateService: batches of certificate events
// from the disabled persons' federation, one result per record. No SQL here; the rules are
// disability_certificate.h's.
#pragma once

#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/common/clock.h"
#include "services/exchange/disability_certificate_store.h"
#include "services/exchange/inbound_service.h"
#include "services/exchange/inbound_store.h"

namespace civil::exchange {

class DisabilityCertificateServiceImpl final : public v1::DisabilityCertificateService::Service {
 public:
  // None is owned.
  DisabilityCertificateServiceImpl(InboundStore* inbound, DisabilityCertificateStore* certificates,
                                   InboundMetrics* metrics, Clock clock)
      : inbound_(inbound),
        certificates_(certificates),
        metrics_(metrics),
        clock_(std::move(clock)) {}

  grpc::Status SubmitDisabilityCertificates(
      grpc::ServerContext* context, const v1::SubmitDisabilityCertificatesRequest* request,
      v1::SubmitDisabilityCertificatesResponse* response) override;

 private:
  InboundStore* inbound_;
  DisabilityCertificateStore* certificates_;
  InboundMetrics* metrics_;
  Clock clock_;
};

}  // namespace civil::exchange
