#include "services/exchange/webhook.h"

#include <curl/curl.h>

#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/exchange/subscription.h"

namespace civil::exchange {

namespace {

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

}  // namespace

CurlWebhookClient::CurlWebhookClient(std::chrono::milliseconds timeout) : timeout_(timeout) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Attempt CurlWebhookClient::Post(const std::string& url,
                                const std::map<std::string, std::string>& headers,
                                const std::string& body) {
  Attempt attempt;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    attempt.error = "cannot create an HTTP client";
    return attempt;
  }
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) {
    list = curl_slist_append(list, absl::StrCat(name, ": ", value).c_str());
  }
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const absl::Time start = absl::Now();
  const CURLcode rc = curl_easy_perform(curl);
  attempt.duration_ms = static_cast<int>(absl::ToInt64Milliseconds(absl::Now() - start));
  if (rc == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    attempt.http_status = static_cast<int>(status);
  } else {
    attempt.error = error[0] != '\0' ? error : curl_easy_strerror(rc);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return attempt;
}

NotificationDispatcher::NotificationDispatcher(Options options, SubscriptionStore* store,
                                               WebhookClient* client,
                                               prometheus::Registry* registry)
    : options_(std::move(options)), store_(store), client_(client) {
  auto& family = prometheus::BuildCounter()
                     .Name("civil_exchange_notifications_total")
                     .Help("Subscription notification attempts, by outcome")
                     .Register(*registry);
  delivered_ = &family.Add({{"outcome", "delivered"}});
  failed_ = &family.Add({{"outcome", "failed"}});
}

NotificationDispatcher::~NotificationDispatcher() { Stop(); }

void NotificationDispatcher::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void NotificationDispatcher::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> NotificationDispatcher::RunOnce() {
  CIVIL_ASSIGN_OR_RETURN(std::optional<DueSubscription> due,
                         store_->Claim(options_.owner, options_.lease_seconds, options_.batch));
  if (!due) return 0;
  int delivered = 0;
  bool failed = false;
  for (const DueNotification& n : due->notifications) {
    if (stop_) break;
    const int64_t now = absl::ToUnixSeconds(absl::Now());
    const Attempt attempt =
        client_->Post(due->endpoint_url,
                      {{"Content-Type", "application/json; charset=utf-8"},
                       {"User-Agent", "civil-exchange"},
                       {"X-Civil-Notification-Id", n.notification_id},
                       {"X-Civil-Timestamp", absl::StrCat(now)},
                       {"X-Civil-Signature", SignNotification(due->secret, now, n.body)}},
                      n.body);
    const bool ok = Delivered(attempt.http_status);
    CIVIL_RETURN_IF_ERROR(store_->Record(*due, n, attempt, ok));
    if (!ok) {
      failed_->Increment();
      Log(LogLevel::kWarn, "notification not delivered",
          {{"subscription_id", absl::string_view(due->subscription_id)},
           {"notification_id", absl::string_view(n.notification_id)},
           {"http_status", static_cast<int64_t>(attempt.http_status)},
           {"error", absl::string_view(attempt.error)},
           {"failures", static_cast<int64_t>(due->consecutive_failures + 1)}});
      failed = true;
      break;
    }
    delivered_->Increment();
    ++delivered;
  }
  CIVIL_RETURN_IF_ERROR(store_->Release(*due, options_.owner, failed));
  return delivered;
}

void NotificationDispatcher::Loop() {
  while (!stop_) {
    absl::StatusOr<int> sent = RunOnce();
    if (!sent.ok()) {
      Log(LogLevel::kWarn, "notification dispatch failed",
          {{"error", absl::string_view(sent.status().message())}});
    }
    if (!sent.ok() || *sent == 0) std::this_thread::sleep_for(options_.idle);
  }
}

}  // namespace civil::exchange
