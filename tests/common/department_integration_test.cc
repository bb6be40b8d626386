// The department kit's bootstrap on a real PostgreSQL and Redis: what Department::Build and
// DepartmentHost build from a DepartmentSpec, what they refuse, and the order things stop in.
// A department of its own ("kittest") with one migration; the RPCs it serves are the kit's.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "civil/events/v1/admin.grpc.pb.h"
#include "grpcpp/health_check_service_interface.h"
#include "services/common/department.h"
#include "services/common/errors.h"
#include "services/common/pg.h"
#include "tests/support/call_as.h"
#include "tests/support/servers.h"

namespace civil {
namespace {

const std::vector<Migration>& KitMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "kit_notes", "CREATE TABLE kit_notes (id bigserial PRIMARY KEY, text text NOT NULL);"}};
  return migrations;
}

// Records the order in which owned objects are destroyed.
struct Recorder {
  Recorder(std::vector<std::string>* log, std::string name) : log(log), name(std::move(name)) {}
  ~Recorder() { log->push_back(name); }
  std::vector<std::string>* log;
  std::string name;
};

class DepartmentIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg_ = new testing::PostgresServer();
    redis_ = new testing::RedisServer();
  }
  static void TearDownTestSuite() {
    delete redis_;
    delete pg_;
  }

  // A fresh database per test: each test sees its own migrations run.
  ServiceConfig Config() {
    static int n = 0;
    dsn_ = pg_->CreateDatabase("civil_kittest_" + std::to_string(++n));
    return testing::Trusting(
        TestServiceConfig("kittest", dsn_, "127.0.0.1", redis_->port(), testing::kTestPiiKey));
  }

  static DepartmentSpec Spec(std::function<absl::Status(Department&)> wire) {
    return {.name = "kittest",
            .grpc_port = 0,
            .metrics_port = 0,
            .migrations = &KitMigrations,
            .wire = std::move(wire)};
  }

  std::string CurrentDatabase() {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1("SELECT current_database()")[0].as<std::string>();
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  inline static testing::PostgresServer* pg_ = nullptr;
  inline static testing::RedisServer* redis_ = nullptr;
  std::string dsn_;
};

std::unique_ptr<grpc::ClientContext> AsAdmin() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  testing::CallAs(*context, {"ops-1", "operator", "340722"});
  return context;
}

TEST_F(DepartmentIntegrationTest, BuildsMigratesAndServesTheKitsRpcs) {
  bool wired = false;
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host =
      DepartmentHost::Start(Spec([&](Department& d) {
                              wired = true;
                              EXPECT_EQ(d.name(), "kittest");
                              EXPECT_TRUE(d.pool().Ping().ok());
                              return absl::OkStatus();
                            }),
                            Config(), {.start_events = false});
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_TRUE(wired);
  // The department's migration and the kit's (outbox, inbox) ran, once, under their own names.
  EXPECT_EQ(Count("SELECT count(*) FROM kit_notes"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM inbox"), 0);
  EXPECT_TRUE((*host)->department().Ready().ok());
  ASSERT_EQ((*host)->department().service_names(),
            (std::vector<std::string>{"civil.events.v1.EventAdminService",
                                      "civil.audit.v1.IdViewAuditService"}));

  // The event admin RPCs are served, behind their access rule.
  auto admin = civil::events::v1::EventAdminService::NewStub((*host)->Channel());
  civil::events::v1::ListDeadLettersRequest request;
  civil::events::v1::ListDeadLettersResponse response;
  grpc::Status ok = admin->ListDeadLetters(AsAdmin().get(), request, &response);
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  grpc::ClientContext anonymous;
  grpc::Status denied = admin->ListDeadLetters(&anonymous, request, &response);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::UNAUTHENTICATED) << denied.error_message();
}

TEST_F(DepartmentIntegrationTest, TheServiceRoleCannotRewriteAppendOnlyTables) {
  DepartmentSpec spec = Spec([](Department&) { return absl::OkStatus(); });
  spec.append_only = {"kit_notes"};
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host =
      DepartmentHost::Start(spec, Config(), {.start_events = false});
  ASSERT_TRUE(host.ok()) << host.status();
  PgPool& pool = (*host)->department().pool();
  // The service's own connections: it may add and read rows…
  absl::Status s = pool.Transact([this](pqxx::transaction_base& txn) {
    txn.exec("INSERT INTO kit_notes (text) VALUES ('paid 2023-02')");
    EXPECT_EQ(txn.exec1("SELECT current_user")[0].as<std::string>(), CurrentDatabase() + "_app");
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  // …never change or remove them, whatever the code asks.
  for (const char* rewrite : {"UPDATE kit_notes SET text = 'never paid'", "DELETE FROM kit_notes",
                              "TRUNCATE kit_notes"}) {
    s = pool.Transact([rewrite](pqxx::transaction_base& txn) {
      txn.exec(rewrite);
      return absl::OkStatus();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << rewrite << ": " << s;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM kit_notes WHERE text = 'paid 2023-02'"), 1);
  // The kit's own trails are append-only in every department, listed or not: the ID-view trail
  // (id_views.h) and the reports of deaths.
  for (const char* rewrite : {"UPDATE id_views SET reason = ''", "DELETE FROM id_views",
                              "UPDATE death_reports SET outcome = ''"}) {
    s = pool.Transact([rewrite](pqxx::transaction_base& txn) {
      txn.exec(rewrite);
      return absl::OkStatus();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << rewrite << ": " << s;
  }
  // Other tables stay writable (the outbox is drained by the relay).
  s = pool.Transact([](pqxx::transaction_base& txn) {
    txn.exec("DELETE FROM outbox");
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(DepartmentIntegrationTest, AServerThatMayLoseWritesIsRefusedUnlessAllowed) {
  // The harness's PostgreSQL runs with fsync off: fine for tests, refused for a real service.
  ServiceConfig config = Config();
  config.pg_allow_unsafe_durability = false;
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
      Spec([](Department&) { return absl::OkStatus(); }), config, {.start_events = false});
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(host.status().message().find("fsync"), std::string::npos) << host.status();
  EXPECT_NE(host.status().message().find("CIVIL_PG_ALLOW_UNSAFE_DURABILITY"), std::string::npos);
}

TEST_F(DepartmentIntegrationTest, IdentityMetadataFromTheNetworkIsNotAnIdentity) {
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
      Spec([](Department&) { return absl::OkStatus(); }), Config(), {.start_events = false});
  ASSERT_TRUE(host.ok()) << host.status();
  auto admin = civil::events::v1::EventAdminService::NewStub((*host)->Channel());
  civil::events::v1::ListDeadLettersRequest request;
  civil::events::v1::ListDeadLettersResponse response;
  // What an attacker on the same network sends straight to the port.
  grpc::ClientContext forged;
  forged.AddMetadata("x-civil-subject", "mallory");
  forged.AddMetadata("x-civil-roles", "admin");
  forged.AddMetadata("x-civil-region", "*");
  grpc::Status status = admin->ListDeadLetters(&forged, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  // A user's token claiming the role departments use.
  grpc::ClientContext system;
  testing::CallAs(system, {"mallory", "system,admin", "*"});
  status = admin->ListDeadLetters(&system, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
}

TEST_F(DepartmentIntegrationTest, NoKeyForUsersTokensIsRefusedAtStart) {
  ServiceConfig config = Config();
  config.identity = {};
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
      Spec([](Department&) { return absl::OkStatus(); }), config, {.start_events = false});
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(host.status().message().find("CIVIL_JWT_KEYS"), std::string::npos) << host.status();
}

TEST_F(DepartmentIntegrationTest, RefusesToServeAnRpcWithoutAnAccessRule) {
  // gRPC's reflection service is in the generated descriptor pool and declares no civil access
  // rule: a department serving it must not start.
  grpc::Service unguarded;
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host =
      DepartmentHost::Start(Spec([&](Department& d) {
                              d.AddService(&unguarded, "grpc.reflection.v1alpha.ServerReflection");
                              return absl::OkStatus();
                            }),
                            Config(), {.start_events = false});
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(
      host.status().message().find("grpc.reflection.v1alpha.ServerReflection.ServerReflectionInfo"),
      std::string::npos)
      << host.status();

  // A service name the process does not know is refused as well, by name.
  grpc::Service unknown;
  host = DepartmentHost::Start(Spec([&](Department& d) {
                                 d.AddService(&unknown, "civil.nowhere.v1.GhostService");
                                 return absl::OkStatus();
                               }),
                               Config(), {.start_events = false});
  ASSERT_FALSE(host.ok());
  EXPECT_NE(host.status().message().find("civil.nowhere.v1.GhostService"), std::string::npos);
}

TEST_F(DepartmentIntegrationTest, AWiringErrorStopsTheBuild) {
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host =
      DepartmentHost::Start(Spec([](Department&) {
                              return InvalidField("CIVIL_KITTEST_RULES", "must be a JSON object");
                            }),
                            Config(), {.start_events = false});
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(host.status().message(), "CIVIL_KITTEST_RULES: must be a JSON object");
}

TEST_F(DepartmentIntegrationTest, ABadPiiKeyIsRefusedBeforeAnythingIsTouched) {
  ServiceConfig config = Config();
  config.pii_key_hex = "abc";
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
      Spec([](Department&) { return absl::OkStatus(); }), config, {.start_events = false});
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(host.status().message().rfind("CIVIL_PII_KEY: ", 0), 0u) << host.status();
  // No migration ran.
  EXPECT_EQ(Count("SELECT count(*) FROM pg_tables WHERE tablename = 'kit_notes'"), 0);
}

TEST_F(DepartmentIntegrationTest, ReadinessFollowsTheDepartmentsChecks) {
  bool healthy = true;
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
      Spec([&](Department& d) {
        d.AddReadinessCheck([&] {
          return healthy ? absl::OkStatus() : absl::UnavailableError("assistance unreachable");
        });
        return absl::OkStatus();
      }),
      Config(), {.start_events = false});
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_TRUE((*host)->department().Ready().ok());
  healthy = false;
  EXPECT_EQ((*host)->department().Ready().message(), "assistance unreachable");
}

// A statement declared while the pool's only connection is out (a refresh thread's query during
// the wiring) is on that connection when it comes back: never "prepared statement does not exist".
TEST_F(DepartmentIntegrationTest, AStatementPreparedWhileAConnectionIsOutReachesIt) {
  PgPool pool(
      PgPool::Options{pg_->CreateDatabase("civil_kittest_pool"), 1, std::chrono::seconds(5)},
      nullptr);
  pool.Prepare("early", "SELECT 1");
  std::atomic<bool> leased{false}, prepared{false};
  std::atomic<bool> failed{false};
  std::thread out([&] {
    const absl::Status s = pool.Read([&](pqxx::transaction_base& txn) {
      txn.exec_prepared("early");
      leased = true;
      while (!prepared) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    failed = !s.ok();
  });
  while (!leased && !failed) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  pool.Prepare("late", "SELECT 2");
  prepared = true;
  out.join();
  int64_t value = 0;
  const absl::Status s = pool.Read([&](pqxx::transaction_base& txn) {
    value = txn.exec_prepared1("late")[0].as<int64_t>();
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(value, 2);
}

TEST_F(DepartmentIntegrationTest, StopsHooksThenOwnedObjectsNewestFirst) {
  std::vector<std::string> log;
  {
    absl::StatusOr<std::unique_ptr<DepartmentHost>> host =
        DepartmentHost::Start(Spec([&](Department& d) {
                                d.Make<Recorder>(&log, "store");
                                d.Make<Recorder>(&log, "service");
                                d.OnShutdown([&] { log.push_back("shutdown hook"); });
                                return absl::OkStatus();
                              }),
                              Config(), {.start_events = true});
    ASSERT_TRUE(host.ok()) << host.status();
    EXPECT_TRUE(log.empty());
  }
  EXPECT_EQ(log, (std::vector<std::string>{"shutdown hook", "service", "store"}));
}

TEST_F(DepartmentIntegrationTest, TheClockIsTheOneTheTestChose) {
  absl::CivilDay seen;
  absl::StatusOr<std::unique_ptr<DepartmentHost>> host = DepartmentHost::Start(
      Spec([&](Department& d) {
        seen = d.clock()();
        return absl::OkStatus();
      }),
      Config(), {.clock = FixedClock(absl::CivilDay(2023, 6, 30)), .start_events = false});
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(seen, absl::CivilDay(2023, 6, 30));
}

TEST(RunDepartmentTest, BadConfigurationExitsWithTwoBeforeConnecting) {
  unsetenv("CIVIL_KITTEST_PG_DSN");
  unsetenv("CIVIL_REDIS_ADDR");
  unsetenv("CIVIL_PII_KEY");
  unsetenv("CIVIL_JWT_KEYS");
  DepartmentSpec spec{.name = "kittest",
                      .grpc_port = 0,
                      .metrics_port = 0,
                      .migrations = &KitMigrations,
                      .wire = [](Department&) { return absl::OkStatus(); }};
  EXPECT_EQ(RunDepartment(spec), 2);
}

}  // namespace
}  // namespace civil
