// The server runner every service's main() uses: gRPC server (synchronous API, so handlers may
// block on PostgreSQL and Redis), health (grpc.health.v1) and reflection, an interceptor giving
// every RPC a JSON log line and grpc-prometheus metrics, /metrics on its own port, and graceful
// shutdown on SIGTERM/SIGINT.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"
#include "services/common/config.h"

namespace civil {

class RpcMetrics;

// Owns the metrics registry and runs the gRPC server of one service process.
//
// Construct it first thing in main(): it blocks SIGTERM/SIGINT in the calling thread so that every
// thread started afterwards (gRPC, pools, exposer) inherits the mask and Run() alone receives them.
class ServiceRunner {
 public:
  explicit ServiceRunner(std::string service_name);
  ~ServiceRunner();

  // The registry every component of this process registers its metrics with.
  prometheus::Registry* registry() { return registry_.get(); }

  // Serves `service` (not owned; must outlive Run()). `full_name` is the generated
  // `Foo::service_full_name()`; it labels metrics and names the service in health.
  void AddService(grpc::Service* service, const char* full_name) {
    services_.push_back(service);
    service_names_.push_back(full_name);
  }

  // Polled every second while serving: health is NOT_SERVING while it returns an error.
  void SetReadinessCheck(std::function<absl::Status()> check);

  // Called after the server stopped, in order (close pools, flush).
  void OnShutdown(std::function<void()> hook);

  // Starts /metrics and the gRPC server, then blocks until SIGTERM or SIGINT; then flips health to
  // NOT_SERVING, keeps answering for config.shutdown_drain, refuses new calls (safe for clients to
  // retry elsewhere), lets in-flight calls finish up to config.shutdown_grace, and runs the
  // shutdown hooks. At most config.grpc_threads calls run at once; one more is answered
  // RESOURCE_EXHAUSTED at once (civil_grpc_server_overload_total) instead of queueing. UNAVAILABLE
  // when a port cannot be bound.
  absl::Status Run(const ServiceConfig& config);

 private:
  std::string service_name_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<grpc::Service*> services_;
  std::vector<std::string> service_names_;
  std::function<absl::Status()> readiness_;
  std::vector<std::function<void()>> shutdown_hooks_;
};

// Builds a grpc::ServerBuilder with the interceptor, health and reflection configured as in
// Run(), for tests that host services in-process. `metrics` may be null.
void ConfigureServerBuilder(grpc::ServerBuilder* builder, std::shared_ptr<RpcMetrics> metrics);

// Creates grpc-prometheus metrics for the methods of `services` (plus health and reflection):
// grpc_server_started_total, grpc_server_handled_total, grpc_server_handling_seconds.
// `service_names` are full names (civil.assistance.v1.HouseholdService) found in the generated
// pool.
std::shared_ptr<RpcMetrics> CreateRpcMetrics(prometheus::Registry* registry,
                                             const std::vector<std::string>& service_names);

// The request id of the call: the `x-request-id` the client sent, or the one the interceptor
// generated for it.
std::string RequestId(const grpc::ServerContext& context);

}  // namespace civil
