#include "gateway/gateway.h"

#include <grpc/status.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/support/client_callback.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "civil/common/v1/common.pb.h"
#include "gateway/console.h"
#include "gateway/http_errors.h"
#include "gateway/openapi.h"
#include "services/common/log.h"
#include "services/common/tls.h"

namespace civil::gateway {
namespace {

namespace http = boost::beast::http;

constexpr absl::string_view kUnmatched = "unmatched";
constexpr absl::string_view kHealthPath = "/healthz";
constexpr absl::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                          "PATCH", "DELETE", "OPTIONS"};

constexpr absl::string_view kOpenApiPath = "/openapi.json";
constexpr absl::string_view kDocsPath = "/docs";

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

absl::string_view HeaderValue(const HttpRequest& request, http::field field) {
  auto it = request.find(field);
  if (it == request.end()) return {};
  return absl::string_view(it->value().data(), it->value().size());
}

absl::string_view HeaderValue(const HttpRequest& request, absl::string_view name) {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  if (it == request.end()) return {};
  return absl::string_view(it->value().data(), it->value().size());
}

bool AcceptsGzip(absl::string_view accept_encoding) {
  for (absl::string_view item : absl::StrSplit(accept_encoding, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    if (!absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(parts[0]), "gzip")) continue;
    // `gzip;q=0` refuses it.
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view p = absl::StripAsciiWhitespace(parts[i]);
      double q;
      if (absl::ConsumePrefix(&p, "q=") && absl::SimpleAtod(p, &q) && q <= 0) return false;
    }
    return true;
  }
  return false;
}

std::string ContentTypeOf(absl::string_view path) {
  if (absl::EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(path, ".js")) return "application/javascript";
  if (absl::EndsWith(path, ".css")) return "text/css";
  if (absl::EndsWith(path, ".png")) return "image/png";
  if (absl::EndsWith(path, ".svg")) return "image/svg+xml";
  if (absl::EndsWith(path, ".ico")) return "image/x-icon";
  if (absl::EndsWith(path, ".woff2")) return "font/woff2";
  if (absl::EndsWith(path, ".json") || absl::EndsWith(path, ".map")) return "application/json";
  return "application/octet-stream";
}

}  // namespace

bool ParseRequestTimeout(absl::string_view text, int64_t* ms) {
  text = absl::StripAsciiWhitespace(text);
  double value;
  double scale = 1;
  if (absl::ConsumeSuffix(&text, "ms")) {
    scale = 1;
  } else if (absl::ConsumeSuffix(&text, "s")) {
    scale = 1000;
  }
  if (text.empty() || !absl::SimpleAtod(text, &value) || !(value > 0) || value * scale > 1e12) {
    return false;
  }
  *ms = std::max<int64_t>(1, static_cast<int64_t>(value * scale));
  return true;
}

std::string Gzip(absl::string_view data) {
  z_stream z{};
  // 15 window bits + 16: a gzip wrapper; level 5 trades little size for much less CPU than 9.
  if (deflateInit2(&z, 5, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&z, data.size()) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return {};
  return out;
}

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
  std::string request;    // the serialized request message
  GrpcMetadata metadata;  // x-request-id, the caller's identity, forwarded grpc-metadata-*
  // Through gRPC's client (streaming, or a target GrpcH2Channel does not take).
  std::unique_ptr<grpc::ClientContext> context;
  grpc::ByteBuffer request_buffer;
  grpc::ByteBuffer response;
  const Route* route = nullptr;
  // The route's replicas, or those of the department its path names.
  const std::vector<Backend*>* replicas = nullptr;
  Outcome outcome;
  Responder responder;
  RedisLink* redis = nullptr;  // the Redis connection of this io thread; null without --redis
  int64_t deadline_ms = 0;
  // Idempotency-Key: the store key and the request's fingerprint; claimed once Begin() said kNew.
  std::string idempotency_key;
  std::string fingerprint;
  bool claimed = false;
  bool claimed_locally = false;
  // Which of the route's replicas this attempt goes to, how many were tried, and the deadline of
  // the first attempt (a retry does not extend it).
  size_t replica = 0;
  size_t attempts = 0;
  std::chrono::steady_clock::time_point deadline_at{};
};

// A server-streaming call: each message becomes one JSON line, written as one HTTP chunk; the next
// message is read only when the previous chunk is written (the client's pace bounds memory). An
// error before the first message is an ordinary error response; after it, a last line
// `{"error":{"code":…,"message":…,"details":[…]}}` (as grpc-gateway writes it) ends the stream.
class Gateway::StreamCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamCall(Gateway* gateway, std::unique_ptr<BackendCall> call)
      : gateway_(gateway), call_(std::move(call)) {}

  void Start() {
    call_->replicas->front()->stub->PrepareBidiStreamingCall(
        call_->context.get(), call_->route->grpc_method, grpc::StubOptions(), this);
    StartWriteLast(&call_->request_buffer, grpc::WriteOptions());
    StartRead(&call_->response);
    AddHold();  // released when the reads end; reads are restarted from the io thread
    StartCall();
  }

  void OnWriteDone(bool) override {}

  void OnReadDone(bool ok) override {
    if (!ok) return RemoveHold();
    std::string line;
    grpc::ProtoBufferReader reader(&call_->response);
    if (!gateway_->transcoder_->ResponseToJson(*call_->route, &reader, &line).ok()) {
      bad_message_ = true;
      call_->context->TryCancel();
      return RemoveHold();
    }
    call_->response.Clear();
    line.push_back('\n');
    const bool first = !head_sent_;
    head_sent_ = true;
    call_->responder.Post([this, first, line = std::move(line)]() mutable {
      auto next = [this](bool written) {
        if (!written) {  // the client went away: stop the backend too
          client_gone_ = true;
          call_->context->TryCancel();
          return RemoveHold();
        }
        StartRead(&call_->response);
      };
      if (!first) return call_->responder.SendChunk(std::move(line), false, next);
      HttpResponse head;
      head.content_type = "application/x-ndjson";
      gateway_->Decorate(call_->outcome, &head.headers);
      call_->responder.StartStream(std::move(head), [this, line, next](bool written) mutable {
        if (!written) return next(false);
        call_->responder.SendChunk(std::move(line), false, next);
      });
    });
  }

  void OnDone(const grpc::Status& status) override {
    gateway_->calls_in_flight_.fetch_sub(1, std::memory_order_release);
    Responder& responder = call_->responder;
    responder.Post([this, status] { Finish(status); });
  }

 private:
  void Finish(const grpc::Status& status) {
    std::unique_ptr<StreamCall> self(this);
    Outcome& outcome = call_->outcome;
    outcome.grpc_code = bad_message_ ? grpc::StatusCode::INTERNAL : status.error_code();
    gateway_->gateway_metrics_->Backend(gateway_->targets_[call_->route->index].method_metric,
                                        status.error_code());
    if (client_gone_) return gateway_->Record(outcome, 499);
    std::string error;
    if (bad_message_) {
      error = ErrorJson(GRPC_STATUS_INTERNAL, absl::StrCat("backend response is not a valid ",
                                                           call_->route->output->full_name()));
    } else if (!status.ok()) {
      error = ErrorJson(status.error_code(), status.error_message(),
                        gateway_->transcoder_->ErrorDetailsJson(status.error_details()));
    }
    if (!head_sent_) {
      HttpResponse response;
      if (error.empty()) {
        response.content_type = "application/x-ndjson";  // a stream of no messages
      } else {
        response.status = bad_message_ ? 500 : HttpStatusFromGrpc(status.error_code());
        response.body = std::move(error);
      }
      return gateway_->Finish(outcome, std::move(response), call_->responder);
    }
    std::string tail;
    if (!error.empty()) tail = absl::StrCat("{\"error\":", error, "}\n");
    call_->responder.SendChunk(std::move(tail), /*last=*/true, nullptr);
    gateway_->Record(outcome, 200);
  }

  Gateway* gateway_;
  std::unique_ptr<BackendCall> call_;
  bool head_sent_ = false;
  bool bad_message_ = false;
  bool client_gone_ = false;
};

Gateway::Gateway(const GatewayConfig& config) : config_(config) {}

Gateway::~Gateway() { Shutdown(); }

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Create(const GatewayConfig& config,
                                                         const EnvLookup& env) {
  if (absl::Status checked = CheckConfig(config); !checked.ok()) return checked;
  std::unique_ptr<Gateway> gw(new Gateway(config));
  absl::StatusOr<LoadedDescriptors> descriptors = LoadDescriptorSet(config.descriptor_set);
  if (!descriptors.ok()) return descriptors.status();
  gw->descriptors_ = *std::move(descriptors);
  absl::StatusOr<Router> router = Router::Create(gw->descriptors_.Services());
  if (!router.ok()) return router.status();
  gw->router_ = *std::move(router);
  for (const std::string& warning : gw->router_.warnings()) Log(LogLevel::kWarn, warning);
  gw->transcoder_ =
      std::make_unique<Transcoder>(gw->descriptors_.pool.get(), gw->descriptors_.files,
                                   TranscoderOptions{.proto_field_names = config.proto_field_names,
                                                     .fast_json = config.fast_json});

  // --backend must name services that exist: a typo would otherwise silently fall back.
  absl::flat_hash_set<std::string> services;
  for (const auto* service : gw->descriptors_.Services()) services.insert(service->full_name());
  for (const auto& [service, address] : config.backends) {
    if (!services.contains(service)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--backend ", service, "=", address, ": no such service in ", config.descriptor_set));
    }
  }

  // Identity: keys are loaded once; a bad key file is a start-up error naming it.
  if (!config.auth_off) {
    JwtKeySet keys;
    for (const std::string& item : config.jwt_keys) {
      std::string kid;
      std::string path = item;
      size_t eq = item.find('=');
      if (eq != std::string::npos && item.substr(0, eq).find('/') == std::string::npos) {
        kid = item.substr(0, eq);
        path = item.substr(eq + 1);
      }
      if (absl::Status s = keys.AddFile(path, kid); !s.ok()) return s;
    }
    if (!config.jwt_hs256_secret_file.empty()) {
      std::ifstream in(config.jwt_hs256_secret_file, std::ios::binary);
      if (!in) {
        return absl::NotFoundError(absl::StrCat("cannot read ", config.jwt_hs256_secret_file));
      }
      std::ostringstream text;
      text << in.rdbuf();
      std::string secret = text.str();
      while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
      std::string kid = config.jwt_hs256_secret_file;
      if (size_t slash = kid.rfind('/'); slash != std::string::npos) kid = kid.substr(slash + 1);
      if (size_t dot = kid.find('.'); dot != std::string::npos && dot > 0) kid.resize(dot);
      if (absl::Status s = keys.AddHs256(kid, secret); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(config.jwt_hs256_secret_file, ": ", s.message()));
      }
      Log(LogLevel::kWarn, "HS256 tokens accepted (--jwt-hs256-secret-file): development only");
    }
    Log(LogLevel::kInfo,
        absl::StrCat("bearer tokens from ", config.jwt_issuer, " for ", config.jwt_audience,
                     ", keys ", absl::StrJoin(keys.Kids(), ", ")));
    JwtVerifierOptions options;
    options.issuer = config.jwt_issuer;
    options.audience = config.jwt_audience;
    options.leeway = std::chrono::seconds(config.jwt_leeway_s);
    gw->verifier_ = std::make_unique<JwtVerifier>(std::move(keys), std::move(options));
  } else {
    Log(LogLevel::kWarn,
        "--auth=off: the gateway checks no token; services still verify the token a client sends "
        "(benchmarks only)");
  }

  absl::StatusOr<TrustedProxies> proxies = TrustedProxies::Parse(config.trusted_proxies);
  if (!proxies.ok()) return proxies.status();
  gw->trusted_proxies_ = *std::move(proxies);
  if (!config.redis.empty()) {
    absl::StatusOr<std::pair<std::string, uint16_t>> host_port = SplitHostPort(config.redis);
    if (!host_port.ok()) return host_port.status();
  }
  gw->limiter_ =
      std::make_unique<RateLimiter>(&gw->limit_counters_, static_cast<size_t>(config.threads));
  gw->idempotency_ = std::make_unique<IdempotencyStore>();

  gw->metrics_ = std::make_shared<HttpMetrics>();

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  // No retries: the gateway never configures a retry policy, and the retry filter still copies
  // every call's metadata and messages in case it might (about 9k instructions a call).
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  absl::StatusOr<TlsConfig> tls =
      ReadTlsFiles({config.backend_tls_cert, config.backend_tls_key, config.backend_tls_ca, ""},
                   {"--backend-tls-cert", "--backend-tls-key", "--backend-tls-ca", ""});
  if (!tls.ok()) return tls.status();
  if (!tls->calls_tls() && tls->serves_tls()) {
    return absl::InvalidArgumentError(
        "--backend-tls-ca: required with --backend-tls-cert (the gateway verifies the backends)");
  }
  const std::shared_ptr<grpc::ChannelCredentials> credentials = ChannelCredentials(*tls);
  absl::flat_hash_map<std::string, Backend*> by_address;
  absl::flat_hash_map<std::string, std::vector<Backend*>> by_service;
  absl::flat_hash_map<std::string, size_t> method_metrics;
  std::vector<std::string> method_labels;
  // One Backend per address, however many services and departments share it.
  auto backend_at = [&](const std::string& address) {
    Backend*& shared = by_address[address];
    if (shared == nullptr) {
      auto created = std::make_unique<Backend>();
      created->address = address;
      created->index = gw->backends_.size();
      created->h2 = config.h2_unary && !tls->calls_tls() && GrpcH2Channel::SupportedTarget(address);
      created->channel = grpc::CreateCustomChannel(address, credentials, args);
      created->stub = std::make_unique<grpc::GenericStub>(created->channel);
      shared = created.get();
      gw->backends_.push_back(std::move(created));
    }
    return shared;
  };
  // The replicas of a backend: its comma-separated addresses, each once.
  auto replicas_at = [&](absl::string_view service,
                         const std::string& addresses) -> absl::StatusOr<std::vector<Backend*>> {
    std::vector<Backend*> replicas;
    for (absl::string_view item : absl::StrSplit(addresses, ',', absl::SkipWhitespace())) {
      Backend* backend = backend_at(std::string(absl::StripAsciiWhitespace(item)));
      if (std::find(replicas.begin(), replicas.end(), backend) == replicas.end()) {
        replicas.push_back(backend);
      }
    }
    if (replicas.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("no backend address for ", service));
    }
    return replicas;
  };
  for (const std::unique_ptr<Route>& route : gw->router_.routes()) {
    const google::protobuf::ServiceDescriptor& descriptor = *route->method->service();
    const std::string& service = descriptor.full_name();
    RouteTarget target;
    if (!IsDepartmentPackage(descriptor.file()->package())) {
      for (const PathVariable& variable : route->path.variables()) {
        if (variable.field_path == "department") target.department_variable = &variable;
      }
    }
    auto use = [&route](const std::vector<Backend*>& replicas) {
      for (Backend* replica : replicas) {
        (route->server_streaming ? replica->streaming : replica->unary) = true;
      }
    };
    if (target.department_variable != nullptr) {
      // A contract every department serves: each department's address, by its name.
      for (const std::string& department : DepartmentNames()) {
        const std::string name = absl::StrCat("civil.", department, ".v1.", descriptor.name());
        absl::StatusOr<std::string> address = BackendAddress(config, name, env);
        if (!address.ok()) return address.status();
        absl::StatusOr<std::vector<Backend*>> replicas = replicas_at(name, *address);
        if (!replicas.ok()) return replicas.status();
        use(*replicas);
        target.by_department.emplace_back(department, *std::move(replicas));
      }
    } else {
      std::vector<Backend*>& replicas = by_service[service];
      if (replicas.empty()) {
        absl::StatusOr<std::string> address = BackendAddress(config, service, env);
        if (!address.ok()) return address.status();
        absl::StatusOr<std::vector<Backend*>> found = replicas_at(service, *address);
        if (!found.ok()) return found.status();
        replicas = *std::move(found);
      }
      use(replicas);
      target.replicas = replicas;
    }
    target.series = gw->metrics_->AddSeries(route->path.text(), route->http_method);
    auto [it, inserted] = method_metrics.try_emplace(route->grpc_method, method_labels.size());
    if (inserted) method_labels.push_back(route->grpc_method);
    target.method_metric = it->second;
    // Who may call it: declared once in the contract, read here and by the service.
    if (route->method->options().HasExtension(civil::common::v1::access)) {
      const auto& rule = route->method->options().GetExtension(civil::common::v1::access);
      target.has_rule = true;
      target.roles.assign(rule.roles().begin(), rule.roles().end());
    }
    target.roles_text = absl::StrJoin(target.roles, ", ");
    target.write = route->http_method != "GET" && route->http_method != "HEAD";
    gw->targets_.push_back(std::move(target));
  }
  for (absl::string_view method : kMethods) {
    gw->unmatched_series_.emplace_back(
        std::string(method), gw->metrics_->AddSeries(std::string(kUnmatched), std::string(method)));
  }
  gw->unmatched_series_.emplace_back("OTHER",
                                     gw->metrics_->AddSeries(std::string(kUnmatched), "OTHER"));
  gw->health_series_ = gw->metrics_->AddSeries(std::string(kHealthPath), "GET");
  gw->public_series_ = gw->metrics_->AddSeries("/openapi.json,/docs", "GET");
  gw->console_series_ = gw->metrics_->AddSeries(std::string(kConsolePath), "GET");
  gw->dev_sign_in_series_ = gw->metrics_->AddSeries(std::string(kDevSignInPath), "POST");

  std::vector<std::string> reasons(GatewayMetrics::kAuthReasons);
  for (int e = 1; e < kJwtErrorCount; ++e) {
    reasons[static_cast<size_t>(e)] = std::string(JwtErrorReason(static_cast<JwtError>(e)));
  }
  reasons[GatewayMetrics::kForbidden] = "forbidden";
  Gateway* raw = gw.get();
  gw->gateway_metrics_ = std::make_shared<GatewayMetrics>(
      std::move(method_labels), std::move(reasons),
      [raw] {
        // Up when every io thread's connection is (read after Start(); the vector is fixed then).
        if (raw->redis_.empty()) return false;
        for (const auto& link : raw->redis_) {
          if (!link->up()) return false;
        }
        return true;
      },
      &gw->limit_counters_.local_decisions, !config.redis.empty());

  gw->openapi_json_ = BuildOpenApi(gw->descriptors_, gw->router_, !config.auth_off);
  if (gw->config_.docs_dir.empty()) {
#ifdef CIVIL_GATEWAY_DOCS_DIR
    gw->config_.docs_dir = CIVIL_GATEWAY_DOCS_DIR;
#endif
  }
  if (gw->config_.console_dir.empty()) {
#ifdef CIVIL_GATEWAY_CONSOLE_DIR
    gw->config_.console_dir = CIVIL_GATEWAY_CONSOLE_DIR;
#endif
  }
  if (!config.dev_sign_in_key.empty()) {
    std::ifstream in(config.dev_sign_in_key, std::ios::binary);
    std::ostringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--dev-sign-in-key: cannot read ", config.dev_sign_in_key));
    }
    gw->dev_sign_in_pem_ = pem.str();
    std::string stem = std::filesystem::path(config.dev_sign_in_key).filename().string();
    gw->dev_sign_in_kid_ = stem.substr(0, stem.find('.'));
    Log(LogLevel::kWarn, "development sign-in is on: /console/dev-sign-in mints tokens");
  }
  return gw;
}

absl::Status Gateway::Start() {
  HttpServerOptions options;
  options.listen = config_.listen;
  options.threads = config_.threads;
  options.max_body_bytes = config_.max_body_bytes;
  options.max_header_bytes = config_.max_header_bytes;
  options.idle_timeout = std::chrono::seconds(config_.idle_timeout_s);
  options.tls_cert = config_.tls_cert;
  options.tls_key = config_.tls_key;
  options.before_serving = [this](const std::vector<boost::asio::io_context*>& contexts) {
    // Each io thread's own connections: to Redis, and to every backend for unary calls.
    GrpcH2Channel::Options h2;
    h2.retry_unsent = std::chrono::milliseconds(config_.retry_unsent_ms);
    for (boost::asio::io_context* context : contexts) {
      std::vector<std::unique_ptr<GrpcH2Channel>> channels;
      for (const auto& backend : backends_) {
        channels.push_back(backend->h2 && backend->unary
                               ? std::make_unique<GrpcH2Channel>(*context, backend->address, h2)
                               : nullptr);
      }
      h2_.push_back(std::move(channels));
    }
    if (config_.redis.empty()) return;
    auto host_port = SplitHostPort(config_.redis);  // checked by Create()
    IoRedis::Options redis;
    redis.host = host_port->first;
    redis.port = host_port->second;
    for (boost::asio::io_context* context : contexts) {
      redis_.push_back(std::make_unique<IoRedis>(*context, redis));
    }
  };
  absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(options, this);
  if (!server.ok()) return server.status();
  server_ = *std::move(server);
  if (config_.metrics_listen != "off") {
    try {
      exposer_ = std::make_unique<prometheus::Exposer>(config_.metrics_listen, 1);
      exposer_->RegisterCollectable(metrics_);
      exposer_->RegisterCollectable(gateway_metrics_);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("cannot serve metrics on ", config_.metrics_listen, ": ", e.what()));
    }
  }
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
  const auto grace = std::chrono::milliseconds(
      std::max(config_.deadline_ms, std::min(config_.max_deadline_ms, 30000)) + 2000);
  if (server_) {
    int left = server_->Shutdown(grace);
    if (left > 0) Log(LogLevel::kWarn, absl::StrCat(left, " connections still open at shutdown"));
  }
  // Normally every call has been answered by now (each holds its connection open). If the grace
  // ran out, wait for the remaining gRPC and Redis callbacks (bounded by their deadlines) so none
  // fires into a destroyed gateway; their posted work is dropped with the io contexts.
  auto until = std::chrono::steady_clock::now() + grace;
  while (calls_in_flight_.load() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop_metrics.join();
  // The io threads have stopped: nothing uses the per-thread Redis and backend connections any
  // more (calls still unanswered after the grace period are dropped with them).
  redis_.clear();
  h2_.clear();
  FlushLog();
}

size_t Gateway::UnmatchedSeries(absl::string_view method) const {
  absl::string_view label = MethodLabel(method);
  for (const auto& [m, series] : unmatched_series_) {
    if (m == label) return series;
  }
  return unmatched_series_.back().second;
}

std::string Gateway::ClientIp(const HttpRequest& request, const std::string& peer) const {
  if (trusted_proxies_.empty()) return peer;
  // Several X-Forwarded-For fields are one list, in order (RFC 9110 §5.3).
  std::string forwarded_for;
  auto [begin, end] = request.equal_range("x-forwarded-for");
  for (auto it = begin; it != end; ++it) {
    if (!forwarded_for.empty()) forwarded_for.push_back(',');
    forwarded_for.append(it->value().data(), it->value().size());
  }
  return trusted_proxies_.ClientIp(peer, forwarded_for);
}

void Gateway::Handle(const HttpRequest& request, Responder responder) {
  gateway_metrics_->InFlight(1);
  Outcome outcome;
  outcome.start = std::chrono::steady_clock::now();
  outcome.client_ip = ClientIp(request, responder.peer());
  outcome.request_id = RequestIdFor(HeaderValue(request, "x-request-id"));
  absl::string_view target(request.target().data(), request.target().size());
  absl::string_view method(request.method_string().data(), request.method_string().size());
  size_t question = target.find('?');
  absl::string_view path = target.substr(0, question);
  absl::string_view query = question == absl::string_view::npos ? "" : target.substr(question + 1);
  outcome.gzip =
      config_.gzip_min_bytes > 0 && AcceptsGzip(HeaderValue(request, http::field::accept_encoding));

  // CORS: only configured origins are echoed; everything else gets no CORS headers.
  absl::string_view origin = HeaderValue(request, http::field::origin);
  bool origin_allowed = false;
  if (!origin.empty() && !config_.cors_origins.empty()) {
    for (const std::string& allowed : config_.cors_origins) {
      if (allowed == "*" || allowed == origin) origin_allowed = true;
    }
    if (origin_allowed) outcome.cors_origin = std::string(origin);
  }
  if (method == "OPTIONS" && !origin.empty() &&
      !HeaderValue(request, http::field::access_control_request_method).empty()) {
    outcome.series = UnmatchedSeries(method);
    outcome.route = kUnmatched;
    outcome.method = "OPTIONS";
    return Preflight(outcome, origin_allowed, responder);
  }

  // Public routes.
  if (method == "GET" || method == "HEAD") {
    if (path == kHealthPath) {
      outcome.series = health_series_;
      outcome.route = kHealthPath;
      outcome.method = "GET";
      return Health(std::move(outcome), responder);
    }
    if (path == kOpenApiPath) {
      outcome.series = public_series_;
      outcome.route = kOpenApiPath;
      outcome.method = "GET";
      return ServeOpenApi(outcome, responder);
    }
    if (path == kDocsPath || absl::StartsWith(path, "/docs/")) {
      outcome.series = public_series_;
      outcome.route = kDocsPath;
      outcome.method = "GET";
      return ServeDocs(outcome, path, responder);
    }
  }
  if (path == kDevSignInPath) {
    outcome.series = method == "POST" ? dev_sign_in_series_ : console_series_;
    outcome.route = kDevSignInPath;
    outcome.method = MethodLabel(method);
    return DevSignIn(outcome, method,
                     absl::string_view(request.body().data(), request.body().size()), responder);
  }
  if ((method == "GET" || method == "HEAD") &&
      (path == kConsolePath || absl::StartsWith(path, "/console/"))) {
    outcome.series = console_series_;
    outcome.route = kConsolePath;
    outcome.method = "GET";
    return ServeConsole(outcome, path, responder);
  }

  Router::MatchResult match = router_.Match(method, path);
  if (match.outcome != Router::Outcome::kMatched) {
    outcome.series = UnmatchedSeries(method);
    outcome.route = kUnmatched;
    outcome.method = MethodLabel(method);
    if (match.outcome == Router::Outcome::kMethodNotAllowed) {
      return SendError(outcome, 405, GRPC_STATUS_UNIMPLEMENTED,
                       absl::StrCat("method ", outcome.method,
                                    " is not allowed for this path; allowed: ", match.allow),
                       responder, {{"Allow", match.allow}});
    }
    return SendError(outcome, 404, GRPC_STATUS_NOT_FOUND,
                     absl::StrCat("no route for ", outcome.method, " ", path), responder);
  }
  const Route& route = *match.route;
  const RouteTarget& route_target = targets_[route.index];
  outcome.series = route_target.series;
  outcome.route = route.path.text();
  outcome.method = route.http_method;

  // The department a contract every department serves is asked of (`/v1/{department}/…`).
  absl::string_view department;
  for (const PathBinding& binding : match.bindings) {
    if (binding.variable == route_target.department_variable) department = binding.value;
  }

  // Identity, then access: both before anything else is spent on the request.
  std::shared_ptr<const Principal> principal;
  const absl::string_view bearer = BearerToken(HeaderValue(request, http::field::authorization));
  if (verifier_ != nullptr) {
    JwtResult verified = verifier_->Verify(bearer);
    if (!verified.ok()) {
      gateway_metrics_->AuthRejected(static_cast<size_t>(verified.error));
      std::string challenge =
          verified.error == JwtError::kMissing
              ? std::string("Bearer realm=\"civil\"")
              : absl::StrCat(
                    "Bearer realm=\"civil\", error=\"invalid_token\", error_description=\"",
                    verified.message, "\"");
      return SendError(outcome, 401, GRPC_STATUS_UNAUTHENTICATED, verified.message, responder,
                       {{"WWW-Authenticate", std::move(challenge)}});
    }
    principal = std::move(verified.principal);
    outcome.subject = principal->subject;
    bool allowed = principal->HasRole("admin");
    // A contract every department serves writes `{department}.clerk`: the path's department's.
    auto role_of = [&](const std::string& role) {
      return department.empty() ? role : absl::StrReplaceAll(role, {{"{department}", department}});
    };
    for (size_t i = 0; !allowed && i < route_target.roles.size(); ++i) {
      allowed = principal->HasRole(role_of(route_target.roles[i]));
    }
    if (!allowed) {
      gateway_metrics_->AuthRejected(GatewayMetrics::kForbidden);
      return SendError(
          outcome, 403, GRPC_STATUS_PERMISSION_DENIED,
          route_target.has_rule
              ? absl::StrCat("requires one of the roles: ", role_of(route_target.roles_text))
              : absl::StrCat(route.method->full_name(), " declares no access rule (admin only)"),
          responder);
    }
  }

  int64_t deadline_ms = config_.deadline_ms;
  if (absl::string_view timeout = HeaderValue(request, "x-request-timeout"); !timeout.empty()) {
    if (!ParseRequestTimeout(timeout, &deadline_ms)) {
      return SendError(outcome, 400, GRPC_STATUS_INVALID_ARGUMENT,
                       "X-Request-Timeout: expected milliseconds, e.g. 1500, 1500ms or 1.5s",
                       responder);
    }
    deadline_ms = std::min<int64_t>(deadline_ms, config_.max_deadline_ms);
  }

  absl::string_view body(request.body().data(), request.body().size());
  std::string binary;
  absl::Status built = transcoder_->BuildRequest(route, match.bindings, query, body, &binary);
  if (!built.ok()) {
    return SendError(outcome, 400, GRPC_STATUS_INVALID_ARGUMENT, built.message(), responder);
  }

  std::string idempotency_key;
  if (absl::string_view key = HeaderValue(request, "idempotency-key"); !key.empty()) {
    if (route.http_method == "POST" && !route.server_streaming) {
      if (key.size() > 255 ||
          !std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; })) {
        return SendError(outcome, 400, GRPC_STATUS_INVALID_ARGUMENT,
                         "Idempotency-Key: 1 to 255 printable ASCII characters", responder);
      }
      idempotency_key = std::string(key);
    }
  }

  const std::vector<Backend*>* replicas =
      route_target.replicas.empty() ? nullptr : &route_target.replicas;
  if (replicas == nullptr) {
    for (const auto& [name, candidates] : route_target.by_department) {
      if (name == department) replicas = &candidates;
    }
    if (replicas == nullptr) {
      return SendError(outcome, 404, GRPC_STATUS_NOT_FOUND,
                       absl::StrCat("department: no department is named \"", department, "\""),
                       responder);
    }
  }

  auto* call = new BackendCall(std::move(responder));
  call->route = &route;
  call->replicas = replicas;
  call->outcome = std::move(outcome);
  if (!redis_.empty()) call->redis = redis_[call->responder.thread() % redis_.size()].get();
  call->deadline_ms = deadline_ms;
  call->request = std::move(binary);
  call->metadata.reserve(4);
  call->metadata.emplace_back("x-request-id", call->outcome.request_id);
  if (!bearer.empty()) {
    // The user's own token: the service verifies it again (services/common/identity.h) and
    // takes the caller from it, so nothing the gateway adds can stand in for a user.
    call->metadata.emplace_back("authorization", absl::StrCat("Bearer ", bearer));
  }
  for (const auto& field : request) {
    absl::string_view name(field.name_string().data(), field.name_string().size());
    if (name.size() <= 14 || !absl::StartsWithIgnoreCase(name, "grpc-metadata-")) continue;
    absl::string_view value(field.value().data(), field.value().size());
    std::string key = absl::AsciiStrToLower(name.substr(14));
    // Identity comes from the token only: a client's x-civil-* is dropped (services ignore it
    // too), and the token travels only as the Authorization header.
    if (absl::StartsWith(key, "x-civil-") || key == "authorization" || key == "x-request-id") {
      continue;
    }
    if (!IsForwardableMetadata(key, value)) {
      std::unique_ptr<BackendCall> dropped(call);
      return SendError(dropped->outcome, 400, GRPC_STATUS_INVALID_ARGUMENT,
                       absl::StrCat("header ", name, " cannot be forwarded as gRPC metadata"),
                       dropped->responder);
    }
    call->metadata.emplace_back(std::move(key), std::string(value));
  }
  if (!idempotency_key.empty()) {
    // Scoped by caller: one principal's key never replays another's response.
    call->idempotency_key = absl::StrCat(
        "civil:gw:idem:", Sha256Hex(absl::StrCat(call->outcome.subject, "\n", idempotency_key)));
    call->fingerprint = Sha256Hex(absl::StrCat(route.http_method, " ", target, "\n", body));
  }
  Admit(call);
}

void Gateway::Admit(BackendCall* call) {
  if (!config_.rate_limit) return AfterLimit(call);
  const RouteTarget& route_target = targets_[call->route->index];
  const bool write = route_target.write;
  const char* cls = write ? "w" : "r";
  std::vector<RateLimiter::Check> checks;
  const GatewayConfig::Bucket& subject_bucket =
      write ? config_.write_subject : config_.read_subject;
  const GatewayConfig::Bucket& ip_bucket = write ? config_.write_ip : config_.read_ip;
  if (!call->outcome.subject.empty()) {
    checks.push_back({absl::StrCat("civil:gw:rl:", cls, ":s:", call->outcome.subject),
                      BucketSpec{subject_bucket.rate, subject_bucket.burst}});
  }
  checks.push_back({absl::StrCat("civil:gw:rl:", cls, ":ip:", call->outcome.client_ip),
                    BucketSpec{ip_bucket.rate, ip_bucket.burst}});
  auto decided = [this, call, write](const RateLimiter::Decision& d) {
    if (d.allowed) return AfterLimit(call);
    std::unique_ptr<BackendCall> owned(call);
    gateway_metrics_->RateLimited(write);
    SendError(owned->outcome, 429, GRPC_STATUS_RESOURCE_EXHAUSTED,
              absl::StrCat("rate limit exceeded; retry after ", d.retry_after_s, " s"),
              owned->responder, {{"Retry-After", std::to_string(d.retry_after_s)}});
  };
  if (call->redis == nullptr) {
    return decided(
        limiter_->TakeLocal(checks, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count()));
  }
  // Usually decided at once from this thread's leased tokens; otherwise the answer comes on this
  // io thread (the connection's own Redis link).
  const size_t thread = call->responder.thread();
  if (std::optional<RateLimiter::Decision> now = limiter_->TryTake(thread, checks)) {
    return decided(*now);
  }
  limiter_->Take(thread, call->redis, std::move(checks), decided);
}

void Gateway::AfterLimit(BackendCall* call) {
  if (call->idempotency_key.empty()) return StartBackend(call);
  idempotency_->Begin(
      call->redis, call->idempotency_key, call->fingerprint,
      std::chrono::milliseconds(call->deadline_ms + 5000),
      [this, call](IdempotencyStore::Claim claim) { OnClaim(call, std::move(claim)); });
}

void Gateway::OnClaim(BackendCall* call, IdempotencyStore::Claim claim) {
  if (claim.local) gateway_metrics_->IdempotencyResult(GatewayMetrics::kLocal);
  switch (claim.state) {
    case IdempotencyStore::State::kNew:
      call->claimed = true;
      call->claimed_locally = claim.local;
      return StartBackend(call);
    case IdempotencyStore::State::kInProgress: {
      std::unique_ptr<BackendCall> owned(call);
      gateway_metrics_->IdempotencyResult(GatewayMetrics::kInProgress);
      return SendError(owned->outcome, 409, GRPC_STATUS_ABORTED,
                       "a request with this Idempotency-Key is still in progress",
                       owned->responder);
    }
    case IdempotencyStore::State::kMismatch: {
      std::unique_ptr<BackendCall> owned(call);
      gateway_metrics_->IdempotencyResult(GatewayMetrics::kMismatch);
      return SendError(owned->outcome, 422, GRPC_STATUS_INVALID_ARGUMENT,
                       "this Idempotency-Key was used with a different request", owned->responder);
    }
    case IdempotencyStore::State::kReplay: {
      std::unique_ptr<BackendCall> owned(call);
      gateway_metrics_->IdempotencyResult(GatewayMetrics::kReplayed);
      HttpResponse response;
      response.status = claim.status;
      response.body = std::move(claim.body);
      response.headers.emplace_back("Idempotent-Replayed", "true");
      return Finish(owned->outcome, std::move(response), owned->responder);
    }
  }
}

void Gateway::StartBackend(BackendCall* call) {
  const std::vector<Backend*>& replicas = *call->replicas;
  const size_t thread = call->responder.thread();
  const bool h2 = !call->route->server_streaming && !h2_.empty();
  if (call->attempts == 0) {
    call->deadline_at =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(call->deadline_ms);
    call->replica = replicas.size() < 2 ? 0 : next_replica_.fetch_add(1, std::memory_order_relaxed);
  }
  // Round robin, past replicas this thread's connection to which is backing off.
  for (size_t k = 0; h2 && replicas.size() > 1 && k < replicas.size(); ++k) {
    const GrpcH2Channel* channel =
        h2_[thread % h2_.size()][replicas[(call->replica + k) % replicas.size()]->index].get();
    if (channel == nullptr || channel->state() != GrpcH2Channel::State::kTransientFailure) {
      call->replica += k;
      break;
    }
  }
  call->replica %= replicas.size();
  Backend& backend = *replicas[call->replica];
  if (h2 && h2_[thread % h2_.size()][backend.index] != nullptr) {
    // Sent and answered on this io thread.
    h2_[thread % h2_.size()][backend.index]->Call(
        call->route->grpc_method, call->request,
        replicas.size() > 1 ? call->metadata : std::move(call->metadata), call->deadline_at,
        [this, call](GrpcResult r) {
          const size_t replicas = call->replicas->size();
          const bool read = call->route->http_method == "GET" || call->route->http_method == "HEAD";
          if (r.code == GRPC_STATUS_UNAVAILABLE && call->attempts + 1 < replicas &&
              (r.unsent || read) && std::chrono::steady_clock::now() < call->deadline_at) {
            // Safe to send again: it never arrived, or it only reads. The next replica.
            ++call->attempts;
            ++call->replica;
            gateway_metrics_->BackendRetry();
            return StartBackend(call);
          }
          OnBackendDone(std::unique_ptr<BackendCall>(call), r.code, r.message, r.details,
                        r.response);
        });
    return;
  }
  call->context = std::make_unique<grpc::ClientContext>();
  for (const auto& [key, value] : call->metadata) call->context->AddMetadata(key, value);
  call->context->set_deadline(std::chrono::system_clock::now() +
                              std::chrono::milliseconds(call->deadline_ms));
  grpc::Slice slice(call->request);
  call->request_buffer = grpc::ByteBuffer(&slice, 1);
  calls_in_flight_.fetch_add(1, std::memory_order_relaxed);
  if (call->route->server_streaming) {
    (new StreamCall(this, std::unique_ptr<BackendCall>(call)))->Start();
    return;
  }
  backend.stub->UnaryCall(
      call->context.get(), call->route->grpc_method, grpc::StubOptions(), &call->request_buffer,
      &call->response, [this, call](grpc::Status status) {
        // On a gRPC thread: move the work (and the call) to the connection's io thread.
        std::unique_ptr<BackendCall> owned(call);
        Responder& responder = owned->responder;
        responder.Post([this, owned = std::move(owned), status = std::move(status)]() mutable {
          std::string response;
          if (status.ok()) {
            grpc::Slice bytes;
            if (owned->response.DumpToSingleSlice(&bytes).ok()) {
              response.assign(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
            }
          }
          OnBackendDone(std::move(owned), status.error_code(), status.error_message(),
                        status.error_details(), response);
        });
        calls_in_flight_.fetch_sub(1, std::memory_order_release);
      });
}

void Gateway::OnBackendDone(std::unique_ptr<BackendCall> call, int code, absl::string_view message,
                            absl::string_view details, absl::string_view response_bytes) {
  call->outcome.grpc_code = code;
  gateway_metrics_->Backend(targets_[call->route->index].method_metric, code);
  HttpResponse response;
  if (code != 0) {
    response.status = HttpStatusFromGrpc(code);
    response.body = ErrorJson(code, message, transcoder_->ErrorDetailsJson(details));
    // An overloaded backend (its in-flight limit, services/common/server.h): come back shortly.
    if (code == GRPC_STATUS_RESOURCE_EXHAUSTED) response.headers.emplace_back("Retry-After", "1");
  } else {
    absl::Status printed =
        transcoder_->ResponseToJson(*call->route, response_bytes, &response.body);
    if (!printed.ok()) {
      call->outcome.grpc_code = GRPC_STATUS_INTERNAL;
      response.status = 500;
      response.body = ErrorJson(
          GRPC_STATUS_INTERNAL,
          absl::StrCat("backend response is not a valid ", call->route->output->full_name()));
    }
  }
  if (call->claimed) {
    // Answers a retry would not change are kept; transient failures (5xx, 429, 499) release the
    // key so the retry runs.
    if (response.status < 500 && response.status != 429 && response.status != 499) {
      idempotency_->Complete(call->redis, call->idempotency_key, call->fingerprint, response.status,
                             response.body, call->claimed_locally);
      gateway_metrics_->IdempotencyResult(GatewayMetrics::kStored);
    } else {
      idempotency_->Abandon(call->redis, call->idempotency_key, call->claimed_locally);
    }
  }
  Finish(call->outcome, std::move(response), call->responder);
}

void Gateway::HandleRejected(const HttpRequest& partial, int http_status, absl::string_view reason,
                             Responder responder) {
  gateway_metrics_->InFlight(1);
  Outcome outcome;
  outcome.start = std::chrono::steady_clock::now();
  outcome.client_ip = ClientIp(partial, responder.peer());
  outcome.request_id = RequestIdFor(HeaderValue(partial, "x-request-id"));
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
  int code = http_status == 413 || http_status == 431 ? GRPC_STATUS_RESOURCE_EXHAUSTED
                                                      : GRPC_STATUS_INVALID_ARGUMENT;
  SendError(outcome, http_status, code, reason, responder);
}

void Gateway::Health(Outcome outcome, Responder& responder) {
  bool serving = true;
  for (const auto& backend : backends_) {
    // Unary routes: every io thread's connection; streaming ones (or all, for a target the
    // HTTP/2 client does not take): the gRPC channel.
    bool grpc_used = backend->streaming || !backend->h2;
    for (const auto& per_thread : h2_) {
      const GrpcH2Channel* channel = per_thread[backend->index].get();
      if (channel != nullptr && channel->state() == GrpcH2Channel::State::kTransientFailure) {
        serving = false;
      }
    }
    if (grpc_used &&
        backend->channel->GetState(/*try_to_connect=*/true) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
      serving = false;
    }
  }
  HttpResponse response;
  response.status = serving ? 200 : 503;
  response.body = serving ? R"({"status":"SERVING"})" : R"({"status":"NOT_SERVING"})";
  outcome.grpc_code = serving ? 0 : GRPC_STATUS_UNAVAILABLE;
  Finish(outcome, std::move(response), responder);
}

void Gateway::Preflight(const Outcome& outcome, bool allowed, Responder& responder) {
  if (!allowed) {
    return SendError(outcome, 403, GRPC_STATUS_PERMISSION_DENIED, "origin not allowed (CORS)",
                     responder);
  }
  HttpResponse response;
  response.status = 200;
  response.content_type = "text/plain";
  response.headers = {
      {"Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE"},
      {"Access-Control-Allow-Headers",
       "authorization, content-type, idempotency-key, x-request-id, x-request-timeout"},
      {"Access-Control-Max-Age", "600"}};
  Finish(outcome, std::move(response), responder);
}

void Gateway::ServeOpenApi(const Outcome& outcome, Responder& responder) {
  HttpResponse response;
  response.body = openapi_json_;
  response.headers.emplace_back("Cache-Control", "no-cache");
  Finish(outcome, std::move(response), responder);
}

void Gateway::ServeDocs(const Outcome& outcome, absl::string_view path, Responder& responder) {
  // /docs: a page that loads Swagger UI from /docs/ui/ (the npm package swagger-ui-dist, copied
  // into the build; no CDN) pointed at /openapi.json.
  if (path == "/docs" || path == "/docs/") {
    HttpResponse response;
    response.content_type = "text/html; charset=utf-8";
    response.body = R"(<!doctype html>
<html><head><meta charset="utf-8"><title>Civil Affairs Platform API</title>
<link rel="stylesheet" href="/docs/ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/ui/swagger-ui-bundle.js"></script>
<script src="/docs/ui/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script>
</body></html>
)";
    return Finish(outcome, std::move(response), responder);
  }
  if (path == "/docs/init.js") {
    HttpResponse response;
    response.content_type = "application/javascript";
    response.body = R"(window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout",
  persistAuthorization: true});
)";
    return Finish(outcome, std::move(response), responder);
  }
  absl::string_view file = path;
  if (!absl::ConsumePrefix(&file, "/docs/ui/") || file.empty() ||
      file.find("..") != absl::string_view::npos || file.find('/') != absl::string_view::npos ||
      config_.docs_dir.empty()) {
    return SendError(outcome, 404, GRPC_STATUS_NOT_FOUND, "no such documentation file", responder);
  }
  std::ifstream in(absl::StrCat(config_.docs_dir, "/", file), std::ios::binary);
  if (!in) {
    return SendError(outcome, 404, GRPC_STATUS_NOT_FOUND,
                     absl::StrCat("no such documentation file (is swagger-ui-dist installed in ",
                                  config_.docs_dir, "?)"),
                     responder);
  }
  std::ostringstream text;
  text << in.rdbuf();
  HttpResponse response;
  response.content_type = ContentTypeOf(file);
  response.body = text.str();
  response.headers.emplace_back("Cache-Control", "public, max-age=3600");
  Finish(outcome, std::move(response), responder);
}

void Gateway::ServeConsole(const Outcome& outcome, absl::string_view path, Responder& responder) {
  if (path == kConsolePath) {
    HttpResponse response;
    response.status = 308;
    response.headers.emplace_back("Location", "/console/");
    return Finish(outcome, std::move(response), responder);
  }
  std::optional<std::string> file = ConsoleFile(path);
  if (!file.has_value() || config_.console_dir.empty()) {
    return SendError(outcome, 404, GRPC_STATUS_NOT_FOUND, "no such console file", responder);
  }
  std::ifstream in(absl::StrCat(config_.console_dir, "/", *file), std::ios::binary);
  if (!in) {
    return SendError(outcome, 404, GRPC_STATUS_NOT_FOUND,
                     *file == "index.html"
                         ? "the console is not built (make build builds it with npm)"
                         : "no such console file",
                     responder);
  }
  std::ostringstream text;
  text << in.rdbuf();
  HttpResponse response;
  response.content_type = ContentTypeOf(*file);
  response.body = text.str();
  response.headers.emplace_back("Cache-Control", ConsoleFileImmutable(*file)
                                                     ? "public, max-age=31536000, immutable"
                                                     : "no-cache");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (*file == "index.html") {
    // Everything the console loads comes from the gateway itself: no CDN, no inline script.
    response.headers.emplace_back(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'");
  }
  Finish(outcome, std::move(response), responder);
}

void Gateway::DevSignIn(const Outcome& outcome, absl::string_view method, absl::string_view body,
                        Responder& responder) {
  if (method == "GET" || method == "HEAD") {
    HttpResponse response;
    response.body = dev_sign_in_pem_.empty() ? R"({"enabled":false})" : R"({"enabled":true})";
    response.headers.emplace_back("Cache-Control", "no-store");
    return Finish(outcome, std::move(response), responder);
  }
  if (method != "POST") {
    return SendError(outcome, 405, GRPC_STATUS_UNIMPLEMENTED, "GET or POST", responder,
                     {{"Allow", "GET, POST"}});
  }
  if (dev_sign_in_pem_.empty()) {
    return SendError(outcome, 404, GRPC_STATUS_NOT_FOUND,
                     "the development sign-in is off (gateway --dev-sign-in-key)", responder);
  }
  absl::StatusOr<std::string> answer =
      DevSignInToken(body, dev_sign_in_pem_, dev_sign_in_kid_, config_.jwt_issuer,
                     config_.jwt_audience, /*ttl_s=*/8 * 3600);
  if (!answer.ok()) {
    const bool bad_input = answer.status().code() == absl::StatusCode::kInvalidArgument;
    return SendError(outcome, bad_input ? 400 : 500,
                     bad_input ? GRPC_STATUS_INVALID_ARGUMENT : GRPC_STATUS_INTERNAL,
                     bad_input ? answer.status().message() : "cannot sign the token", responder);
  }
  HttpResponse response;
  response.body = std::move(*answer);
  response.headers.emplace_back("Cache-Control", "no-store");
  Finish(outcome, std::move(response), responder);
}

void Gateway::SendError(const Outcome& outcome, int http_status, int grpc_code,
                        absl::string_view message, Responder& responder, Headers headers) {
  HttpResponse response;
  response.status = http_status;
  response.body = ErrorJson(grpc_code, message);
  response.headers = std::move(headers);
  Outcome with_code = outcome;
  with_code.grpc_code = grpc_code;
  Finish(with_code, std::move(response), responder);
}

void Gateway::Decorate(const Outcome& outcome, Headers* headers) const {
  headers->emplace_back("x-request-id", outcome.request_id);
  if (!outcome.cors_origin.empty()) {
    headers->emplace_back("Access-Control-Allow-Origin", outcome.cors_origin);
    headers->emplace_back("Access-Control-Expose-Headers",
                          "x-request-id, retry-after, idempotent-replayed, www-authenticate");
    headers->emplace_back("Vary", "Origin");
  }
}

void Gateway::Finish(const Outcome& outcome, HttpResponse response, Responder& responder) {
  const int status = response.status;
  Decorate(outcome, &response.headers);
  if (outcome.gzip && response.body.size() >= static_cast<size_t>(config_.gzip_min_bytes)) {
    std::string compressed = Gzip(response.body);
    if (!compressed.empty()) {
      response.body = std::move(compressed);
      response.headers.emplace_back("Content-Encoding", "gzip");
      response.headers.emplace_back("Vary", "Accept-Encoding");
    }
  }
  responder.Send(std::move(response));
  Record(outcome, status);
}

void Gateway::Record(const Outcome& outcome, int status) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - outcome.start).count();
  metrics_->Record(outcome.series, status, seconds);
  gateway_metrics_->InFlight(-1);
  if (config_.access_log) {
    // Never the path values, the query string, the body or the token: they may carry ID numbers
    // and names. Queued: the line costs the io thread no system call.
    LogField fields[8] = {
        {"request_id", absl::string_view(outcome.request_id)},
        {"method", outcome.method},
        {"route", outcome.route},
        {"status", static_cast<int64_t>(status)},
        {"grpc_code", static_cast<int64_t>(outcome.grpc_code)},
    };
    size_t n = 5;
    if (!outcome.client_ip.empty()) {
      fields[n++] = {"client_ip", absl::string_view(outcome.client_ip)};
    }
    if (!outcome.subject.empty()) {
      fields[n++] = {"subject", absl::string_view(outcome.subject)};
    }
    fields[n++] = {"duration_ms", std::round(seconds * 1e6) / 1e3};  // to the microsecond
    LogQueued(LogLevel::kInfo, "http_request", absl::MakeConstSpan(fields, n));
  }
}

}  // namespace civil::gateway
