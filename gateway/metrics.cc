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

GatewayMetrics::GatewayMetrics(std::vector<std::string> grpc_methods,
                               std::vector<std::string> auth_reasons,
                               std::function<bool()> redis_up,
                               const std::atomic<uint64_t>* local_decisions, bool redis_configured)
    : methods_(std::move(grpc_methods)),
      auth_reasons_(std::move(auth_reasons)),
      redis_up_(std::move(redis_up)),
      local_decisions_(local_decisions),
      redis_configured_(redis_configured),
      backend_(new std::atomic<uint64_t>[methods_.size() * 17]) {
  for (size_t i = 0; i < methods_.size() * 17; ++i) backend_[i].store(0);
}

std::vector<prometheus::MetricFamily> GatewayMetrics::Collect() const {
  auto counter = [](const std::string& name, const std::string& help) {
    prometheus::MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = prometheus::MetricType::Counter;
    return f;
  };
  auto add = [](prometheus::MetricFamily& f, std::vector<prometheus::ClientMetric::Label> labels,
                double value) {
    prometheus::ClientMetric m;
    m.label = std::move(labels);
    if (f.type == prometheus::MetricType::Gauge) {
      m.gauge.value = value;
    } else {
      m.counter.value = value;
    }
    f.metric.push_back(std::move(m));
  };
  std::vector<prometheus::MetricFamily> out;

  prometheus::MetricFamily auth =
      counter("gateway_auth_rejections_total",
              "Requests refused by the gateway's identity checks, by reason");
  for (size_t i = 1; i < kAuthReasons && i < auth_reasons_.size(); ++i) {
    add(auth, {{"reason", auth_reasons_[i]}}, static_cast<double>(auth_[i].load()));
  }
  out.push_back(std::move(auth));

  prometheus::MetricFamily limited =
      counter("gateway_rate_limited_total", "Requests refused with 429, by route class");
  add(limited, {{"class", "read"}}, static_cast<double>(limited_[0].load()));
  add(limited, {{"class", "write"}}, static_cast<double>(limited_[1].load()));
  out.push_back(std::move(limited));

  prometheus::MetricFamily retries =
      counter("gateway_backend_retries_total",
              "Unary calls sent again to another replica of their backend (a read, or a call that "
              "never reached the first)");
  add(retries, {}, static_cast<double>(retries_.load()));
  out.push_back(std::move(retries));

  prometheus::MetricFamily local =
      counter("gateway_rate_limit_local_total",
              "Rate-limit decisions taken by the in-process limiter because Redis was unreachable");
  add(local, {}, static_cast<double>(local_decisions_ ? local_decisions_->load() : 0));
  out.push_back(std::move(local));

  prometheus::MetricFamily up;
  up.name = "gateway_redis_up";
  up.help =
      "1 when Redis (rate limits, idempotency) answered the last round trip; 0 otherwise or "
      "when none is configured";
  up.type = prometheus::MetricType::Gauge;
  add(up, {}, redis_configured_ && redis_up_ && redis_up_() ? 1 : 0);
  out.push_back(std::move(up));

  prometheus::MetricFamily idem =
      counter("gateway_idempotency_total", "Idempotency-Key requests by outcome");
  static constexpr const char* kResults[] = {"stored", "replayed", "in_progress", "mismatch",
                                             "local"};
  for (size_t i = 0; i < kIdempotencyResults; ++i) {
    add(idem, {{"result", kResults[i]}}, static_cast<double>(idem_[i].load()));
  }
  out.push_back(std::move(idem));

  prometheus::MetricFamily backend = counter(
      "gateway_backend_responses_total", "Backend gRPC calls answered, by method and status code");
  for (size_t m = 0; m < methods_.size(); ++m) {
    for (int code = 0; code <= 16; ++code) {
      uint64_t v = backend_[m * 17 + static_cast<size_t>(code)].load(std::memory_order_relaxed);
      if (v == 0) continue;
      add(backend, {{"grpc_code", std::to_string(code)}, {"grpc_method", methods_[m]}},
          static_cast<double>(v));
    }
  }
  out.push_back(std::move(backend));

  prometheus::MetricFamily in_flight;
  in_flight.name = "http_requests_in_flight";
  in_flight.help = "HTTP requests received and not yet answered";
  in_flight.type = prometheus::MetricType::Gauge;
  add(in_flight, {}, static_cast<double>(in_flight_.load()));
  out.push_back(std::move(in_flight));
  return out;
}

}  // namespace civil::gateway
