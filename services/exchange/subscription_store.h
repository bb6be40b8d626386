// PostgreSQL access for subscriptions: creating, listing and cancelling them; queueing one
// notification per subscription and event in the event consumer's transaction (so an event
// redelivered by Redis queues nothing twice); claiming a subscription's due notifications under
// a lease for one dispatcher at a time; and logging every attempt (append-only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::exchange {

struct SubscriptionRecord {
  std::string subscription_id;
  std::string subscriber;
  std::string region_prefix;  // "" = the whole platform
  std::vector<std::string> event_types;
  std::string endpoint_url;
  int64_t created_micros = 0;
  std::optional<int64_t> cancelled_micros;
  int64_t delivered = 0;
  int64_t pending = 0;
  int consecutive_failures = 0;
  int64_t next_attempt_micros = 0;
};

struct NewSubscription {
  std::string subscriber;
  std::string subscriber_scope;
  std::string region_prefix;
  std::vector<std::string> event_types;
  std::string endpoint_url;
  std::string secret;
};

// One change, as the consumer saw its event.
struct Change {
  std::string event_id;
  std::string type;  // ChangeTypes() name
  std::string source;
  std::string occurred_at;  // RFC 3339
  std::string region_code;
  std::string subject_masked;
  std::string payload_json;  // the event's payload as proto JSON
};

struct DueNotification {
  std::string notification_id;
  std::string event_id;
  std::string event_type;
  std::string body;
  int attempts = 0;
};

// A subscription claimed for delivery, with its oldest waiting notifications.
struct DueSubscription {
  std::string subscription_id;
  std::string endpoint_url;
  std::string secret;
  int consecutive_failures = 0;
  std::vector<DueNotification> notifications;
};

struct DeliveryRecord {
  std::string notification_id;
  std::string event_id;
  std::string event_type;
  int attempt = 0;
  int64_t attempted_micros = 0;
  int http_status = 0;
  std::string error;
  bool delivered = false;
  int duration_ms = 0;
};

struct Attempt {
  int http_status = 0;
  std::string error;
  int duration_ms = 0;
};

class SubscriptionStore {
 public:
  // Neither is owned.
  SubscriptionStore(PgPool* pool, const PiiProtector* pii);

  absl::StatusOr<SubscriptionRecord> Create(const NewSubscription& subscription);
  // NOT_FOUND naming subscription_id.
  absl::StatusOr<SubscriptionRecord> Get(const std::string& subscription_id);
  // Newest first. `subscriber` empty: everyone's; only subscriptions whose region lies within
  // `region_prefix` ("" = all).
  absl::StatusOr<std::vector<SubscriptionRecord>> List(const std::string& subscriber,
                                                       const std::string& region_prefix,
                                                       int64_t after, int size, int64_t* next);
  // FAILED_PRECONDITION when already cancelled.
  absl::StatusOr<SubscriptionRecord> Cancel(const std::string& subscription_id,
                                            const std::string& actor);
  absl::StatusOr<std::vector<DeliveryRecord>> Deliveries(const std::string& subscription_id,
                                                         int64_t after, int size, int64_t* next);

  // Queues `change` for every live subscription to its type whose region prefix covers the
  // change's region, within `txn`; returns how many were queued.
  static int Queue(pqxx::transaction_base& txn, const Change& change);

  // Claims the subscription whose next attempt is due longest, not leased by anyone, with up to
  // `max` waiting notifications, leasing it to `owner` for `lease_seconds`; nullopt when none is
  // due.
  absl::StatusOr<std::optional<DueSubscription>> Claim(const std::string& owner, int lease_seconds,
                                                       int max);
  // Logs one attempt of `notification` and, when `delivered`, marks it delivered.
  absl::Status Record(const DueSubscription& subscription, const DueNotification& notification,
                      const Attempt& attempt, bool delivered);
  // Ends `owner`'s lease: after a failure the next attempt waits RetryDelay(failures + 1).
  absl::Status Release(const DueSubscription& subscription, const std::string& owner, bool failed);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::exchange
