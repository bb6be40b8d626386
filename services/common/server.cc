#include "services/common/server.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/server_interceptor.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "services/common/log.h"
#include "services/common/pg.h"
#include "services/common/tls.h"

namespace civil {

// Label children for one RPC method, created once at start-up.
struct MethodMetrics {
  std::string service;
  std::string method;
  prometheus::Counter* started = nullptr;
  prometheus::Counter* handled[17] = {};
  prometheus::Histogram* seconds = nullptr;
};

class RpcMetrics {
 public:
  RpcMetrics(prometheus::Registry* registry, const std::vector<std::string>& service_names)
      : started_(prometheus::BuildCounter()
                     .Name("grpc_server_started_total")
                     .Help("Total number of RPCs started on the server.")
                     .Register(*registry)),
        handled_(prometheus::BuildCounter()
                     .Name("grpc_server_handled_total")
                     .Help("Total number of RPCs completed on the server, regardless of success "
                           "or failure.")
                     .Register(*registry)),
        seconds_(prometheus::BuildHistogram()
                     .Name("grpc_server_handling_seconds")
                     .Help("Histogram of response latency (seconds) of gRPC that had been "
                           "application-level handled by the server.")
                     .Register(*registry)),
        overload_(&prometheus::BuildCounter()
                       .Name("civil_grpc_server_overload_total")
                       .Help("Calls refused with RESOURCE_EXHAUSTED because every handler thread "
                             "(CIVIL_GRPC_THREADS) was busy.")
                       .Register(*registry)
                       .Add({})) {
    std::vector<std::string> names = service_names;
    names.push_back("grpc.health.v1.Health");
    for (const std::string& name : names) {
      const auto* service =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
      if (service == nullptr) continue;
      for (int i = 0; i < service->method_count(); ++i) {
        const auto* method = service->method(i);
        Add(name, method->name(), Type(method->client_streaming(), method->server_streaming()));
      }
    }
    // Not in the generated pool of this binary, but served by every process.
    Add("grpc.health.v1.Health", "Check", "unary");
    Add("grpc.health.v1.Health", "Watch", "server_stream");
    Add("grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", "bidi_stream");
  }

  // The children of `full_method` ("/pkg.Service/Method"); created on first use for a method not
  // known at start-up (rare: an unknown method name sent by a client).
  MethodMetrics* Find(absl::string_view full_method) {
    if (auto it = methods_.find(full_method); it != methods_.end()) return it->second.get();
    std::lock_guard lock(unknown_mu_);
    if (auto it = unknown_.find(full_method); it != unknown_.end()) return it->second.get();
    auto m = Make("unknown", "unknown", "unknown");
    MethodMetrics* raw = m.get();
    unknown_.emplace(std::string(full_method), std::move(m));
    return raw;
  }

 private:
  static const char* Type(bool client_streaming, bool server_streaming) {
    if (client_streaming && server_streaming) return "bidi_stream";
    if (client_streaming) return "client_stream";
    if (server_streaming) return "server_stream";
    return "unary";
  }

  static const std::vector<double>& Buckets() {
    static const std::vector<double> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};
    return kBuckets;
  }

  std::unique_ptr<MethodMetrics> Make(const std::string& service, const std::string& method,
                                      const std::string& type) {
    auto m = std::make_unique<MethodMetrics>();
    m->service = service;
    m->method = method;
    const prometheus::Labels labels = {
        {"grpc_service", service}, {"grpc_method", method}, {"grpc_type", type}};
    m->started = &started_.Add(labels);
    m->seconds = &seconds_.Add(labels, Buckets());
    for (int code = 0; code <= 16; ++code) {
      prometheus::Labels with_code = labels;
      with_code["grpc_code"] = CodeName(code);
      m->handled[code] = &handled_.Add(with_code);
    }
    return m;
  }

 public:
  prometheus::Counter* overload() { return overload_; }

 private:
  void Add(const std::string& service, const std::string& method, const std::string& type) {
    std::string key = absl::StrCat("/", service, "/", method);
    if (methods_.contains(key)) return;
    methods_.emplace(std::move(key), Make(service, method, type));
  }

 public:
  static const char* CodeName(int code) {
    static const char* kNames[] = {
        "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
        "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
        "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
        "DataLoss", "Unauthenticated"};
    return code >= 0 && code <= 16 ? kNames[code] : "Unknown";
  }

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  prometheus::Counter* overload_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> methods_;
  std::mutex unknown_mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> unknown_;
};

namespace {

constexpr char kRequestIdHeader[] = "x-request-id";
constexpr char kThreadpoolExhausted[] = "Server Threadpool Exhausted";

// Per-call interceptor: request id, one log line and the grpc-prometheus series.
class ObservingInterceptor : public grpc::experimental::Interceptor {
 public:
  ObservingInterceptor(grpc::experimental::ServerRpcInfo* info, RpcMetrics* metrics)
      : info_(info), metrics_(metrics), start_(std::chrono::steady_clock::now()) {
    if (metrics != nullptr) {
      method_ = metrics->Find(info->method());
      method_->started->Increment();
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* metadata = methods->GetRecvInitialMetadata();
      auto it = metadata->find(kRequestIdHeader);
      if (it != metadata->end() && it->second.size() > 0 && it->second.size() <= 128) {
        request_id_.assign(it->second.data(), it->second.size());
      } else {
        request_id_ = NewRequestId();
        metadata->insert({grpc::string_ref(kRequestIdHeader),
                          grpc::string_ref(request_id_.data(), request_id_.size())});
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // The synchronous server runs the handler on this thread next: its transactions keep to
      // the caller's deadline (pg.h).
      CallDeadline::Enter(info_->server_context()->deadline());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (!request_id_.empty()) {
        methods->GetSendInitialMetadata()->insert({kRequestIdHeader, request_id_});
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      CallDeadline::Leave();
      const int code = static_cast<int>(methods->GetSendStatus().error_code());
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      if (method_ != nullptr) {
        method_->handled[code >= 0 && code <= 16 ? code : 2]->Increment();
        method_->seconds->Observe(seconds);
      }
      // gRPC's sync server answers so, without running the handler, when its thread quota
      // (ResourceQuota::SetMaxThreads in Run) is used up: the in-flight limit.
      if (metrics_ != nullptr && code == grpc::StatusCode::RESOURCE_EXHAUSTED &&
          methods->GetSendStatus().error_message() == kThreadpoolExhausted) {
        metrics_->overload()->Increment();
      }
      Log(code == 0 || code == 3 || code == 5 || code == 6 || code == 9 ? LogLevel::kInfo
                                                                        : LogLevel::kWarn,
          "rpc",
          {{"method", absl::string_view(info_->method())},
           {"code", absl::string_view(RpcMetrics::CodeName(code))},
           {"duration_ms", seconds * 1000.0},
           {"request_id", absl::string_view(request_id_)}});
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  RpcMetrics* metrics_;
  MethodMetrics* method_ = nullptr;
  std::chrono::steady_clock::time_point start_;
  std::string request_id_;
};

class ObservingInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ObservingInterceptorFactory(std::shared_ptr<RpcMetrics> metrics)
      : metrics_(std::move(metrics)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ObservingInterceptor(info, metrics_.get());
  }

 private:
  std::shared_ptr<RpcMetrics> metrics_;
};

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

}  // namespace

std::string RequestId(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kRequestIdHeader);
  return it == metadata.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

std::shared_ptr<RpcMetrics> CreateRpcMetrics(prometheus::Registry* registry,
                                             const std::vector<std::string>& service_names) {
  if (registry == nullptr) return nullptr;
  return std::make_shared<RpcMetrics>(registry, service_names);
}

void ConfigureServerBuilder(grpc::ServerBuilder* builder, std::shared_ptr<RpcMetrics> metrics) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<ObservingInterceptorFactory>(std::move(metrics)));
  builder->experimental().SetInterceptorCreators(std::move(creators));
}

ServiceRunner::ServiceRunner(std::string service_name)
    : service_name_(std::move(service_name)), registry_(std::make_shared<prometheus::Registry>()) {
  BlockShutdownSignals();
  SetLogComponent(service_name_);
}

ServiceRunner::~ServiceRunner() = default;

void ServiceRunner::SetReadinessCheck(std::function<absl::Status()> check) {
  readiness_ = std::move(check);
}

void ServiceRunner::OnShutdown(std::function<void()> hook) {
  shutdown_hooks_.push_back(std::move(hook));
}

absl::Status ServiceRunner::Run(const ServiceConfig& config) {
  BlockShutdownSignals();
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(config.metrics_addr);
  } catch (const std::exception& error) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve /metrics on ", config.metrics_addr, ": ", error.what()));
  }
  exposer->RegisterCollectable(registry_);

  grpc::ServerBuilder builder;
  ConfigureServerBuilder(&builder, CreateRpcMetrics(registry_.get(), service_names_));
  int bound_port = 0;
  builder.AddListeningPort(config.grpc_addr, ServerCredentials(config.tls), &bound_port);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 1);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 2);
  grpc::ResourceQuota quota(service_name_);
  quota.SetMaxThreads(config.grpc_threads + 2);
  builder.SetResourceQuota(quota);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve gRPC on ", config.grpc_addr));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();

  // Readiness: health follows the dependencies (PostgreSQL) once a second.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  auto set_serving = [&](bool serving) {
    health->SetServingStatus(serving);
    for (const std::string& name : service_names_) health->SetServingStatus(name, serving);
  };
  set_serving(readiness_ ? readiness_().ok() : true);
  std::thread readiness_thread([&] {
    bool last = true;
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(1), [&] { return stopping; })) {
      lock.unlock();
      absl::Status status = readiness_ ? readiness_() : absl::OkStatus();
      lock.lock();
      if (stopping) break;
      set_serving(status.ok());
      if (status.ok() != last) {
        Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarn,
            status.ok() ? "serving" : "not serving", {{"reason", status.message()}});
        last = status.ok();
      }
    }
  });

  const absl::string_view transport = !config.tls.serves_tls()           ? "plaintext"
                                      : config.tls.client_ca_pem.empty() ? "tls"
                                                                         : "mtls";
  Log(LogLevel::kInfo, "started",
      {{"grpc", absl::string_view(config.grpc_addr)},
       {"transport", transport},
       {"metrics", absl::string_view(config.metrics_addr)}});

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  Log(LogLevel::kInfo, "shutting down", {{"signal", static_cast<int64_t>(signal_number)}});

  {
    std::lock_guard lock(mu);
    stopping = true;
    // After Shutdown() the health service reports NOT_SERVING and ignores further updates.
    health->Shutdown();
  }
  cv.notify_all();
  readiness_thread.join();
  // NOT_SERVING first, calls still answered: balancers and health watchers move away before the
  // port closes. Then new calls are refused (GOAWAY, REFUSED_STREAM: safe for a client to send
  // elsewhere) and in-flight ones finish within the grace.
  if (config.shutdown_drain.count() > 0) std::this_thread::sleep_for(config.shutdown_drain);
  server->Shutdown(std::chrono::system_clock::now() + config.shutdown_grace);
  server->Wait();
  for (auto& hook : shutdown_hooks_) hook();
  Log(LogLevel::kInfo, "stopped");
  return absl::OkStatus();
}

}  // namespace civil
