// Subscriptions of external systems to enrolment and benefit changes (the DCI "subscribe,
// notify"), the pure part: which changes one may subscribe to, the endpoint URL rule, the
// signature of a notification and the backoff between attempts. Storage is
// subscription_store.h; sending is webhook.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace civil::exchange {

// The changes a subscription may name: the payload message names of the events that change
// what a person receives (civil.events.v1.<name>).
const std::vector<std::string>& ChangeTypes();

// The change type of an event's full payload type name ("civil.events.v1.EnrolmentEnded" →
// "EnrolmentEnded"), or nullopt when no subscription may name it.
std::optional<std::string> ChangeTypeOf(absl::string_view full_type);

// `types` as subscribed: at least one, each a ChangeTypes() name, none twice. INVALID_ARGUMENT
// naming `event_types[i]`.
absl::StatusOr<std::vector<std::string>> ValidChangeTypes(const std::vector<std::string>& types);

// Where a deployment lets notifications go.
struct WebhookPolicy {
  // Hosts that may be sent plain `http://` (development and tests: 127.0.0.1, localhost).
  std::vector<std::string> plaintext_hosts;
  // When not empty, the only hosts allowed (a name, or ".example.gov.cn" for its subdomains).
  std::vector<std::string> allowed_hosts;
};

// The policy from CIVIL_EXCHANGE_WEBHOOK_PLAINTEXT_HOSTS and CIVIL_EXCHANGE_WEBHOOK_HOSTS
// (comma-separated, both optional).
WebhookPolicy WebhookPolicyFromEnv();

struct Endpoint {
  std::string url;
  std::string scheme;  // "https" or "http"
  std::string host;    // lowercase
  int port = 0;
};

// `url` as a notification endpoint under `policy`: `https://host[:port][/path][?query]`, at most
// 512 characters, no user name or password, no fragment, no whitespace; `http://` only to a
// plaintext host; a host among the allowed ones when the policy names any. INVALID_ARGUMENT
// naming `endpoint_url`.
absl::StatusOr<Endpoint> ValidEndpoint(absl::string_view url, const WebhookPolicy& policy);

// A fresh signing secret: 32 random bytes as 64 lowercase hex characters.
std::string NewSigningSecret();

// The X-Civil-Signature of a notification: "v1=" + hex HMAC-SHA256(secret, "<unix>.<body>").
std::string SignNotification(absl::string_view secret, int64_t unix_seconds,
                             absl::string_view body);

// How long to wait after `failures` failed attempts in a row (1 s, 2 s, 4 s, … at most 5 min).
absl::Duration RetryDelay(int failures);

// Whether an HTTP status delivers a notification (2xx).
bool Delivered(int http_status);

}  // namespace civil::exchange
