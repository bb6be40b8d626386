#include "services/exchange/exchange.h"

#include "services/common/death_service.h"
#include "services/common/deaths.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/exchange/death_notice_service.h"
#include "services/exchange/disability_certificate_service.h"
#include "services/exchange/event_handlers.h"
#include "services/exchange/inbound_service.h"
#include "services/exchange/migrations.h"
#include "services/exchange/monitoring_service.h"
#include "services/exchange/move_out_service.h"
#include "services/exchange/registry_service.h"
#include "services/exchange/subscription_service.h"
#include "services/exchange/webhook.h"

namespace civil::exchange {

namespace {

absl::Status Wire(Department& d) {
  auto& deaths = d.Make<DeathRegistry>(d.name(), &d.pool(), &d.registry());
  auto& inbound = d.Make<InboundStore>(&d.pool(), &d.pii());
  auto& notices = d.Make<DeathNoticeStore>(&d.pool(), &inbound, &deaths);
  auto& moves = d.Make<MoveOutStore>(&d.pool(), &inbound);
  auto& certificates = d.Make<DisabilityCertificateStore>(&d.pool(), &inbound);
  auto& monitoring = d.Make<MonitoringStore>(&d.pool(), &inbound);
  auto& metrics = d.Make<InboundMetrics>(&d.registry());
  CIVIL_ASSIGN_OR_RETURN(const RegistryConfig registry_config, LoadRegistryConfig());
  auto& registry_client = d.Make<RegistryClient>(registry_config, &d.service_tokens());
  auto& searches = d.Make<RegistryStore>(&d.pool());

  d.Serve<DeathNoticeServiceImpl>(v1::DeathNoticeService::service_full_name(), &inbound, &notices,
                                  &metrics, d.clock());
  d.Serve<MoveOutServiceImpl>(v1::MoveOutService::service_full_name(), &inbound, &moves, &metrics,
                              d.clock());
  d.Serve<DisabilityCertificateServiceImpl>(v1::DisabilityCertificateService::service_full_name(),
                                            &inbound, &certificates, &metrics, d.clock());
  d.Serve<MonitoringServiceImpl>(v1::MonitoringObjectService::service_full_name(), &inbound,
                                 &monitoring, &metrics, d.clock());
  d.Serve<RegistryServiceImpl>(v1::RegistryService::service_full_name(), &registry_client,
                               &searches, &d.pii(), d.clock());
  d.Serve<InboundRecordServiceImpl>(v1::InboundRecordService::service_full_name(), &inbound);
  auto& subscriptions = d.Make<SubscriptionStore>(&d.pool(), &d.pii());
  d.Serve<SubscriptionServiceImpl>(v1::SubscriptionService::service_full_name(), &subscriptions,
                                   WebhookPolicyFromEnv());
  // Notifications go out from every replica; a subscription's lease keeps one sender at a time.
  auto& webhooks = d.Make<CurlWebhookClient>(std::chrono::seconds(10));
  auto& dispatcher =
      d.Make<NotificationDispatcher>(NotificationDispatcher::Options{.owner = NewUuid()},
                                     &subscriptions, &webhooks, &d.registry());
  dispatcher.Start();
  d.OnShutdown([&dispatcher] { dispatcher.Stop(); });
  d.Serve<DeathRegistryServiceImpl>(civil::events::v1::DeathRegistryService::service_full_name(),
                                    &deaths, &d.pool(), &d.pii(), d.clock());
  // Every other department's deaths, so that a notice of a death already known is a duplicate.
  RegisterEventHandlers(&d.consumer(), &deaths);
  return absl::OkStatus();
}

}  // namespace

DepartmentSpec Spec() {
  return {.name = "exchange",
          .grpc_port = 50058,
          .metrics_port = 9108,
          .migrations = &Migrations,
          .wire = Wire,
          .append_only = {"inbound_batches", "inbound_records", "registry_searches",
                          "subscription_deliveries"}};
}

}  // namespace civil::exchange
