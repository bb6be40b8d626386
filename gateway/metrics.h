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
  static constexpr std::array<int, 16> kStatuses = {200, 400, 401, 403, 404, 405, 409, 413,
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

}  // namespace civil::gateway
