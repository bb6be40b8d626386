// Saturation metrics shared by the connection pools (PostgreSQL, Redis), so operations staff see
// one set of series for every pool: civil_pool_connections{pool,state}, civil_pool_max_connections,
// civil_pool_waiting, civil_pool_acquire_timeouts_total, civil_pool_connect_errors_total.
#pragma once

#include <string>

#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace civil {

// Label children of one pool, built once. With a null registry every pointer stays null and
// the helpers do nothing (unit tests, tools).
struct PoolMetrics {
  prometheus::Gauge* in_use = nullptr;
  prometheus::Gauge* idle = nullptr;
  prometheus::Gauge* max = nullptr;
  prometheus::Gauge* waiting = nullptr;
  prometheus::Counter* acquire_timeouts = nullptr;
  prometheus::Counter* connect_errors = nullptr;

  // Creates (or finds) the families in `registry` and the children labelled pool=`pool`.
  static PoolMetrics Create(prometheus::Registry* registry, const std::string& pool);

  void Set(int in_use_count, int idle_count, int waiting_count) const {
    if (in_use != nullptr) in_use->Set(in_use_count);
    if (idle != nullptr) idle->Set(idle_count);
    if (waiting != nullptr) waiting->Set(waiting_count);
  }
  void CountTimeout() const {
    if (acquire_timeouts != nullptr) acquire_timeouts->Increment();
  }
  void CountConnectError() const {
    if (connect_errors != nullptr) connect_errors->Increment();
  }
};

}  // namespace civil
