#include "services/common/pool_metrics.h"

#include "prometheus/family.h"

namespace civil {

PoolMetrics PoolMetrics::Create(prometheus::Registry* registry, const std::string& pool) {
  PoolMetrics m;
  if (registry == nullptr) return m;
  auto& connections = prometheus::BuildGauge()
                          .Name("civil_pool_connections")
                          .Help("Connections of a pool by state (in_use, idle)")
                          .Register(*registry);
  m.in_use = &connections.Add({{"pool", pool}, {"state", "in_use"}});
  m.idle = &connections.Add({{"pool", pool}, {"state", "idle"}});
  m.max = &prometheus::BuildGauge()
               .Name("civil_pool_max_connections")
               .Help("Most connections a pool may open")
               .Register(*registry)
               .Add({{"pool", pool}});
  m.waiting = &prometheus::BuildGauge()
                   .Name("civil_pool_waiting")
                   .Help("Callers waiting for a free connection")
                   .Register(*registry)
                   .Add({{"pool", pool}});
  m.acquire_timeouts = &prometheus::BuildCounter()
                            .Name("civil_pool_acquire_timeouts_total")
                            .Help("Callers that gave up waiting for a connection")
                            .Register(*registry)
                            .Add({{"pool", pool}});
  m.connect_errors = &prometheus::BuildCounter()
                          .Name("civil_pool_connect_errors_total")
                          .Help("Failed attempts to open a connection")
                          .Register(*registry)
                          .Add({{"pool", pool}});
  return m;
}

}  // namespace civil
