// Delivering subscriptions' notifications: an HTTP client (libcurl) that POSTs one notification
// and a dispatcher thread that claims due subscriptions (SubscriptionStore::Claim, a lease, so
// replicas share the work without sending one subscription twice at once), sends their waiting
// notifications in order, logs every attempt and backs off a failing endpoint.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/exchange/subscription_store.h"

namespace civil::exchange {

// POSTs JSON bodies. Thread-compatible; one per dispatcher.
class WebhookClient {
 public:
  virtual ~WebhookClient() = default;
  // The endpoint's answer: its HTTP status, or 0 and `error` when there was none (refused,
  // timed out, TLS failed). Redirects are not followed.
  virtual Attempt Post(const std::string& url, const std::map<std::string, std::string>& headers,
                       const std::string& body) = 0;
};

// libcurl, HTTPS verified against the system's CAs.
class CurlWebhookClient final : public WebhookClient {
 public:
  explicit CurlWebhookClient(std::chrono::milliseconds timeout);
  Attempt Post(const std::string& url, const std::map<std::string, std::string>& headers,
               const std::string& body) override;

 private:
  std::chrono::milliseconds timeout_;
};

class NotificationDispatcher {
 public:
  struct Options {
    std::string owner;  // this replica's name for leases
    std::chrono::milliseconds idle{250};
    int batch = 50;
    int lease_seconds = 60;
  };
  // None is owned.
  NotificationDispatcher(Options options, SubscriptionStore* store, WebhookClient* client,
                         prometheus::Registry* registry);
  ~NotificationDispatcher();

  void Start();
  void Stop();
  // Claims one due subscription and sends what waits for it, until a failure; returns how many
  // notifications were delivered (0 when nothing was due).
  absl::StatusOr<int> RunOnce();

 private:
  void Loop();

  Options options_;
  SubscriptionStore* store_;
  WebhookClient* client_;
  prometheus::Counter* delivered_;
  prometheus::Counter* failed_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace civil::exchange
