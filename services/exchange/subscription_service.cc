#include "services/exchange/subscription_service.h"

#include "absl/strings/match.h"
#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/common/values.h"

namespace civil::exchange {

namespace {

constexpr absl::string_view kService = "civil.exchange.v1.SubscriptionService";

bool Oversees(const Caller& caller, bool manage) {
  if (caller.HasRole("admin") || caller.HasRole("exchange.reviewer")) return true;
  return !manage && caller.HasRole("auditor");
}

bool Covers(const Caller& caller, const std::string& region_prefix) {
  if (caller.region_prefix == "*") return true;
  return absl::StartsWith(region_prefix, caller.region_prefix);
}

void ToProto(const SubscriptionRecord& s, v1::Subscription* out) {
  out->set_subscription_id(s.subscription_id);
  out->set_subscriber(s.subscriber);
  out->set_region_prefix(s.region_prefix);
  for (const std::string& t : s.event_types) out->add_event_types(t);
  out->set_endpoint_url(s.endpoint_url);
  *out->mutable_created_at() = TimestampOf(s.created_micros);
  if (s.cancelled_micros) *out->mutable_cancelled_at() = TimestampOf(*s.cancelled_micros);
  out->set_delivered(s.delivered);
  out->set_pending(s.pending);
  out->set_consecutive_failures(s.consecutive_failures);
  *out->mutable_next_attempt_at() = TimestampOf(s.next_attempt_micros);
}

}  // namespace

absl::StatusOr<SubscriptionRecord> SubscriptionServiceImpl::Visible(const Caller& caller,
                                                                    const std::string& id,
                                                                    bool manage) {
  CIVIL_RETURN_IF_ERROR(RequireUuid("subscription_id", id));
  absl::StatusOr<SubscriptionRecord> s = store_->Get(id);
  if (!s.ok()) return s.status();
  const bool own = s->subscriber == caller.subject;
  if (!(own || (Oversees(caller, manage) && Covers(caller, s->region_prefix)))) {
    return absl::NotFoundError("subscription_id: no such subscription");
  }
  return s;
}

grpc::Status SubscriptionServiceImpl::CreateSubscription(
    grpc::ServerContext* context, const v1::CreateSubscriptionRequest* request,
    v1::CreateSubscriptionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CreateSubscription"));
    CIVIL_ASSIGN_OR_RETURN(const Endpoint endpoint,
                           ValidEndpoint(request->endpoint_url(), policy_));
    CIVIL_ASSIGN_OR_RETURN(
        std::vector<std::string> types,
        ValidChangeTypes({request->event_types().begin(), request->event_types().end()}));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix,
                           ScopedPrefix(caller, request->region_prefix()));
    NewSubscription s;
    s.subscriber = caller.subject;
    s.subscriber_scope = caller.region_prefix;
    s.region_prefix = prefix;
    s.event_types = std::move(types);
    s.endpoint_url = endpoint.url;
    s.secret = NewSigningSecret();
    CIVIL_ASSIGN_OR_RETURN(const SubscriptionRecord created, store_->Create(s));
    ToProto(created, response->mutable_subscription());
    response->set_signing_secret(s.secret);
    return absl::OkStatus();
  });
}

grpc::Status SubscriptionServiceImpl::ListSubscriptions(grpc::ServerContext* context,
                                                        const v1::ListSubscriptionsRequest* request,
                                                        v1::ListSubscriptionsResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListSubscriptions"));
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("subscriptions", request->page_token()));
    CIVIL_ASSIGN_OR_RETURN(const std::string prefix, ScopedPrefix(caller, ""));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(
        const std::vector<SubscriptionRecord> list,
        store_->List(Oversees(caller, false) ? "" : caller.subject, prefix, after, size, &next));
    for (const SubscriptionRecord& s : list) ToProto(s, response->add_subscriptions());
    if (next != 0) response->set_next_page_token(EncodePageToken("subscriptions", next));
    return absl::OkStatus();
  });
}

grpc::Status SubscriptionServiceImpl::CancelSubscription(
    grpc::ServerContext* context, const v1::CancelSubscriptionRequest* request,
    v1::CancelSubscriptionResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "CancelSubscription"));
    CIVIL_RETURN_IF_ERROR(Visible(caller, request->subscription_id(), /*manage=*/true).status());
    CIVIL_ASSIGN_OR_RETURN(const SubscriptionRecord s,
                           store_->Cancel(request->subscription_id(), caller.subject));
    ToProto(s, response->mutable_subscription());
    return absl::OkStatus();
  });
}

grpc::Status SubscriptionServiceImpl::ListDeliveries(grpc::ServerContext* context,
                                                     const v1::ListDeliveriesRequest* request,
                                                     v1::ListDeliveriesResponse* response) {
  return Serve([&]() -> absl::Status {
    CIVIL_ASSIGN_OR_RETURN(const Caller caller,
                           AuthorizeCall(*context, kService, "ListDeliveries"));
    CIVIL_RETURN_IF_ERROR(Visible(caller, request->subscription_id(), /*manage=*/false).status());
    CIVIL_ASSIGN_OR_RETURN(const int size, PageSize(request->page_size()));
    CIVIL_ASSIGN_OR_RETURN(const int64_t after,
                           DecodePageToken("deliveries", request->page_token()));
    int64_t next = 0;
    CIVIL_ASSIGN_OR_RETURN(const std::vector<DeliveryRecord> list,
                           store_->Deliveries(request->subscription_id(), after, size, &next));
    for (const DeliveryRecord& d : list) {
      v1::Delivery* out = response->add_deliveries();
      out->set_notification_id(d.notification_id);
      out->set_event_id(d.event_id);
      out->set_event_type(d.event_type);
      out->set_attempt(d.attempt);
      *out->mutable_attempted_at() = TimestampOf(d.attempted_micros);
      out->set_http_status(d.http_status);
      out->set_error(d.error);
      out->set_delivered(d.delivered);
      out->set_duration_ms(d.duration_ms);
    }
    if (next != 0) response->set_next_page_token(EncodePageToken("deliveries", next));
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
