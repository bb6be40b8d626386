#include "gateway/gateway.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <random>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/http_errors.h"
#include "gateway/log.h"

namespace civil::gateway {
namespace {

namespace http = boost::beast::http;

constexpr absl::string_view kUnmatched = "unmatched";
constexpr absl::string_view kHealthPath = "/healthz";
constexpr absl::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                          "PATCH", "DELETE", "OPTIONS"};

// gRPC status codes the gateway itself answers with.
constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;
constexpr int kResourceExhausted = 8;
constexpr int kUnimplemented = 12;
constexpr int kInternal = 13;
constexpr int kUnavailable = 14;

// gRPC carries only printable ASCII in text metadata, under lower-case keys that are not reserved
// for the protocol itself (`grpc-*`, pseudo-headers).
bool IsForwardableMetadata(absl::string_view key, absl::string_view value) {
  if (key.empty() || absl::StartsWith(key, "grpc-") || absl::EndsWith(key, "-bin") || key == "te" ||
      key == "content-type" || key == "user-agent") {
    return false;
  }
  for (char c : key) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

absl::string_view MethodLabel(absl::string_view method) {
  for (absl::string_view m : kMethods) {
    if (m == method) return m;
  }
  return "OTHER";
}

std::string RequestIdFor(absl::string_view client_value) {
  if (!client_value.empty() && client_value.size() <= 128 &&
      std::all_of(client_value.begin(), client_value.end(),
                  [](char c) { return c > 0x20 && c < 0x7f; })) {
    return std::string(client_value);
  }
  thread_local std::mt19937_64 random{std::random_device{}()};
  uint64_t hi = random();
  uint64_t lo = random();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  size_t pos = 0;
  for (int nibble = 0; nibble < 32; ++nibble) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;  // dashes of 8-4-4-4-12
    uint64_t word = nibble < 16 ? hi : lo;
    id[pos++] = kHex[(word >> (60 - 4 * (nibble % 16))) & 0xf];
  }
  return id;
}

// One backend call in flight; owned by itself from UnaryCall until OnBackendDone.
struct Gateway::BackendCall {
  explicit BackendCall(Responder r) : responder(std::move(r)) {}
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  const Route* route = nullptr;
  Outcome outcome;
  Responder responder;
};

Gateway::Gateway(const GatewayConfig& config) : config_(config) {}

Gateway::~Gateway() { Shutdown(); }

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Create(const GatewayConfig& config,
                                                         const EnvLookup& env) {
  std::unique_ptr<Gateway> gw(new Gateway(config));
  absl::StatusOr<LoadedDescriptors> descriptors = LoadDescriptorSet(config.descriptor_set);
  if (!descriptors.ok()) return descriptors.status();
  gw->descriptors_ = *std::move(descriptors);
  absl::StatusOr<Router> router = Router::Create(gw->descriptors_.Services());
  if (!router.ok()) return router.status();
  gw->router_ = *std::move(router);
  for (const std::string& warning : gw->router_.warnings()) LogEvent("warning", warning);
  gw->transcoder_ = std::make_unique<Transcoder>(
      gw->descriptors_.pool.get(), gw->descriptors_.files,
      TranscoderOptions{.proto_field_names = config.proto_field_names});

  // --backend must name services that exist: a typo would otherwise silently fall back.
  absl::flat_hash_set<std::string> services;
  for (const auto* service : gw->descriptors_.Services()) services.insert(service->full_name());
  for (const auto& [service, address] : config.backends) {
    if (!services.contains(service)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--backend ", service, "=", address, ": no such service in ", config.descriptor_set));
    }
  }

  gw->metrics_ = std::make_shared<HttpMetrics>();

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  absl::flat_hash_map<std::string, Backend*> by_address;
  absl::flat_hash_map<std::string, Backend*> by_service;
  for (const std::unique_ptr<Route>& route : gw->router_.routes()) {
    const std::string& service = route->method->service()->full_name();
    Backend*& backend = by_service[service];
    if (backend == nullptr) {
      absl::StatusOr<std::string> address = BackendAddress(config, service, env);
      if (!address.ok()) return address.status();
      Backend*& shared = by_address[*address];
      if (shared == nullptr) {
        auto created = std::make_unique<Backend>();
        created->address = *address;
        created->channel =
            grpc::CreateCustomChannel(*address, grpc::InsecureChannelCredentials(), args);
        created->stub = std::make_unique<grpc::GenericStub>(created->channel);
        shared = created.get();
        gw->backends_.push_back(std::move(created));
      }
      backend = shared;
    }
    RouteTarget target;
    target.backend = backend;
    target.series = gw->metrics_->AddSeries(route->path.text(), route->http_method);
    gw->targets_.push_back(target);
  }
  for (absl::string_view method : kMethods) {
    gw->unmatched_series_.emplace_back(
        std::string(method), gw->metrics_->AddSeries(std::string(kUnmatched), std::string(method)));
  }
  gw->unmatched_series_.emplace_back("OTHER",
                                     gw->metrics_->AddSeries(std::string(kUnmatched), "OTHER"));
  gw->health_series_ = gw->metrics_->AddSeries(std::string(kHealthPath), "GET");
  return gw;
}

absl::Status Gateway::Start() {
  if (config_.metrics_listen != "off") {
    try {
      exposer_ = std::make_unique<prometheus::Exposer>(config_.metrics_listen, 1);
      exposer_->RegisterCollectable(metrics_);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("cannot serve metrics on ", config_.metrics_listen, ": ", e.what()));
    }
  }
  HttpServerOptions options;
  options.listen = config_.listen;
  options.threads = config_.threads;
  options.max_body_bytes = config_.max_body_bytes;
  options.max_header_bytes = config_.max_header_bytes;
  options.idle_timeout = std::chrono::seconds(config_.idle_timeout_s);
  absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(options, this);
  if (!server.ok()) return server.status();
  server_ = *std::move(server);
  return absl::OkStatus();
}

uint16_t Gateway::port() const { return server_ ? server_->port() : 0; }

std::vector<std::string> Gateway::BackendSummary() const {
  std::vector<std::string> out;
  for (const auto& backend : backends_) out.push_back(backend->address);
  return out;
}

void Gateway::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // civetweb takes up to 2 s to stop; do it while the HTTP side drains.
  std::thread stop_metrics([this] { exposer_.reset(); });
  const auto grace = std::chrono::milliseconds(config_.deadline_ms + 2000);
  if (server_) {
    int left = server_->Shutdown(grace);
    if (left > 0) LogEvent("warning", absl::StrCat(left, " connections still open at shutdown"));
  }
  // Normally every call has been answered by now (each holds its connection open). If the grace
  // ran out, wait for the remaining gRPC callbacks (bounded by their deadline) so none fires into a
  // destroyed gateway; their posted work is dropped with the io contexts.
  auto until = std::chrono::steady_clock::now() + grace;
  while (calls_in_flight_.load() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop_metrics.join();
}

size_t Gateway::UnmatchedSeries(absl::string_view method) const {
  absl::string_view label = MethodLabel(method);
  for (const auto& [m, series] : unmatched_series_) {
    if (m == label) return series;
  }
  return unmatched_series_.back().second;
}

void Gateway::Handle(const HttpRequest& request, Responder responder) {
  Outcome outcome;
  outcome.start = std::chrono::steady_clock::now();
  auto id_header = request.find("x-request-id");
  outcome.request_id =
      RequestIdFor(id_header == request.end()
                       ? absl::string_view()
                       : absl::string_view(id_header->value().data(), id_header->value().size()));
  absl::string_view target(request.target().data(), request.target().size());
  absl::string_view method(request.method_string().data(), request.method_string().size());
  size_t question = target.find('?');
  absl::string_view path = target.substr(0, question);
  absl::string_view query = question == absl::string_view::npos ? "" : target.substr(question + 1);

  if (path == kHealthPath && (method == "GET" || method == "HEAD")) {
    outcome.series = health_series_;
    outcome.route = kHealthPath;
    outcome.method = "GET";
    return Health(std::move(outcome), responder);
  }

  Router::MatchResult match = router_.Match(method, path);
  if (match.outcome != Router::Outcome::kMatched) {
    outcome.series = UnmatchedSeries(method);
    outcome.route = kUnmatched;
    outcome.method = MethodLabel(method);
    if (match.outcome == Router::Outcome::kMethodNotAllowed) {
      return SendError(outcome, 405, kUnimplemented,
                       absl::StrCat("method ", outcome.method,
                                    " is not allowed for this path; allowed: ", match.allow),
                       responder, match.allow);
    }
    return SendError(outcome, 404, kNotFound,
                     absl::StrCat("no route for ", outcome.method, " ", path), responder);
  }
  const Route& route = *match.route;
  const RouteTarget& route_target = targets_[route.index];
  outcome.series = route_target.series;
  outcome.route = route.path.text();
  outcome.method = route.http_method;

  std::string binary;
  absl::Status built = transcoder_->BuildRequest(
      route, match.bindings, query, absl::string_view(request.body().data(), request.body().size()),
      &binary);
  if (!built.ok()) {
    return SendError(outcome, 400, kInvalidArgument, built.message(), responder);
  }

  auto* call = new BackendCall(std::move(responder));
  call->route = &route;
  call->outcome = std::move(outcome);
  grpc::Slice slice(binary);
  call->request = grpc::ByteBuffer(&slice, 1);
  call->context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::milliseconds(config_.deadline_ms));
  call->context.AddMetadata("x-request-id", call->outcome.request_id);
  for (const auto& field : request) {
    absl::string_view name(field.name_string().data(), field.name_string().size());
    absl::string_view value(field.value().data(), field.value().size());
    std::string key;
    if (absl::EqualsIgnoreCase(name, "authorization")) {
      key = "authorization";
    } else if (name.size() > 14 && absl::StartsWithIgnoreCase(name, "grpc-metadata-")) {
      key = absl::AsciiStrToLower(name.substr(14));
    } else {
      continue;
    }
    if (!IsForwardableMetadata(key, value)) {
      std::unique_ptr<BackendCall> dropped(call);
      return SendError(dropped->outcome, 400, kInvalidArgument,
                       absl::StrCat("header ", name, " cannot be forwarded as gRPC metadata"),
                       dropped->responder);
    }
    call->context.AddMetadata(std::move(key), std::string(value));
  }
  calls_in_flight_.fetch_add(1, std::memory_order_relaxed);
  route_target.backend->stub->UnaryCall(
      &call->context, route.grpc_method, grpc::StubOptions(), &call->request, &call->response,
      [this, call](grpc::Status status) {
        // On a gRPC thread: move the work (and the call) to the connection's io thread.
        std::unique_ptr<BackendCall> owned(call);
        Responder& responder = owned->responder;
        responder.Post([this, owned = std::move(owned), status = std::move(status)]() mutable {
          OnBackendDone(std::move(owned), status);
        });
        calls_in_flight_.fetch_sub(1, std::memory_order_release);
      });
}

void Gateway::OnBackendDone(std::unique_ptr<BackendCall> call, const grpc::Status& status) {
  call->outcome.grpc_code = status.error_code();
  if (!status.ok()) {
    const int code = status.error_code();
    HttpResponse response;
    response.status = HttpStatusFromGrpc(code);
    response.body = ErrorJson(code, status.error_message(),
                              transcoder_->ErrorDetailsJson(status.error_details()));
    return Finish(call->outcome, std::move(response), call->responder);
  }
  HttpResponse response;
  grpc::ProtoBufferReader reader(&call->response);
  absl::Status printed = transcoder_->ResponseToJson(*call->route, &reader, &response.body);
  if (!printed.ok()) {
    call->outcome.grpc_code = kInternal;
    return SendError(
        call->outcome, 500, kInternal,
        absl::StrCat("backend response is not a valid ", call->route->output->full_name()),
        call->responder);
  }
  Finish(call->outcome, std::move(response), call->responder);
}

void Gateway::HandleRejected(const HttpRequest& partial, int http_status, absl::string_view reason,
                             Responder responder) {
  Outcome outcome;
  outcome.start = std::chrono::steady_clock::now();
  auto id_header = partial.find("x-request-id");
  outcome.request_id =
      RequestIdFor(id_header == partial.end()
                       ? absl::string_view()
                       : absl::string_view(id_header->value().data(), id_header->value().size()));
  absl::string_view method(partial.method_string().data(), partial.method_string().size());
  absl::string_view target(partial.target().data(), partial.target().size());
  outcome.series = UnmatchedSeries(method);
  outcome.route = kUnmatched;
  outcome.method = MethodLabel(method);
  if (http_status == 413) {  // the header is complete: count it under its route
    Router::MatchResult match = router_.Match(method, target.substr(0, target.find('?')));
    if (match.outcome == Router::Outcome::kMatched) {
      outcome.series = targets_[match.route->index].series;
      outcome.route = match.route->path.text();
      outcome.method = match.route->http_method;
    }
  }
  int code = http_status == 413 || http_status == 431 ? kResourceExhausted : kInvalidArgument;
  SendError(outcome, http_status, code, reason, responder);
}

void Gateway::Health(Outcome outcome, Responder& responder) {
  bool serving = true;
  for (const auto& backend : backends_) {
    if (backend->channel->GetState(/*try_to_connect=*/true) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
      serving = false;
    }
  }
  HttpResponse response;
  response.status = serving ? 200 : 503;
  response.body = serving ? R"({"status":"SERVING"})" : R"({"status":"NOT_SERVING"})";
  outcome.grpc_code = serving ? 0 : kUnavailable;
  Finish(outcome, std::move(response), responder);
}

void Gateway::SendError(const Outcome& outcome, int http_status, int grpc_code,
                        absl::string_view message, Responder& responder, absl::string_view allow) {
  HttpResponse response;
  response.status = http_status;
  response.body = ErrorJson(grpc_code, message);
  if (!allow.empty()) response.headers.emplace_back("Allow", std::string(allow));
  Outcome with_code = outcome;
  with_code.grpc_code = grpc_code;
  Finish(with_code, std::move(response), responder);
}

void Gateway::Finish(const Outcome& outcome, HttpResponse response, Responder& responder) {
  const int status = response.status;
  response.headers.emplace_back("x-request-id", outcome.request_id);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - outcome.start).count();
  metrics_->Record(outcome.series, status, seconds);
  responder.Send(std::move(response));
  if (config_.access_log) {
    // Never the query string or the body: they may carry ID numbers and names.
    std::string line;
    line.reserve(256);
    line.append("{\"ts\":\"");
    AppendTimestamp(&line);
    line.append(
        "\",\"level\":\"info\",\"component\":\"gateway\",\"msg\":\"http_request\","
        "\"request_id\":");
    AppendJsonString(outcome.request_id, &line);
    absl::StrAppend(&line, ",\"method\":\"", outcome.method, "\",\"route\":");
    AppendJsonString(outcome.route, &line);
    absl::StrAppend(&line, ",\"status\":", status, ",\"grpc_code\":", outcome.grpc_code,
                    ",\"duration_ms\":");
    AppendMillis(seconds, &line);
    line.push_back('}');
    WriteLine(std::move(line));
  }
}

}  // namespace civil::gateway
