// The department kit's bootstrap: one call builds everything a department's process needs — the
// typed config, the PII key, the migrations (under the advisory lock), the PostgreSQL pool, Redis,
// the outbox relay, the event consumer with the department's handlers, the event admin RPCs, the
// audit trail of unmasked ID numbers (id_views.h) and its RPCs,
// readiness, metrics and graceful shutdown — from a small DepartmentSpec the department supplies.
//
//   // services/<dept>/<dept>.cc
//   civil::DepartmentSpec Spec() {
//     return {.name = "eldercare", .grpc_port = 50052, .metrics_port = 9102,
//             .migrations = &Migrations,
//             .wire = [](civil::Department& d) -> absl::Status {
//               auto& store = d.Make<AllowanceStore>(&d.pool(), &d.pii());
//               d.Serve<AllowanceServiceImpl>(v1::AllowanceService::service_full_name(), &store,
//                                             d.clock());
//               d.consumer().On<events::v1::PersonDeceased>("affairs", ...);
//               return absl::OkStatus();
//             }};
//   }
//   // services/<dept>/main.cc
//   int main() { return civil::RunDepartment(civil::eldercare::Spec()); }
//
// Tests build the same spec with DepartmentHost, so they run the wiring production runs.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "prometheus/registry.h"
#include "services/common/clock.h"
#include "services/common/config.h"
#include "services/common/events.h"
#include "services/common/id_views.h"
#include "services/common/identity.h"
#include "services/common/migrate.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/redis.h"

namespace civil {

class Department;

// What a department tells the kit about itself.
struct DepartmentSpec {
  std::string name;  // lower case: "affairs"; names env vars (CIVIL_AFFAIRS_…) and the database
  int grpc_port = 0;
  int metrics_port = 0;
  // The department's own migrations (the generated `<dept>::Migrations`); the kit adds common's.
  const std::vector<Migration>& (*migrations)() = nullptr;
  // Builds the department's stores and services on `department`: Make<>() what it owns, Serve<>()
  // its gRPC services, subscribe its event handlers. An error stops the process before it serves
  // (a department's own config that does not parse, say).
  std::function<absl::Status(Department&)> wire;
  // Tables that only ever grow (history, payments): the service's database role may INSERT and
  // SELECT them, never UPDATE, DELETE or TRUNCATE (db_roles.h). The kit adds its own.
  std::vector<std::string> append_only;
};

// Choices tests make; production uses the defaults.
struct DepartmentOptions {
  Clock clock = SystemClock();
  // Start the outbox relay and event consumer threads. Tests that drive events by hand
  // (PublishOnce / PollOnce) turn this off.
  bool start_events = true;
  // Apply the migrations at start. Off when a test suite migrated its database once already.
  bool migrate = true;
};

// Everything the kit built for one department process; handed to DepartmentSpec::wire.
class Department {
 public:
  // Builds the department: PII key, the verifier of its callers (identity.h), migrations, pool,
  // Redis, relay, consumer, event admin, then `spec.wire`, then checks that every RPC served
  // declares an access rule. `registry` (not owned) must outlive the department. INVALID_ARGUMENT
  // for a bad key or config, UNAVAILABLE when PostgreSQL stays unreachable, FAILED_PRECONDITION
  // naming every RPC without an access rule.
  static absl::StatusOr<std::unique_ptr<Department>> Build(const DepartmentSpec& spec,
                                                           ServiceConfig config,
                                                           prometheus::Registry* registry,
                                                           DepartmentOptions options = {});
  ~Department();
  Department(const Department&) = delete;
  Department& operator=(const Department&) = delete;

  const std::string& name() const { return name_; }
  const ServiceConfig& config() const { return config_; }
  const PiiProtector& pii() const { return *pii_; }
  PgPool& pool() { return *pool_; }
  RedisClient& redis() { return *redis_; }
  prometheus::Registry& registry() { return *registry_; }
  OutboxRelay& relay() { return *relay_; }
  EventConsumer& consumer() { return *consumer_; }
  const Clock& clock() const { return clock_; }
  // This department's tokens for its calls to other departments (identity.h).
  ServiceTokens& service_tokens() { return *service_tokens_; }
  // The department's trail of unmasked ID numbers (id_views.h): every response carrying a full
  // ID number records its row here first.
  IdViewLog& id_views() { return *id_views_; }

  // Constructs a T that the department owns; objects are destroyed in reverse order of creation,
  // after the server stopped and the event threads ended.
  template <typename T, typename... Args>
  T& Make(Args&&... args) {
    auto owned = std::make_shared<T>(std::forward<Args>(args)...);
    T& ref = *owned;
    owned_.push_back(std::move(owned));
    kinds_.emplace_back(std::type_index(typeid(T)), &ref);
    return ref;
  }

  // The first T that Make<T>() or Serve<T>() built, or nullptr: how test beds reach the stores
  // the department's own wiring made (production code passes references at wiring time).
  template <typename T>
  T* Find() const {
    for (const auto& [kind, object] : kinds_) {
      if (kind == std::type_index(typeid(T))) return static_cast<T*>(object);
    }
    return nullptr;
  }

  // Serves a T (a generated service's implementation) built from `args`; `full_name` is the
  // generated `FooService::service_full_name()`.
  template <typename T, typename... Args>
  T& Serve(const char* full_name, Args&&... args) {
    T& service = Make<T>(std::forward<Args>(args)...);
    AddService(&service, full_name);
    return service;
  }
  // Serves `service` (not owned; must outlive the department).
  void AddService(grpc::Service* service, const char* full_name);

  // A readiness check beyond the PostgreSQL ping (health is NOT_SERVING while one fails).
  void AddReadinessCheck(std::function<absl::Status()> check);
  // Called at shutdown, after the server stopped, before the event threads and pools close.
  void OnShutdown(std::function<void()> hook);

  // The services to serve, and their full names.
  const std::vector<grpc::Service*>& services() const { return services_; }
  const std::vector<std::string>& service_names() const { return service_names_; }

  // OK while PostgreSQL answers and every added check passes.
  absl::Status Ready();
  // Starts the relay and consumer threads (Build does when options.start_events).
  void StartEvents();
  // Runs the shutdown hooks, stops the event threads, closes the pools. Idempotent.
  void Stop();

 private:
  Department() = default;
  std::string name_;
  ServiceConfig config_;
  prometheus::Registry* registry_ = nullptr;
  Clock clock_;
  std::unique_ptr<PiiProtector> pii_;
  std::shared_ptr<const CallVerifier> verifier_;  // registered for Authorize while it lives
  std::unique_ptr<ServiceTokens> service_tokens_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<EventConsumer> consumer_;
  IdViewLog* id_views_ = nullptr;  // owned through owned_
  std::vector<std::shared_ptr<void>> owned_;
  std::vector<std::pair<std::type_index, void*>> kinds_;
  std::vector<grpc::Service*> services_;
  std::vector<std::string> service_names_;
  std::vector<std::function<absl::Status()>> readiness_;
  std::vector<std::function<void()>> shutdown_hooks_;
  bool events_started_ = false;
  bool stopped_ = false;
};

// FAILED_PRECONDITION naming every method of the services `service_names` (full names, found in
// the generated descriptor pool) whose contract declares no `(civil.common.v1.access)` rule, or
// naming a service not in the pool. A process serving such an RPC would deny it to everyone at
// best; the kit refuses to start it instead.
absl::Status CheckAccessRules(const std::vector<std::string>& service_names);

// The migration step alone, as the owner of `config.pg_dsn`: applies the department's and the
// kit's migrations and prepares the service's database role (db_roles.h), then returns. What a
// deployment's migration job runs before the new version rolls out (CIVIL_MIGRATE_ONLY).
absl::Status MigrateDepartment(const DepartmentSpec& spec, const ServiceConfig& config);

// main() of a department: reads the ServiceConfig from the environment, builds the department,
// serves it until SIGTERM/SIGINT and shuts down gracefully. With CIVIL_MIGRATE_ONLY=true it only
// runs MigrateDepartment and exits. Returns the process exit code: 0 after a clean shutdown (or
// the migrations applied), 2 for bad configuration, 1 for anything else (printed to stderr).
int RunDepartment(const DepartmentSpec& spec);

// A department served in-process on a free loopback port, for integration tests: the same
// Department::Build as RunDepartment, with the same interceptor, health and reflection.
class DepartmentHost {
 public:
  // `config` needs pg_dsn, redis_host/port and pii_key_hex (see TestServiceConfig).
  static absl::StatusOr<std::unique_ptr<DepartmentHost>> Start(const DepartmentSpec& spec,
                                                               ServiceConfig config,
                                                               DepartmentOptions options = {});
  ~DepartmentHost();  // stops the server, then the department

  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  Department& department() { return *department_; }
  prometheus::Registry& registry() { return *registry_; }
  // A channel to address().
  std::shared_ptr<grpc::Channel> Channel() const;

 private:
  DepartmentHost() = default;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Department> department_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

// The ServiceConfig of department `name` for tests: the given database, Redis and key, defaults
// for everything else (small pools, short shutdown grace).
ServiceConfig TestServiceConfig(absl::string_view name, std::string pg_dsn, std::string redis_host,
                                int redis_port, std::string pii_key_hex);

}  // namespace civil
