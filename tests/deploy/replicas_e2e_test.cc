// deploy_replicas_e2e: two replicas of assistance, one address. The gateway reaches both through
// one comma-separated CIVIL_ASSISTANCE_ADDR (tests/support/e2e_stack.h Replicas), the two share
// one database. A county disbursement started on both replicas at once pays every enrolment once;
// killing one replica under load loses no read (the gateway sends it to the other) and no write
// that never reached the dead one; the gateway counts what it sent again.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <future>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "civil/assistance/v1/disbursement.grpc.pb.h"
#include "tests/support/e2e_stack.h"
#include "tests/support/test_ids.h"

namespace civil::deploy {
namespace {

namespace v1 = civil::assistance::v1;
using civil::testing::HttpResponse;

constexpr int kHouseholds = 3000;
constexpr char kMonth[] = "2023-01";

int64_t Count(const std::string& dsn, const std::string& sql) {
  pqxx::connection c(dsn);
  pqxx::nontransaction txn(c);
  return txn.exec1(sql)[0].as<int64_t>();
}

class ReplicasE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Replicas("assistance", 2)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET,
                          {.args = {"--rate-limit", "off"}, .metrics = true})
                 .Start();
    ASSERT_TRUE(stack_->Ready());
    dsn_ = stack_->service_env("assistance").at("CIVIL_ASSISTANCE_PG_DSN");
    // The caseload, paid once by the generator for the month: what a run must pay. Then unpaid.
    const std::string command = absl::StrCat(
        "CIVIL_PII_KEY=", civil::testing::kTestPiiKey, " '", CIVIL_ASSISTANCE_DATAGEN, "' --dsn '",
        dsn_, "' --households ", kHouseholds, " --payments-months 1 --first-month ", kMonth,
        " --seed 11 --no-vacuum >>'", stack_->dir().path(), "/datagen.log' 2>&1");
    ASSERT_EQ(std::system(command.c_str()), 0) << "assistance_datagen failed";
    expected_ = Count(dsn_, "SELECT count(*) FROM payments WHERE programme = 'DIBAO'");
    expected_fen_ =
        Count(dsn_, "SELECT sum(amount_fen)::bigint FROM payments WHERE programme = 'DIBAO'");
    pqxx::connection owner(dsn_);
    pqxx::work txn(owner);
    txn.exec("DELETE FROM disbursement_holds");
    txn.exec("DELETE FROM payment_totals");
    txn.exec("DELETE FROM payments");
    txn.exec("DELETE FROM disbursement_batches");
    txn.commit();
  }
  static void TearDownTestSuite() { stack_.reset(); }

  static grpc::Status Pay(const std::string& address, v1::RunDisbursementResponse* response) {
    auto stub = v1::DisbursementService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    context.AddMetadata("authorization",
                        stack_->Bearer("replica-reviewer", {"assistance.reviewer"}, "340722"));
    v1::RunDisbursementRequest request;
    request.set_programme(v1::PROGRAMME_DIBAO);
    request.set_month(kMonth);
    request.set_region_prefix("340722");
    return stub->RunDisbursement(&context, request, response);
  }

  static int64_t GatewayRetries() {
    HttpResponse r = civil::testing::HttpRequest(stack_->gateway_metrics_port(), "GET", "/metrics");
    for (absl::string_view line : absl::StrSplit(r.body, '\n')) {
      if (absl::ConsumePrefix(&line, "gateway_backend_retries_total ")) {
        return static_cast<int64_t>(std::stod(std::string(line)));
      }
    }
    return -1;
  }

  inline static std::unique_ptr<civil::testing::E2eStack> stack_;
  inline static std::string dsn_;
  inline static int64_t expected_ = 0, expected_fen_ = 0;
};

TEST_F(ReplicasE2eTest, ADisbursementStartedOnBothReplicasAtOncePaysEveryEnrolmentOnce) {
  ASSERT_GT(expected_, 1000);
  auto first = std::async(std::launch::async, [] {
    v1::RunDisbursementResponse r;
    grpc::Status s = Pay(stack_->grpc_address("assistance"), &r);
    return std::make_pair(s, r);
  });
  auto second = std::async(std::launch::async, [] {
    v1::RunDisbursementResponse r;
    grpc::Status s = Pay(stack_->grpc_address("assistance.2"), &r);
    return std::make_pair(s, r);
  });
  auto [s1, r1] = first.get();
  auto [s2, r2] = second.get();
  // Both answer the one batch of the month (one made it, the other found it), or the loser is
  // told to try again; either way no second payment.
  EXPECT_TRUE(s1.ok() || s2.ok()) << s1.error_message() << " / " << s2.error_message()
                                  << stack_->Logs();
  for (const grpc::Status& s : {s1, s2}) {
    EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::ABORTED ||
                s.error_code() == grpc::StatusCode::ALREADY_EXISTS)
        << s.error_code() << " " << s.error_message();
  }
  EXPECT_FALSE(s1.ok() && s2.ok() && r1.created() && r2.created()) << "both made a batch";
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM disbursement_batches WHERE programme = 'DIBAO'"), 1);
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM payments WHERE programme = 'DIBAO'"), expected_);
  EXPECT_EQ(Count(dsn_, "SELECT count(*) - count(DISTINCT enrolment_id) FROM payments"), 0);
  EXPECT_EQ(Count(dsn_, "SELECT sum(amount_fen)::bigint FROM payments WHERE programme = 'DIBAO'"),
            expected_fen_);
}

TEST_F(ReplicasE2eTest, KillingOneReplicaUnderLoadLosesNoRequestTheGatewayCouldRetry) {
  const auto clerk = stack_->AuthHeaders("replica-clerk", {"assistance.clerk"}, "340722");
  constexpr int kThreads = 6;
  constexpr int kReadsEach = 40;
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kReadsEach; ++i) {
        HttpResponse r = stack_->Http(
            "GET", "/v1/assistance/households?regionPrefix=340722&pageSize=5", "", clerk);
        if (r.status != 200) {
          ++failed;
          failures[t] = absl::StrCat(r.status, " ", r.body);
        }
        ++answered;
      }
    });
  }
  // Kill the second replica once a quarter of the reads are answered: the rest runs on one.
  while (answered.load() < kThreads * kReadsEach / 4) std::this_thread::yield();
  stack_->service("assistance.2").Stop(SIGKILL);
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0) << absl::StrJoin(failures, " | ") << stack_->Logs();

  // Writes after the kill: half of them are sent to the dead replica first, refused before they
  // arrive, and sent on; every one is recorded once.
  const int64_t before = Count(dsn_, "SELECT count(*) FROM households");
  for (int i = 0; i < 10; ++i) {
    const std::string body = absl::StrCat(
        R"({"regionCode":"340722100001","area":"AREA_RURAL","members":[{"name":"测试户主","idNumber":")",
        civil::affairs::testing::Id("19800101", i % 2 == 0, 60 + i),
        R"(","relation":"RELATION_HEAD"}]})");
    HttpResponse r = stack_->Http("POST", "/v1/assistance/households", body, clerk);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM households"), before + 10);
  EXPECT_GT(GatewayRetries(), 0) << "the gateway never sent a call to the other replica";
}

}  // namespace
}  // namespace civil::deploy
