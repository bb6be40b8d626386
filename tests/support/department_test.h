// The shape a department's integration test shares with every other: one PostgreSQL and Redis for
// the suite, a fresh database with the department wired as production wires it for each test, a
// clock the test moves, callers put on contexts (call_as.h), and counts read back by SQL.
//
//   class GovernanceIntegrationTest : public civil::testing::DepartmentTest {
//    protected:
//     void SetUp() override {
//       today_ = absl::CivilDay(2023, 6, 30);
//       StartDepartment(Spec());
//       regions_ = v1::RegionService::NewStub(host_->Channel());
//     }
//   };
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <utility>

#include "absl/time/civil_time.h"
#include "services/common/department.h"
#include "tests/support/call_as.h"
#include "tests/support/servers.h"

namespace civil::testing {

class DepartmentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = new PostgresServer();
    redis_ = new RedisServer();
  }
  static void TearDownTestSuite() {
    delete redis_;
    delete postgres_;
    redis_ = nullptr;
    postgres_ = nullptr;
  }
  void TearDown() override { host_.reset(); }

  // Starts `spec` on a new database `civil_<name>_<n>`, with today_ as its clock and the event
  // threads off (the tests poll the consumer themselves).
  void StartDepartment(const DepartmentSpec& spec) {
    static int n = 0;
    dsn_ = postgres_->CreateDatabase("civil_" + spec.name + "_" + std::to_string(++n));
    DepartmentOptions options;
    options.clock = [this] { return today_; };
    options.start_events = false;
    auto host = DepartmentHost::Start(
        spec,
        Trusting(TestServiceConfig(spec.name, dsn_, "127.0.0.1", redis_->port(), kTestPiiKey)),
        options);
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
  }

  // `fn(context)` with `as` on the context and a 30-second deadline.
  template <typename Fn>
  static grpc::Status Call(const TestCaller& as, Fn&& fn) {
    grpc::ClientContext context;
    PrepareCall(context, as);
    return fn(&context);
  }

  // The single integer `sql` selects, read as the database's owner.
  int64_t Count(const std::string& sql) {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  inline static PostgresServer* postgres_ = nullptr;
  inline static RedisServer* redis_ = nullptr;
  absl::CivilDay today_{2023, 6, 30};
  std::string dsn_;
  std::unique_ptr<DepartmentHost> host_;
};

}  // namespace civil::testing
