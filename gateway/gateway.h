// The HTTP/JSON gateway: routes HTTP requests by the services' `google.api.http` rules,
// transcodes JSON to protobuf, calls the backend (unary calls over the io thread's own HTTP/2
// connection, grpc_h2.h; streaming calls through a generic gRPC stub; asynchronously either way:
// no io thread ever waits for a backend) and answers with JSON, plus /healthz, Prometheus metrics
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
#include "gateway/client_ip.h"
#include "gateway/config.h"
#include "gateway/descriptor_set.h"
#include "gateway/grpc_h2.h"
#include "gateway/http_server.h"
#include "gateway/limits.h"
#include "gateway/metrics.h"
#include "gateway/router.h"
#include "gateway/transcoder.h"
#include "services/common/jwt.h"

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
  // One backend address. Unary calls go through each io thread's own GrpcH2Channel to it (h2_);
  // server-streaming calls, and every call when the address is not one GrpcH2Channel supports or
  // --h2-unary=false, through a gRPC channel's generic stub.
  struct Backend {
    std::string address;
    size_t index = 0;    // in backends_ and in each h2_[thread]
    bool h2 = false;     // unary calls over GrpcH2Channel
    bool unary = false;  // some route is unary
    bool streaming = false;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  // Per route (indexed by Route::index): where it goes, its metric series, who may call it.
  struct RouteTarget {
    // Where its calls go: one backend, or — for a contract every department serves (a package
    // that is no department's, with a `{department}` path variable, e.g. civil.audit.v1's
    // `/v1/{department}/id-views`) — the backend of the department the path names. A backend is
    // every address of the service (CIVIL_<DEPT>_ADDR or --backend as a comma-separated list):
    // unary calls over HTTP/2 go round-robin, skipping replicas that are backing off, and an
    // UNAVAILABLE that is safe to retry (a read, or a call that never reached the backend) is
    // sent to the next replica; streaming calls use the first.
    std::vector<Backend*> replicas;
    const PathVariable* department_variable = nullptr;
    std::vector<std::pair<std::string, std::vector<Backend*>>> by_department;
    size_t series = 0;
    size_t method_metric = 0;  // index in GatewayMetrics' backend methods
    bool has_rule = false;     // the RPC declares (civil.common.v1.access)
    std::vector<std::string> roles;
    std::string roles_text;  // "a, b" for the 403 message
    bool write = false;      // rate-limit class: anything but GET/HEAD
  };
  struct BackendCall;
  class StreamCall;
  // What one answered request needs for its response, metrics and log line.
  struct Outcome {
    size_t series;
    absl::string_view route;
    absl::string_view method;
    std::string request_id;
    std::chrono::steady_clock::time_point start;
    int grpc_code = 0;
    std::string subject;      // the verified caller, for the access log
    std::string client_ip;    // peer, or from X-Forwarded-For of a trusted proxy (client_ip.h)
    std::string cors_origin;  // echoed in Access-Control-Allow-Origin when allowed
    bool gzip = false;        // the client accepts gzip
  };
  using Headers = std::vector<std::pair<std::string, std::string>>;

  explicit Gateway(const GatewayConfig& config);
  // After identity, access and transcoding: rate limit → idempotency → backend.
  void Admit(BackendCall* call);
  void AfterLimit(BackendCall* call);
  void OnClaim(BackendCall* call, IdempotencyStore::Claim claim);
  void StartBackend(BackendCall* call);
  // The backend's answer: gRPC status code, message, details (a serialized google.rpc.Status) and
  // the serialized response message (when `code` is 0).
  void OnBackendDone(std::unique_ptr<BackendCall> call, int code, absl::string_view message,
                     absl::string_view details, absl::string_view response);
  void Finish(const Outcome& outcome, HttpResponse response, Responder& responder);
  // x-request-id and CORS headers of every response.
  void Decorate(const Outcome& outcome, Headers* headers) const;
  // Metrics, in-flight gauge and access log of an answered request.
  void Record(const Outcome& outcome, int http_status);
  void SendError(const Outcome& outcome, int http_status, int grpc_code, absl::string_view message,
                 Responder& responder, Headers headers = {});
  void Health(Outcome outcome, Responder& responder);
  void Preflight(const Outcome& outcome, bool allowed, Responder& responder);
  void ServeOpenApi(const Outcome& outcome, Responder& responder);
  void ServeDocs(const Outcome& outcome, absl::string_view path, Responder& responder);
  // /console/: the web console's files (gateway/console.h); /console/dev-sign-in.
  void ServeConsole(const Outcome& outcome, absl::string_view path, Responder& responder);
  void DevSignIn(const Outcome& outcome, absl::string_view method, absl::string_view body,
                 Responder& responder);
  size_t UnmatchedSeries(absl::string_view method) const;
  // The client's address: the peer's, or what trusted proxies say in X-Forwarded-For.
  std::string ClientIp(const HttpRequest& request, const std::string& peer) const;

  GatewayConfig config_;
  std::string dev_sign_in_pem_;  // --dev-sign-in-key's contents; empty = off
  std::string dev_sign_in_kid_;
  LoadedDescriptors descriptors_;
  Router router_;
  std::unique_ptr<Transcoder> transcoder_;
  std::vector<std::unique_ptr<Backend>> backends_;
  std::vector<RouteTarget> targets_;

  std::shared_ptr<HttpMetrics> metrics_;
  std::shared_ptr<GatewayMetrics> gateway_metrics_;
  std::unique_ptr<JwtVerifier> verifier_;  // null with --auth=off
  TrustedProxies trusted_proxies_;
  LimitCounters limit_counters_;
  std::string openapi_json_;
  size_t public_series_ = 0;       // /openapi.json and /docs
  size_t console_series_ = 0;      // GET /console/… (the web console's files)
  size_t dev_sign_in_series_ = 0;  // POST /console/dev-sign-in
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::vector<std::pair<std::string, size_t>> unmatched_series_;  // method label → series
  size_t health_series_ = 0;

  std::unique_ptr<HttpServer> server_;
  // Declared after server_ so they go first: pending Redis callbacks post to live io contexts.
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<IdempotencyStore> idempotency_;
  // One Redis connection per io thread (by Responder::thread()); empty without --redis.
  std::vector<std::unique_ptr<IoRedis>> redis_;
  // Per io thread, per backend (Backend::index): its HTTP/2 connection for unary calls (null when
  // the backend is not reached that way).
  std::vector<std::vector<std::unique_ptr<GrpcH2Channel>>> h2_;
  // Backend calls through gRPC's own client whose callback has not run yet.
  std::atomic<int> calls_in_flight_{0};
  std::atomic<size_t> next_replica_{0};  // round robin over a route's replicas
  bool shut_down_ = false;
};

// Methods outside this set are labelled `OTHER` in metrics and logs (bounded cardinality).
absl::string_view MethodLabel(absl::string_view method);

// A client's X-Request-Timeout: milliseconds (`1500`), or with a unit (`1500ms`, `1.5s`). False
// when malformed or not positive.
bool ParseRequestTimeout(absl::string_view text, int64_t* ms);

// gzip (RFC 1952) of `data`.
std::string Gzip(absl::string_view data);

// The request id to use: the client's `x-request-id` when it is 1..128 printable ASCII
// characters, otherwise a new random UUID.
std::string RequestIdFor(absl::string_view client_value);

}  // namespace civil::gateway
