// The HTTP/JSON gateway: routes HTTP requests by the services' `google.api.http` rules,
// transcodes JSON to protobuf, calls the backend through a generic gRPC stub (asynchronously: no
// io thread ever waits for a backend) and answers with JSON, plus /healthz, Prometheus metrics
// and one JSON access-log line per request.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <prometheus/exposer.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/config.h"
#include "gateway/descriptor_set.h"
#include "gateway/http_server.h"
#include "gateway/metrics.h"
#include "gateway/router.h"
#include "gateway/transcoder.h"

namespace civil::gateway {

class Gateway : public HttpHandler {
 public:
  // Loads the descriptor set, builds the routes and one channel per backend address (channels
  // connect lazily). Does not listen yet. Returns the loader's or router's error (naming the file
  // or RPC), or NOT_FOUND when a routed service has no backend address, or INVALID_ARGUMENT when
  // --backend names a service that is not in the descriptor set.
  static absl::StatusOr<std::unique_ptr<Gateway>> Create(const GatewayConfig& config,
                                                         const EnvLookup& env);
  ~Gateway() override;

  // Starts the metrics endpoint (unless "off") and the HTTP server. Returns UNAVAILABLE when an
  // address cannot be bound, INVALID_ARGUMENT when it is malformed.
  absl::Status Start();

  // Stops accepting, finishes in-flight requests (up to the backend deadline plus a margin) and
  // stops the io threads. Idempotent.
  void Shutdown();

  // The bound HTTP port (after Start()).
  uint16_t port() const;
  const Router& router() const { return router_; }
  // Backend address of each channel, for the start-up log.
  std::vector<std::string> BackendSummary() const;

  // HttpHandler.
  void Handle(const HttpRequest& request, Responder responder) override;
  void HandleRejected(const HttpRequest& partial, int http_status, absl::string_view reason,
                      Responder responder) override;

 private:
  struct Backend {
    std::string address;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  // Per route (indexed by Route::index): where it goes and its metric series.
  struct RouteTarget {
    Backend* backend = nullptr;
    size_t series = 0;
  };
  struct BackendCall;
  // What one answered request needs for its response, metrics and log line.
  struct Outcome {
    size_t series;
    absl::string_view route;
    absl::string_view method;
    std::string request_id;
    std::chrono::steady_clock::time_point start;
    int grpc_code = 0;
  };

  explicit Gateway(const GatewayConfig& config);
  void OnBackendDone(std::unique_ptr<BackendCall> call, const grpc::Status& status);
  void Finish(const Outcome& outcome, HttpResponse response, Responder& responder);
  void SendError(const Outcome& outcome, int http_status, int grpc_code, absl::string_view message,
                 Responder& responder, absl::string_view allow = {});
  void Health(Outcome outcome, Responder& responder);
  size_t UnmatchedSeries(absl::string_view method) const;

  GatewayConfig config_;
  LoadedDescriptors descriptors_;
  Router router_;
  std::unique_ptr<Transcoder> transcoder_;
  std::vector<std::unique_ptr<Backend>> backends_;
  std::vector<RouteTarget> targets_;

  std::shared_ptr<HttpMetrics> metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::vector<std::pair<std::string, size_t>> unmatched_series_;  // method label → series
  size_t health_series_ = 0;

  std::unique_ptr<HttpServer> server_;
  // Backend calls whose gRPC callback has not run yet.
  std::atomic<int> calls_in_flight_{0};
  bool shut_down_ = false;
};

// Methods outside this set are labelled `OTHER` in metrics and logs (bounded cardinality).
absl::string_view MethodLabel(absl::string_view method);

// The request id to use: the client's `x-request-id` when it is 1..128 printable ASCII
// characters, otherwise a new random UUID.
std::string RequestIdFor(absl::string_view client_value);

}  // namespace civil::gateway
