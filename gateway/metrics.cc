#include "gateway/metrics.h"

#include <limits>

namespace civil::gateway {

size_t HttpMetrics::AddSeries(const std::string& route, const std::string& method) {
  auto series = std::make_unique<Series>();
  series->route = route;
  series->method = method;
  series_.push_back(std::move(series));
  return series_.size() - 1;
}

void HttpMetrics::Record(size_t id, int http_status, double seconds) {
  Series& s = *series_[id];
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
  for (size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == http_status) {
      s.by_status[i].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  std::lock_guard<std::mutex> lock(s.other_mu);
  ++s.other_statuses[http_status];
}

std::vector<prometheus::MetricFamily> HttpMetrics::Collect() const {
  prometheus::MetricFamily requests;
  requests.name = "http_requests_total";
  requests.help = "HTTP requests answered by the gateway, by route template, method and status";
  requests.type = prometheus::MetricType::Counter;
  prometheus::MetricFamily duration;
  duration.name = "http_request_duration_seconds";
  duration.help = "Time from a complete HTTP request to its response, by route template and method";
  duration.type = prometheus::MetricType::Histogram;

  for (const auto& s : series_) {
    auto add_counter = [&](int status, uint64_t value) {
      if (value == 0) return;
      prometheus::ClientMetric m;
      m.label = {{"code", std::to_string(status)}, {"method", s->method}, {"route", s->route}};
      m.counter.value = static_cast<double>(value);
      requests.metric.push_back(std::move(m));
    };
    for (size_t i = 0; i < kStatuses.size(); ++i) {
      add_counter(kStatuses[i], s->by_status[i].load(std::memory_order_relaxed));
    }
    {
      std::lock_guard<std::mutex> lock(s->other_mu);
      for (const auto& [status, value] : s->other_statuses) add_counter(status, value);
    }

    prometheus::ClientMetric h;
    h.label = {{"method", s->method}, {"route", s->route}};
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += s->buckets[i].load(std::memory_order_relaxed);
      prometheus::ClientMetric::Bucket b;
      b.cumulative_count = cumulative;
      b.upper_bound = i < kBuckets.size() ? kBuckets[i] : std::numeric_limits<double>::infinity();
      h.histogram.bucket.push_back(b);
    }
    // Read independently of the buckets: a scrape racing a request may be off by one, as with any
    // lock-free histogram; the count is the +Inf bucket so the two always agree.
    h.histogram.sample_count = cumulative;
    h.histogram.sample_sum = static_cast<double>(s->sum_ns.load(std::memory_order_relaxed)) / 1e9;
    duration.metric.push_back(std::move(h));
  }
  return {std::move(requests), std::move(duration)};
}

}  // namespace civil::gateway
