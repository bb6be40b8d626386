// gRPC adapter of civil.exchange.v1.SubscriptionService: external systems' subscriptions to
// enrolment and benefit changes. No SQL here; the rules are subscription.h's.
#pragma once

#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "services/common/adapter.h"
#include "services/exchange/subscription.h"
#include "services/exchange/subscription_store.h"

namespace civil::exchange {

class SubscriptionServiceImpl final : public v1::SubscriptionService::Service {
 public:
  // Not owned.
  SubscriptionServiceImpl(SubscriptionStore* store, WebhookPolicy policy)
      : store_(store), policy_(std::move(policy)) {}

  grpc::Status CreateSubscription(grpc::ServerContext* context,
                                  const v1::CreateSubscriptionRequest* request,
                                  v1::CreateSubscriptionResponse* response) override;
  grpc::Status ListSubscriptions(grpc::ServerContext* context,
                                 const v1::ListSubscriptionsRequest* request,
                                 v1::ListSubscriptionsResponse* response) override;
  grpc::Status CancelSubscription(grpc::ServerContext* context,
                                  const v1::CancelSubscriptionRequest* request,
                                  v1::CancelSubscriptionResponse* response) override;
  grpc::Status ListDeliveries(grpc::ServerContext* context,
                              const v1::ListDeliveriesRequest* request,
                              v1::ListDeliveriesResponse* response) override;

 private:
  // The subscription, if the caller may see it: its subscriber, or a reviewer or auditor whose
  // scope covers it. NOT_FOUND otherwise (another system's subscription is not disclosed).
  absl::StatusOr<SubscriptionRecord> Visible(const Caller& caller, const std::string& id,
                                             bool manage);

  SubscriptionStore* store_;
  WebhookPolicy policy_;
};

}  // namespace civil::exchange
