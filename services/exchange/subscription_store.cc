#include "services/exchange/subscription_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/store_util.h"
#include "services/exchange/subscription.h"

namespace civil::exchange {

namespace {

// The columns of a SubscriptionRecord, in SubscriptionFromRow's order.
const std::string& SubscriptionColumns() {
  static const auto* columns = new std::string(absl::StrCat(
      "s.subscription_id::text, s.subscriber, s.region_prefix, array_to_string(s.event_types, "
      "','), s.endpoint_url, ",
      MicrosOf("s.created_at"), ", ", MicrosOf("s.cancelled_at"),
      ", (SELECT count(*) FROM subscription_notifications n WHERE n.subscription_id = "
      "s.subscription_id AND n.delivered_at IS NOT NULL), (SELECT count(*) FROM "
      "subscription_notifications n WHERE n.subscription_id = s.subscription_id AND "
      "n.delivered_at IS NULL), s.consecutive_failures, ",
      MicrosOf("s.next_attempt_at"), ", s.seq"));
  return *columns;
}

SubscriptionRecord SubscriptionFromRow(const pqxx::row& r) {
  SubscriptionRecord s;
  s.subscription_id = r[0].as<std::string>();
  s.subscriber = r[1].as<std::string>();
  s.region_prefix = r[2].as<std::string>();
  s.event_types = absl::StrSplit(r[3].as<std::string>(), ',', absl::SkipEmpty());
  s.endpoint_url = r[4].as<std::string>();
  s.created_micros = r[5].as<int64_t>();
  if (!r[6].is_null()) s.cancelled_micros = r[6].as<int64_t>();
  s.delivered = r[7].as<int64_t>();
  s.pending = r[8].as<int64_t>();
  s.consecutive_failures = r[9].as<int>();
  s.next_attempt_micros = r[10].as<int64_t>();
  return s;
}

}  // namespace

SubscriptionStore::SubscriptionStore(PgPool* pool, const PiiProtector* pii)
    : pool_(pool), pii_(pii) {
  pool_->Prepare("subscription_insert",
                 "INSERT INTO subscriptions (subscriber, subscriber_scope, region_prefix, "
                 "event_types, endpoint_url, secret_sealed) VALUES ($1, $2, $3, $4::text[], $5, "
                 "$6) RETURNING subscription_id::text");
  pool_->Prepare("subscription_get", absl::StrCat("SELECT ", SubscriptionColumns(),
                                                  " FROM subscriptions s WHERE "
                                                  "s.subscription_id = $1::uuid"));
  pool_->Prepare("subscription_list",
                 absl::StrCat("SELECT ", SubscriptionColumns(),
                              " FROM subscriptions s WHERE ($1 = '' OR s.subscriber = $1) AND "
                              "starts_with(s.region_prefix, $2) AND ($3 = 0 OR s.seq < $3) "
                              "ORDER BY s.seq DESC LIMIT $4"));
  pool_->Prepare("subscription_cancel",
                 "UPDATE subscriptions SET cancelled_at = now(), cancelled_by = $2 WHERE "
                 "subscription_id = $1::uuid AND cancelled_at IS NULL");
  pool_->Prepare(
      "subscription_deliveries",
      absl::StrCat("SELECT d.notification_id::text, n.event_id, n.event_type, d.attempt, ",
                   MicrosOf("d.attempted_at"),
                   ", d.http_status, d.error, d.delivered, d.duration_ms, d.seq FROM "
                   "subscription_deliveries d JOIN subscription_notifications n USING "
                   "(notification_id) WHERE d.subscription_id = $1::uuid AND d.seq > $2 "
                   "ORDER BY d.seq LIMIT $3"));
  pool_->Prepare(
      "subscription_claim",
      "UPDATE subscriptions s SET lease_until = now() + make_interval(secs => $2), lease_owner = "
      "$1 WHERE s.subscription_id = (SELECT c.subscription_id FROM subscriptions c WHERE "
      "c.cancelled_at IS NULL AND c.next_attempt_at <= now() AND (c.lease_until IS NULL OR "
      "c.lease_until < now()) AND EXISTS (SELECT 1 FROM subscription_notifications n WHERE "
      "n.subscription_id = c.subscription_id AND n.delivered_at IS NULL) ORDER BY "
      "c.next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING s.subscription_id::text, "
      "s.endpoint_url, s.secret_sealed, s.consecutive_failures");
  pool_->Prepare("subscription_due_notifications",
                 "SELECT notification_id::text, event_id, event_type, body, attempts FROM "
                 "subscription_notifications WHERE subscription_id = $1::uuid AND delivered_at "
                 "IS NULL ORDER BY seq LIMIT $2");
  pool_->Prepare("subscription_attempt",
                 "UPDATE subscription_notifications SET attempts = attempts + 1, delivered_at = "
                 "CASE WHEN $2 THEN now() END WHERE notification_id = $1::uuid AND delivered_at "
                 "IS NULL RETURNING attempts");
  pool_->Prepare("subscription_delivery_insert",
                 "INSERT INTO subscription_deliveries (notification_id, subscription_id, attempt, "
                 "http_status, error, delivered, duration_ms) VALUES ($1::uuid, $2::uuid, $3, $4, "
                 "$5, $6, $7)");
  pool_->Prepare("subscription_release",
                 "UPDATE subscriptions SET lease_until = NULL, lease_owner = NULL, "
                 "consecutive_failures = CASE WHEN $3 THEN consecutive_failures + 1 ELSE 0 END, "
                 "next_attempt_at = now() + make_interval(secs => $4) WHERE subscription_id = "
                 "$1::uuid AND lease_owner = $2");
}

absl::StatusOr<SubscriptionRecord> SubscriptionStore::Create(const NewSubscription& s) {
  CIVIL_ASSIGN_OR_RETURN(const std::string sealed, pii_->Encrypt(s.secret));
  std::string id;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    id =
        txn.exec_prepared1("subscription_insert", s.subscriber, s.subscriber_scope, s.region_prefix,
                           ArrayLiteral(s.event_types), s.endpoint_url, Bytes(sealed))[0]
            .as<std::string>();
    return absl::OkStatus();
  }));
  return Get(id);
}

absl::StatusOr<SubscriptionRecord> SubscriptionStore::Get(const std::string& subscription_id) {
  std::optional<SubscriptionRecord> out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r = txn.exec_prepared("subscription_get", subscription_id);
    if (!r.empty()) out = SubscriptionFromRow(r[0]);
    return absl::OkStatus();
  }));
  if (!out) return absl::NotFoundError("subscription_id: no such subscription");
  return *out;
}

absl::StatusOr<std::vector<SubscriptionRecord>> SubscriptionStore::List(
    const std::string& subscriber, const std::string& region_prefix, int64_t after, int size,
    int64_t* next) {
  std::vector<SubscriptionRecord> out;
  *next = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    out.clear();
    pqxx::result r =
        txn.exec_prepared("subscription_list", subscriber, region_prefix, after, size + 1);
    for (int i = 0; i < static_cast<int>(r.size()) && i < size; ++i) {
      out.push_back(SubscriptionFromRow(r[i]));
    }
    if (static_cast<int>(r.size()) > size) *next = r[size - 1][11].as<int64_t>();
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<SubscriptionRecord> SubscriptionStore::Cancel(const std::string& subscription_id,
                                                             const std::string& actor) {
  bool cancelled = false;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    cancelled =
        txn.exec_prepared("subscription_cancel", subscription_id, actor).affected_rows() > 0;
    return absl::OkStatus();
  }));
  if (!cancelled) {
    CIVIL_RETURN_IF_ERROR(Get(subscription_id).status());
    return absl::FailedPreconditionError("subscription_id: the subscription is already cancelled");
  }
  return Get(subscription_id);
}

absl::StatusOr<std::vector<DeliveryRecord>> SubscriptionStore::Deliveries(
    const std::string& subscription_id, int64_t after, int size, int64_t* next) {
  std::vector<DeliveryRecord> out;
  *next = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    out.clear();
    pqxx::result r = txn.exec_prepared("subscription_deliveries", subscription_id, after, size + 1);
    for (int i = 0; i < static_cast<int>(r.size()) && i < size; ++i) {
      const pqxx::row& row = r[i];
      DeliveryRecord d;
      d.notification_id = row[0].as<std::string>();
      d.event_id = row[1].as<std::string>();
      d.event_type = row[2].as<std::string>();
      d.attempt = row[3].as<int>();
      d.attempted_micros = row[4].as<int64_t>();
      d.http_status = row[5].as<int>();
      d.error = row[6].as<std::string>();
      d.delivered = row[7].as<bool>();
      d.duration_ms = row[8].as<int>();
      out.push_back(std::move(d));
    }
    if (static_cast<int>(r.size()) > size) *next = r[size - 1][9].as<int64_t>();
    return absl::OkStatus();
  }));
  return out;
}

int SubscriptionStore::Queue(pqxx::transaction_base& txn, const Change& change) {
  const pqxx::result subscribers = txn.exec_params(
      "SELECT subscription_id::text FROM subscriptions WHERE cancelled_at IS NULL AND $1 = "
      "ANY(event_types) AND starts_with($2, region_prefix) ORDER BY seq",
      change.type, change.region_code);
  nlohmann::json payload = nlohmann::json::parse(change.payload_json, nullptr, false);
  if (payload.is_discarded()) payload = nlohmann::json::object();
  int queued = 0;
  for (const pqxx::row& s : subscribers) {
    const std::string notification_id = NewUuid();
    const std::string subscription_id = s[0].as<std::string>();
    const nlohmann::json body = {{"notificationId", notification_id},
                                 {"subscriptionId", subscription_id},
                                 {"eventId", change.event_id},
                                 {"type", change.type},
                                 {"source", change.source},
                                 {"occurredAt", change.occurred_at},
                                 {"regionCode", change.region_code},
                                 {"person", {{"idNumberMasked", change.subject_masked}}},
                                 {"change", payload}};
    queued += static_cast<int>(
        txn.exec_params("INSERT INTO subscription_notifications (notification_id, "
                        "subscription_id, event_id, event_type, region_code, subject_masked, body) "
                        "VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7) ON CONFLICT "
                        "(subscription_id, event_id) DO NOTHING",
                        notification_id, subscription_id, change.event_id, change.type,
                        change.region_code, change.subject_masked, body.dump())
            .affected_rows());
  }
  return queued;
}

absl::StatusOr<std::optional<DueSubscription>> SubscriptionStore::Claim(const std::string& owner,
                                                                        int lease_seconds,
                                                                        int max) {
  std::optional<DueSubscription> out;
  std::string sealed;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    out.reset();
    pqxx::result r = txn.exec_prepared("subscription_claim", owner, lease_seconds);
    if (r.empty()) return absl::OkStatus();
    DueSubscription due;
    due.subscription_id = r[0][0].as<std::string>();
    due.endpoint_url = r[0][1].as<std::string>();
    sealed = pqxx::binarystring(r[0][2]).str();
    due.consecutive_failures = r[0][3].as<int>();
    for (const pqxx::row& n :
         txn.exec_prepared("subscription_due_notifications", due.subscription_id, max)) {
      due.notifications.push_back({n[0].as<std::string>(), n[1].as<std::string>(),
                                   n[2].as<std::string>(), n[3].as<std::string>(), n[4].as<int>()});
    }
    out = std::move(due);
    return absl::OkStatus();
  }));
  if (out) {
    CIVIL_ASSIGN_OR_RETURN(out->secret, pii_->Decrypt(sealed));
  }
  return out;
}

absl::Status SubscriptionStore::Record(const DueSubscription& subscription,
                                       const DueNotification& notification, const Attempt& attempt,
                                       bool delivered) {
  return pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    pqxx::result r =
        txn.exec_prepared("subscription_attempt", notification.notification_id, delivered);
    if (r.empty()) return absl::OkStatus();  // delivered meanwhile by another lease holder
    txn.exec_prepared("subscription_delivery_insert", notification.notification_id,
                      subscription.subscription_id, r[0][0].as<int>(), attempt.http_status,
                      attempt.error, delivered, attempt.duration_ms);
    return absl::OkStatus();
  });
}

absl::Status SubscriptionStore::Release(const DueSubscription& subscription,
                                        const std::string& owner, bool failed) {
  const double delay =
      failed ? absl::ToDoubleSeconds(RetryDelay(subscription.consecutive_failures + 1)) : 0.0;
  return pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    txn.exec_prepared("subscription_release", subscription.subscription_id, owner, failed, delay);
    return absl::OkStatus();
  });
}

}  // namespace civil::exchange
