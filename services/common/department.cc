#include "services/common/department.h"

#include <google/protobuf/descriptor.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "civil/common/v1/common.pb.h"
#include "services/common/db_roles.h"
#include "services/common/errors.h"
#include "services/common/event_admin.h"
#include "services/common/id_view_service.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/server.h"

namespace civil {

absl::StatusOr<std::unique_ptr<Department>> Department::Build(const DepartmentSpec& spec,
                                                              ServiceConfig config,
                                                              prometheus::Registry* registry,
                                                              DepartmentOptions options) {
  if (spec.name.empty() || spec.migrations == nullptr || !spec.wire) {
    return absl::InvalidArgumentError("department spec needs a name, migrations and wire");
  }
  std::unique_ptr<Department> d(new Department());
  d->name_ = spec.name;
  d->config_ = std::move(config);
  d->registry_ = registry;
  d->clock_ = options.clock ? options.clock : SystemClock();

  absl::StatusOr<PiiProtector> pii = PiiProtector::FromHexKey(d->config_.pii_key_hex);
  if (!pii.ok()) return AnnotateField("CIVIL_PII_KEY", pii.status());
  d->pii_ = std::make_unique<PiiProtector>(*std::move(pii));
  absl::StatusOr<std::unique_ptr<CallVerifier>> verifier =
      CallVerifier::Create(spec.name, d->config_.identity);
  if (!verifier.ok()) return verifier.status();
  d->verifier_ = *std::move(verifier);
  RegisterCallVerifier(d->name_, d->verifier_);
  d->service_tokens_ = std::make_unique<ServiceTokens>(spec.name, d->config_.identity.signing_key,
                                                       d->config_.identity.service_token_ttl);

  if (options.migrate) {
    if (absl::Status s =
            ApplyMigrations(d->config_.pg_dsn, spec.name, WithCommonMigrations(spec.migrations()));
        !s.ok()) {
      return s;
    }
  }
  // (After the migrations, which wait for PostgreSQL to come up.)
  if (absl::Status s = CheckDurability(d->config_.pg_dsn, d->config_.pg_allow_unsafe_durability);
      !s.ok()) {
    return s;
  }
  // Migrations ran as the owner; the service connects as the role that cannot rewrite history.
  std::vector<std::string> append_only = spec.append_only;
  append_only.insert(append_only.end(), KitAppendOnlyTables().begin(), KitAppendOnlyTables().end());
  absl::StatusOr<std::string> app_dsn = PrepareAppRole(d->config_.pg_dsn, append_only);
  if (!app_dsn.ok()) return app_dsn.status();
  d->pool_ = std::make_unique<PgPool>(
      PgPool::Options{*app_dsn, d->config_.pg_pool_size, d->config_.pg_acquire_timeout}, registry);
  d->redis_ =
      std::make_unique<RedisClient>(RedisClient::Options{.host = d->config_.redis_host,
                                                         .port = d->config_.redis_port,
                                                         .max_size = d->config_.redis_pool_size,
                                                         .timeout = d->config_.redis_timeout},
                                    registry);
  d->relay_ =
      std::make_unique<OutboxRelay>(OutboxRelay::Options{.source = spec.name,
                                                         .pg_dsn = *app_dsn,
                                                         .redis_host = d->config_.redis_host,
                                                         .redis_port = d->config_.redis_port},
                                    registry);
  d->consumer_ =
      std::make_unique<EventConsumer>(EventConsumer::Options{.service = spec.name,
                                                             .consumer = ConsumerName(spec.name),
                                                             .redis_host = d->config_.redis_host,
                                                             .redis_port = d->config_.redis_port},
                                      d->pool_.get(), registry);
  d->Serve<EventAdminServiceImpl>(civil::events::v1::EventAdminService::service_full_name(),
                                  d->consumer_.get());
  d->id_views_ = &d->Make<IdViewLog>(d->pool_.get(), spec.name, registry);
  d->Serve<IdViewAuditServiceImpl>(civil::audit::v1::IdViewAuditService::service_full_name(),
                                   spec.name, d->id_views_, d->pii_.get(), d->clock_);

  if (absl::Status s = spec.wire(*d); !s.ok()) return s;
  if (absl::Status s = CheckAccessRules(d->service_names_); !s.ok()) return s;
  if (options.start_events) d->StartEvents();
  return d;
}

Department::~Department() {
  Stop();
  // Owned objects (services, stores) go first, newest first, then the runtime they use.
  kinds_.clear();
  while (!owned_.empty()) owned_.pop_back();
  if (verifier_) UnregisterCallVerifier(name_, verifier_.get());
}

void Department::AddService(grpc::Service* service, const char* full_name) {
  services_.push_back(service);
  service_names_.emplace_back(full_name);
}

void Department::AddReadinessCheck(std::function<absl::Status()> check) {
  readiness_.push_back(std::move(check));
}

void Department::OnShutdown(std::function<void()> hook) {
  shutdown_hooks_.push_back(std::move(hook));
}

absl::Status Department::Ready() {
  if (absl::Status s = pool_->Ping(); !s.ok()) return s;
  for (const auto& check : readiness_) {
    if (absl::Status s = check(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void Department::StartEvents() {
  if (events_started_) return;
  events_started_ = true;
  relay_->Start();
  consumer_->Start();
}

void Department::Stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& hook : shutdown_hooks_) hook();
  if (consumer_) consumer_->Stop();
  if (relay_) relay_->Stop();
  if (pool_) pool_->Close();
  if (redis_) redis_->Close();
}

absl::Status CheckAccessRules(const std::vector<std::string>& service_names) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<std::string> missing;
  for (const std::string& name : service_names) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    if (service == nullptr) {
      missing.push_back(absl::StrCat(name, " (not in the descriptor pool)"));
      continue;
    }
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      if (!method->options().HasExtension(civil::common::v1::access)) {
        missing.push_back(method->full_name());
      }
    }
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "these RPCs declare no (civil.common.v1.access) rule: ", absl::StrJoin(missing, ", ")));
}

absl::Status MigrateDepartment(const DepartmentSpec& spec, const ServiceConfig& config) {
  CIVIL_RETURN_IF_ERROR(
      ApplyMigrations(config.pg_dsn, spec.name, WithCommonMigrations(spec.migrations())));
  std::vector<std::string> append_only = spec.append_only;
  append_only.insert(append_only.end(), KitAppendOnlyTables().begin(), KitAppendOnlyTables().end());
  return PrepareAppRole(config.pg_dsn, append_only).status();
}

int RunDepartment(const DepartmentSpec& spec) {
  // First: blocks SIGTERM/SIGINT for every thread started from here on.
  ServiceRunner runner(spec.name);
  absl::StatusOr<ServiceConfig> config =
      LoadServiceConfig(spec.name, spec.grpc_port, spec.metrics_port);
  if (!config.ok()) {
    std::cerr << spec.name << ": " << config.status().message() << "\n";
    return 2;
  }
  if (config->migrate_only) {
    absl::Status status = MigrateDepartment(spec, *config);
    if (!status.ok()) {
      std::cerr << spec.name << ": " << status.message() << "\n";
      return 1;
    }
    std::cerr << spec.name << ": migrations applied\n";
    return 0;
  }
  absl::StatusOr<std::unique_ptr<Department>> department =
      Department::Build(spec, *config, runner.registry());
  if (!department.ok()) {
    std::cerr << spec.name << ": " << department.status().message() << "\n";
    return department.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  Department* d = department->get();
  for (size_t i = 0; i < d->services().size(); ++i) {
    runner.AddService(d->services()[i], d->service_names()[i].c_str());
  }
  runner.SetReadinessCheck([d] { return d->Ready(); });
  runner.OnShutdown([d] { d->Stop(); });
  absl::Status status = runner.Run(*config);
  if (!status.ok()) {
    std::cerr << spec.name << ": " << status.message() << "\n";
    return 1;
  }
  return 0;
}

absl::StatusOr<std::unique_ptr<DepartmentHost>> DepartmentHost::Start(const DepartmentSpec& spec,
                                                                      ServiceConfig config,
                                                                      DepartmentOptions options) {
  std::unique_ptr<DepartmentHost> host(new DepartmentHost());
  host->registry_ = std::make_shared<prometheus::Registry>();
  absl::StatusOr<std::unique_ptr<Department>> department =
      Department::Build(spec, std::move(config), host->registry_.get(), std::move(options));
  if (!department.ok()) return department.status();
  host->department_ = *std::move(department);

  grpc::ServerBuilder builder;
  ConfigureServerBuilder(
      &builder, CreateRpcMetrics(host->registry_.get(), host->department_->service_names()));
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* service : host->department_->services()) builder.RegisterService(service);
  host->server_ = builder.BuildAndStart();
  if (host->server_ == nullptr || port == 0) {
    return absl::UnavailableError("cannot serve gRPC on a loopback port");
  }
  host->address_ = absl::StrCat("127.0.0.1:", port);
  return host;
}

DepartmentHost::~DepartmentHost() {
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_->Wait();
  }
  department_.reset();
}

std::shared_ptr<grpc::Channel> DepartmentHost::Channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

ServiceConfig TestServiceConfig(absl::string_view name, std::string pg_dsn, std::string redis_host,
                                int redis_port, std::string pii_key_hex) {
  ServiceConfig config;
  config.service = std::string(name);
  config.grpc_addr = "127.0.0.1:0";
  config.metrics_addr = "127.0.0.1:0";
  config.pg_dsn = std::move(pg_dsn);
  config.redis_host = std::move(redis_host);
  config.redis_port = redis_port;
  config.pii_key_hex = std::move(pii_key_hex);
  config.pg_pool_size = 4;
  config.redis_pool_size = 4;
  config.shutdown_grace = std::chrono::milliseconds(1000);
  // The test harness's PostgreSQL runs without fsync (tests/support/servers.h).
  config.pg_allow_unsafe_durability = true;
  return config;
}

}  // namespace civil
