// Prometheus series of the gateway: `http_requests_total{route,method,code}` (counter) and
// `http_request_duration_seconds{route,method}` (histogram). Each {route, method} series is made
// once at start-up; recording is a handful of relaxed atomic adds, with no lock and no allocation
// (prometheus-cpp's Histogram takes a mutex per observation, which two io threads serving the same
// route would contend on). Exposed through prometheus-cpp as a Collectable.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace civil::gateway {

class HttpMetrics : public prometheus::Collectable {
 public:
  HttpMetrics() = default;

  // Adds a {route, method} series and returns its id for Record(). Start-up only: not safe
  // concurrently with Record() or Collect().
  size_t AddSeries(const std::string& route, const std::string& method);

  // Counts one request of series `id` answered with `http_status` after `seconds`. Lock-free for
  // the statuses the gateway emits; any other status takes a mutex (it never happens on the
  // normal paths).
  void Record(size_t id, int http_status, double seconds);

  // prometheus::Collectable: both families; a {route, method, code} counter appears once that
  // code has been answered.
  std::vector<prometheus::MetricFamily> Collect() const override;

  // Upper bounds (seconds) of the histogram buckets, without +Inf.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

 private:
  static constexpr std::array<int, 17> kStatuses = {200, 400, 401, 403, 404, 405, 409, 413, 422,
                                                    429, 431, 499, 500, 501, 503, 504, 502};
  struct Series {
    std::string route;
    std::string method;
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<uint64_t> sum_ns{0};
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
    mutable std::mutex other_mu;
    std::map<int, uint64_t> other_statuses;  // guarded by other_mu
  };

  std::vector<std::unique_ptr<Series>> series_;
};

// The gateway's other series, all lock-free counters and gauges:
//   gateway_auth_rejections_total{reason}      401s by JwtError reason, 403s as reason="forbidden"
//   gateway_rate_limited_total{class}          429s, class read|write
//   gateway_backend_retries_total              unary calls sent again to another replica
//   gateway_rate_limit_local_total             limiter decisions taken in-process (Redis down)
//   gateway_redis_up                           1 when the last Redis round trip worked
//   gateway_idempotency_total{result}          stored|replayed|in_progress|mismatch|local
//   gateway_backend_responses_total{grpc_method,grpc_code}
//   http_requests_in_flight
class GatewayMetrics : public prometheus::Collectable {
 public:
  static constexpr size_t kAuthReasons = 12;  // JwtError values 1..10 + forbidden, index 0 unused
  static constexpr size_t kForbidden = 11;
  enum Idempotency { kStored, kReplayed, kInProgress, kMismatch, kLocal, kIdempotencyResults };

  // `grpc_methods`: one label per backend method (index used by Backend()); `auth_reason(i)` is the
  // label of auth index i; `redis_up` / `local_decisions` are read at collection.
  GatewayMetrics(std::vector<std::string> grpc_methods, std::vector<std::string> auth_reasons,
                 std::function<bool()> redis_up, const std::atomic<uint64_t>* local_decisions,
                 bool redis_configured);

  void AuthRejected(size_t reason) { auth_[reason].fetch_add(1, std::memory_order_relaxed); }
  void RateLimited(bool write) { limited_[write ? 1 : 0].fetch_add(1, std::memory_order_relaxed); }
  void IdempotencyResult(Idempotency r) { idem_[r].fetch_add(1, std::memory_order_relaxed); }
  void Backend(size_t method, int grpc_code) {
    if (grpc_code < 0 || grpc_code > 16) grpc_code = 2;
    backend_[method * 17 + static_cast<size_t>(grpc_code)].fetch_add(1, std::memory_order_relaxed);
  }
  void BackendRetry() { retries_.fetch_add(1, std::memory_order_relaxed); }
  void InFlight(int delta) { in_flight_.fetch_add(delta, std::memory_order_relaxed); }

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::vector<std::string> methods_;
  std::vector<std::string> auth_reasons_;
  std::function<bool()> redis_up_;
  const std::atomic<uint64_t>* local_decisions_;
  bool redis_configured_;
  std::array<std::atomic<uint64_t>, kAuthReasons> auth_{};
  std::array<std::atomic<uint64_t>, 2> limited_{};
  std::atomic<uint64_t> retries_{0};
  std::array<std::atomic<uint64_t>, kIdempotencyResults> idem_{};
  std::unique_ptr<std::atomic<uint64_t>[]> backend_;
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace civil::gateway
