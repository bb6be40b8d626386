// The fault suite against the real assistance server process (CTest label `fault`): kill -9 in
// the middle of a county disbursement, a deadline that expires while the service waits for
// PostgreSQL, and forged tokens sent straight to the service's port. PostgreSQL and Redis are
// real (tests/support/servers.h); the caseload comes from assistance_datagen, with a second,
// identical county (same seed and key) paid by the generator itself as the expected result.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <future>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "civil/assistance/v1/household.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/jwt_sign.h"
#include "tests/support/e2e_stack.h"

namespace civil::assistance {
namespace {

using json = nlohmann::json;
namespace v1 = civil::assistance::v1;

constexpr int kHouseholds = 21000;  // about 19,500 低保 and 2,000 特困 enrolments
constexpr char kMonth[] = "2023-01";

class AssistanceFaultTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ =
        civil::testing::E2eStack::Builder().Service("assistance", CIVIL_ASSISTANCE_SERVER).Start();
    ASSERT_TRUE(stack_->Ready());
    dsn_ = stack_->service_env("assistance").at("CIVIL_ASSISTANCE_PG_DSN");
    // The county under test, and the same county paid for the month by the generator, which
    // writes the payments exactly as DisbursementStore::Run makes them (same seed, same key).
    expected_dsn_ = stack_->postgres().CreateDatabase("civil_assistance_expected");
    Generate(dsn_, 1);
    Generate(expected_dsn_, 1);
    // The county under test is left unpaid: its runs are what the tests do. (The generator's
    // window of one month is kept, so that both counties are the same to the last enrolment.)
    pqxx::connection owner(dsn_);
    pqxx::work txn(owner);
    txn.exec("DELETE FROM disbursement_holds");
    txn.exec("DELETE FROM payment_totals");
    txn.exec("DELETE FROM payments");
    txn.exec("DELETE FROM disbursement_batches");
    txn.commit();
    reviewer_ = stack_->Bearer("fault-reviewer", {"assistance.reviewer"}, "340722");
  }
  static void TearDownTestSuite() { stack_.reset(); }

  static void Generate(const std::string& dsn, int payment_months) {
    const std::string log = stack_->dir().path() + "/datagen.log";
    const std::string command = std::string("CIVIL_PII_KEY=") + civil::testing::kTestPiiKey + " '" +
                                CIVIL_ASSISTANCE_DATAGEN + "' --dsn '" + dsn + "' --households " +
                                std::to_string(kHouseholds) + " --payments-months " +
                                std::to_string(payment_months) + " --first-month " + kMonth +
                                " --seed 7 --no-vacuum >>'" + log + "' 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << "assistance_datagen failed; see " << log;
  }

  static std::unique_ptr<v1::DisbursementService::Stub> Stub() {
    return v1::DisbursementService::NewStub(grpc::CreateChannel(
        stack_->grpc_address("assistance"), grpc::InsecureChannelCredentials()));
  }

  static grpc::Status Pay(v1::Programme programme, std::chrono::milliseconds deadline,
                          v1::RunDisbursementResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    context.AddMetadata("authorization", reviewer_);
    v1::RunDisbursementRequest request;
    request.set_programme(programme);
    request.set_month(kMonth);
    request.set_region_prefix("340722");
    return Stub()->RunDisbursement(&context, request, response);
  }

  static int64_t Count(const std::string& dsn, const std::string& sql) {
    pqxx::connection c(dsn);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  // Payments of `programme` for the month that the two counties do not share, by enrolment,
  // month and amount (the generator's UUIDs are the same for the same seed).
  static int64_t PaymentsNotAsExpected(const std::string& programme) {
    pqxx::connection c(dsn_);
    pqxx::work txn(c);
    txn.exec("CREATE TEMP TABLE expected (enrolment_id uuid, amount_fen bigint, persons int)");
    {
      pqxx::connection e(expected_dsn_);
      pqxx::nontransaction read(e);
      pqxx::result rows = read.exec_params(
          "SELECT enrolment_id, amount_fen, persons FROM payments WHERE programme = $1 AND "
          "month = $2::date",
          programme, std::string(kMonth) + "-01");
      pqxx::tablewriter writer(txn, "expected");
      for (const auto& row : rows) {
        writer.push_back(std::vector<std::string>{row[0].c_str(), row[1].c_str(), row[2].c_str()});
      }
      writer.complete();
    }
    const std::string mine =
        "SELECT enrolment_id, amount_fen, persons FROM payments WHERE programme = " +
        txn.quote(programme) + " AND month = " + txn.quote(std::string(kMonth) + "-01");
    for (const auto& row : txn.exec("(" + mine + ") EXCEPT ALL (SELECT * FROM expected) LIMIT 3")) {
      ADD_FAILURE() << "paid, not expected: " << row[0].c_str() << " " << row[1].c_str() << " "
                    << row[2].c_str();
    }
    for (const auto& row : txn.exec("(SELECT * FROM expected) EXCEPT ALL (" + mine + ") LIMIT 3")) {
      ADD_FAILURE() << "expected, not paid: " << row[0].c_str() << " " << row[1].c_str() << " "
                    << row[2].c_str();
    }
    return txn
        .exec1("SELECT (SELECT count(*) FROM ((" + mine +
               ") EXCEPT ALL (SELECT * FROM expected)) a) + (SELECT count(*) FROM ((SELECT * "
               "FROM expected) EXCEPT ALL (" +
               mine + ")) b)")[0]
        .as<int64_t>();
  }

  // The database role the service connects as (services/common/db_roles.h).
  static std::string AppRole() {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    return txn.exec1("SELECT current_database()")[0].as<std::string>() + "_app";
  }

  inline static std::unique_ptr<civil::testing::E2eStack> stack_;
  inline static std::string dsn_, expected_dsn_, reviewer_;
};

TEST_F(AssistanceFaultTest, KillNineInTheMiddleOfACountyRunThenRunAgainPaysEachEnrolmentOnce) {
  const int64_t expected = Count(expected_dsn_,
                                 "SELECT count(*) FROM payments WHERE programme = "
                                 "'DIBAO' AND month = '2023-01-01'");
  ASSERT_GT(expected, 15000);
  const std::string role = AppRole();
  pqxx::connection watcher(dsn_);

  // The run, from a client of its own; the server is killed while its INSERT of payments runs.
  auto run = std::async(std::launch::async, [] {
    v1::RunDisbursementResponse response;
    return Pay(v1::PROGRAMME_DIBAO, std::chrono::seconds(60), &response);
  });
  bool seen_inserting = false;
  std::set<std::string> seen;  // what the service's sessions were doing, for a failure message
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!seen_inserting && std::chrono::steady_clock::now() < give_up) {
    pqxx::nontransaction txn(watcher);
    for (const auto& row : txn.exec("SELECT usename || ' ' || coalesce(state, '') || ' ' || "
                                    "left(query, 40) FROM pg_stat_activity WHERE backend_type = "
                                    "'client backend' AND pid <> pg_backend_pid()")) {
      seen.insert(row[0].c_str());
    }
    // The statement that pays a chunk (DisbursementStore::Run) starts so; pg_stat_activity
    // keeps only the first kilobyte of a query, before its INSERT INTO payments.
    seen_inserting = txn.exec_params1(
                            "SELECT count(*) FROM pg_stat_activity WHERE usename = $1 "
                            "AND state = 'active' AND query LIKE 'WITH now_pick AS %'",
                            role)[0]
                         .as<int64_t>() > 0;
    if (!seen_inserting) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(seen_inserting) << "the run was never seen inserting payments; seen: "
                              << absl::StrJoin(seen, " | ");
  stack_->service("assistance").Stop(SIGKILL);
  grpc::Status killed = run.get();
  EXPECT_FALSE(killed.ok());

  // PostgreSQL rolls the run's transaction back once its client is gone: nothing of it stays.
  const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Count(dsn_, "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'") > 0 &&
         std::chrono::steady_clock::now() < settle) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM payments WHERE month = '2023-01-01'"), 0);
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM disbursement_batches"), 0);

  // Restarted and run again: every enrolment of the month paid once, as the generator pays it.
  stack_->RestartService("assistance");
  ASSERT_TRUE(stack_->Ready());
  v1::RunDisbursementResponse again;
  grpc::Status s = Pay(v1::PROGRAMME_DIBAO, std::chrono::seconds(120), &again);
  ASSERT_TRUE(s.ok()) << s.error_message() << stack_->Logs();
  EXPECT_TRUE(again.created());
  EXPECT_EQ(again.batch().payments(), expected);
  EXPECT_EQ(Count(dsn_,
                  "SELECT count(*) - count(DISTINCT enrolment_id) FROM payments WHERE month = "
                  "'2023-01-01'"),
            0);
  EXPECT_EQ(Count(dsn_,
                  "SELECT sum(amount_fen) FROM payments WHERE programme = 'DIBAO' AND "
                  "month = '2023-01-01'"),
            again.batch().total_fen());
  EXPECT_EQ(again.batch().total_fen(), Count(expected_dsn_,
                                             "SELECT sum(amount_fen) FROM payments WHERE programme "
                                             "= 'DIBAO' AND month = '2023-01-01'"));
  EXPECT_EQ(PaymentsNotAsExpected("DIBAO"), 0);

  // A third run changes nothing.
  v1::RunDisbursementResponse third;
  s = Pay(v1::PROGRAMME_DIBAO, std::chrono::seconds(60), &third);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(third.created());
  EXPECT_EQ(third.batch().batch_id(), again.batch().batch_id());
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM payments WHERE programme = 'DIBAO'"), expected);
}

TEST_F(AssistanceFaultTest, ADeadlineThatExpiresWhileWaitingForPostgresCommitsNothing) {
  // Another session holds the payments table, so the run waits for PostgreSQL past its deadline.
  pqxx::connection holder(dsn_);
  auto lock = std::make_unique<pqxx::work>(holder);
  lock->exec("LOCK TABLE payments IN EXCLUSIVE MODE");
  v1::RunDisbursementResponse response;
  const auto started = std::chrono::steady_clock::now();
  grpc::Status s = Pay(v1::PROGRAMME_TEKUN, std::chrono::milliseconds(1500), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << s.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  // The lock goes a while after the caller gave up; the service's transaction must not commit.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  lock->commit();
  lock.reset();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM payments WHERE programme = 'TEKUN'"), 0);
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM disbursement_batches WHERE programme = 'TEKUN'"), 0);
  // With time enough, the same run pays the month as expected.
  s = Pay(v1::PROGRAMME_TEKUN, std::chrono::seconds(60), &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(response.created());
  EXPECT_GT(response.batch().payments(), 0);
  EXPECT_EQ(PaymentsNotAsExpected("TEKUN"), 0);
}

TEST_F(AssistanceFaultTest, ForgedCallersStraightToThePortAreUnauthenticated) {
  auto households = v1::HouseholdService::NewStub(
      grpc::CreateChannel(stack_->grpc_address("assistance"), grpc::InsecureChannelCredentials()));
  // The code of the call, and how many households it returned.
  auto call = [&](const std::multimap<std::string, std::string>& metadata) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
    v1::ListHouseholdsRequest request;
    v1::ListHouseholdsResponse response;
    grpc::Status s = households->ListHouseholds(&context, request, &response);
    return std::make_pair(s.error_code(), response.households_size());
  };
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  json claims = {{"iss", civil::testing::kTestIssuer},
                 {"aud", civil::testing::kTestAudience},
                 {"sub", "mallory"},
                 {"roles", {"admin"}},
                 {"region", "*"},
                 {"iat", now},
                 {"exp", now + 600}};
  auto sign = [](const json& header, const json& payload, const std::string& alg,
                 const std::string& key) {
    auto token = SignRaw(header.dump(), payload.dump(), alg, key);
    EXPECT_TRUE(token.ok());
    return "Bearer " + *token;
  };
  const std::string& trusted = stack_->keys().private_pem;
  auto stranger = GenerateEs256KeyPair();
  ASSERT_TRUE(stranger.ok());
  json expired = claims;
  expired["iat"] = now - 7200;
  expired["exp"] = now - 3600;
  json audience = claims;
  audience["aud"] = "civil-assistance";
  json system = claims;
  system["roles"] = {"system"};
  const json es256 = {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", "dev"}};

  struct Case {
    const char* what;
    std::multimap<std::string, std::string> metadata;
  };
  const Case cases[] = {
      {"no token", {}},
      {"x-civil-* metadata",
       {{"x-civil-subject", "mallory"}, {"x-civil-roles", "admin"}, {"x-civil-region", "*"}}},
      {"alg none",
       {{"authorization", sign({{"alg", "none"}, {"kid", "dev"}}, claims, "none", "")}}},
      {"wrong key", {{"authorization", sign(es256, claims, "ES256", stranger->first)}}},
      {"expired", {{"authorization", sign(es256, expired, "ES256", trusted)}}},
      {"wrong audience", {{"authorization", sign(es256, audience, "ES256", trusted)}}},
      {"a user token claiming system", {{"authorization", sign(es256, system, "ES256", trusted)}}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(call(c.metadata), std::make_pair(grpc::StatusCode::UNAUTHENTICATED, 0)) << c.what;
  }
  // The same call with a real token of the same claims is answered, with the county's households.
  auto [code, listed] = call({{"authorization", sign(es256, claims, "ES256", trusted)}});
  EXPECT_EQ(code, grpc::StatusCode::OK);
  EXPECT_GT(listed, 0);
}

}  // namespace
}  // namespace civil::assistance
