// The fault suite through the whole stack (CTest label `fault`): the gateway and the assistance
// server as real processes over a real PostgreSQL and Redis (tests/support/e2e_stack.h), while
// the service is stopped under load, overloaded, or loses PostgreSQL or Redis. Outcomes are
// counted, never timed: what a client saw, what the database holds afterwards, what the
// processes' metrics say.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "civil/assistance/v1/household.grpc.pb.h"
#include "civil/events/v1/events.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/events.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pg.h"
#include "tests/support/e2e_stack.h"

namespace civil::assistance {
namespace {

using json = nlohmann::json;
using civil::testing::E2eStack;
using civil::testing::HttpResponse;
namespace v1 = civil::assistance::v1;

// A valid ID number of county 340722, a different one for every `n` below 50,000.
std::string IdNumber(int n) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  char body[20];
  std::snprintf(body, sizeof body, "340722%04d0615%03d", 1950 + n / 1000, n % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

std::string HouseholdJson(int n) {
  return json{
      {"regionCode", "340722101001"},
      {"area", "AREA_RURAL"},
      {"members", {{{"name", "王故障"}, {"idNumber", IdNumber(n)}, {"relation", "RELATION_HEAD"}}}}}
      .dump();
}

int64_t Count(const std::string& dsn, const std::string& sql) {
  pqxx::connection c(dsn);
  pqxx::nontransaction txn(c);
  return txn.exec1(sql)[0].as<int64_t>();
}

// The service's grpc.health.v1 status for the whole server: 1 SERVING, 2 NOT_SERVING, -1 when
// the call failed (the port is closed).
int HealthStatus(const std::string& address) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) { done.set_value(s); });
  if (!done.get_future().get().ok()) return -1;
  grpc::Slice bytes;
  if (!response.DumpToSingleSlice(&bytes).ok() || bytes.size() != 2) return -1;
  return bytes.begin()[1];
}

// Resident memory of process `pid` in kB (VmRSS).
int64_t RssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

// The value of the unlabelled series `name` on a /metrics page, -1 when absent.
double Metric(int port, const std::string& name) {
  HttpResponse page = civil::testing::HttpRequest(port, "GET", "/metrics");
  size_t at = 0;
  while ((at = page.body.find(name + " ", at)) != std::string::npos) {
    if (at == 0 || page.body[at - 1] == '\n') return std::stod(page.body.substr(at + name.size()));
    at += name.size();
  }
  return -1;
}

// Outcomes by HTTP status, from several client threads.
class Tally {
 public:
  void Add(int status) {
    std::lock_guard lock(mu_);
    ++by_status_[status];
  }
  std::map<int, int> Get() const {
    std::lock_guard lock(mu_);
    return by_status_;
  }
  int Of(int status) const {
    std::lock_guard lock(mu_);
    auto it = by_status_.find(status);
    return it == by_status_.end() ? 0 : it->second;
  }
  std::string Text() const {
    std::string out;
    for (const auto& [status, n] : Get())
      out += std::to_string(status) + ":" + std::to_string(n) + " ";
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<int, int> by_status_;
};

// One stack per test: each needs its own service settings, and some end a process.
class StackFaultTest : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> service_env, std::vector<std::string> gateway_args,
             bool gateway_metrics = false) {
    stack_ = E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER, std::move(service_env))
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET,
                          {.args = std::move(gateway_args), .metrics = gateway_metrics})
                 .Start();
    ASSERT_TRUE(stack_->Ready());
    dsn_ = stack_->service_env("assistance").at("CIVIL_ASSISTANCE_PG_DSN");
    auth_ = {{"Authorization",
              stack_->Bearer("fault", {"assistance.clerk", "assistance.reviewer"}, "340722")}};
  }
  void TearDown() override { stack_.reset(); }

  HttpResponse Create(int n) {
    return stack_->Http("POST", "/v1/assistance/households", HouseholdJson(n), auth_);
  }
  HttpResponse Read(const std::string& household_id) {
    return stack_->Http("GET", "/v1/assistance/households/" + household_id, "", auth_);
  }
  std::string CreatedId(int n) {
    HttpResponse r = Create(n);
    EXPECT_EQ(r.status, 200) << r.body << stack_->Logs();
    if (r.status != 200) return "";
    return json::parse(r.body)["household"]["householdId"];
  }

  std::unique_ptr<E2eStack> stack_;
  std::string dsn_;
  std::map<std::string, std::string> auth_;
};

// Item 3: SIGTERM under steady load through the gateway. Health says NOT_SERVING while the
// process still answers; the write in flight finishes and commits once; the gateway sends again
// only the calls that never reached a handler (refused while the port is closed) and they land
// on the restarted process: the clients see no error at all.
TEST_F(StackFaultTest, SigtermUnderLoadDrainsAndTheClientsSeeNoError) {
  Start({{"CIVIL_SHUTDOWN_DRAIN_MS", "1500"}, {"CIVIL_SHUTDOWN_GRACE_MS", "20000"}},
        {"--rate-limit", "off", "--deadline-ms", "30000", "--retry-unsent-ms", "25000"});
  std::vector<std::string> ids;
  for (int n = 0; n < 4; ++n) ids.push_back(CreatedId(n));
  ASSERT_EQ(ids.size(), 4u);

  // Steady load: readers through the gateway until told to stop.
  std::atomic<bool> stop{false};
  std::atomic<int> after_restart{0};
  std::atomic<bool> restarted{false};
  Tally reads;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; !stop.load() && i < 100000; ++i) {
        const int status = Read(ids[(t + i) % ids.size()]).status;
        reads.Add(status);
        if (restarted.load() && status == 200) ++after_restart;
      }
    });
  }
  while (reads.Of(200) < 50) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  // The call in flight: a household write held by a lock on its history table (reads go on).
  pqxx::connection holder(dsn_);
  auto lock = std::make_unique<pqxx::work>(holder);
  lock->exec("LOCK TABLE household_history IN EXCLUSIVE MODE");
  auto in_flight = std::async(std::launch::async, [&] { return Create(100).status; });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (Count(dsn_,
               "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
               "pid <> pg_backend_pid()") == 0 &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds(0)), std::future_status::timeout);

  const std::string address = stack_->grpc_address("assistance");
  ASSERT_EQ(HealthStatus(address), 1);
  const pid_t pid = stack_->service("assistance").pid();
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  // NOT_SERVING first, while the process still runs and the write is still in flight.
  bool not_serving = false;
  for (int i = 0; i < 200 && !not_serving; ++i) {
    not_serving = HealthStatus(address) == 2;
    if (!not_serving) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(not_serving) << stack_->Logs();
  EXPECT_EQ(in_flight.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  // The write finishes within the grace once its lock goes; then the process exits cleanly.
  lock->commit();
  lock.reset();
  EXPECT_EQ(in_flight.get(), 200) << stack_->Logs();
  EXPECT_EQ(stack_->service("assistance").Stop(0, true), 0) << stack_->Logs();
  // Back on the same port: the calls refused meanwhile go to the new process.
  stack_->RestartService("assistance");
  restarted = true;
  ASSERT_TRUE(stack_->Ready());
  const auto enough = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (after_restart.load() < 50 && std::chrono::steady_clock::now() < enough) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  for (auto& t : readers) t.join();

  EXPECT_GE(after_restart.load(), 50);
  EXPECT_EQ(reads.Get(), (std::map<int, int>{{200, reads.Of(200)}})) << reads.Text();
  // The write in flight committed exactly once.
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM households"), 5);
  EXPECT_NE(stack_->Logs(std::string::npos).find("\"msg\":\"stopped\""), std::string::npos);
}

// Item 4: twice (four times) the calls the service can run at once. Its handler threads are held
// by a lock; the calls beyond them are answered RESOURCE_EXHAUSTED (429 with Retry-After through
// the gateway) while the held ones still wait, memory stays put over a long burst, the metric
// counts the refusals, and once the lock goes everything held finishes and calls succeed again.
TEST_F(StackFaultTest, OverloadIsRefusedAtOnceWithBoundedMemoryAndRecovers) {
  constexpr int kThreads = 2;
  Start({{"CIVIL_GRPC_THREADS", std::to_string(kThreads)}}, {"--rate-limit", "off"});
  ASSERT_FALSE(CreatedId(0).empty());
  auto households = v1::HouseholdService::NewStub(
      grpc::CreateChannel(stack_->grpc_address("assistance"), grpc::InsecureChannelCredentials()));
  const std::string bearer = auth_.at("Authorization");
  auto list = [&](std::chrono::seconds deadline) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    context.AddMetadata("authorization", bearer);
    v1::ListHouseholdsRequest request;
    request.set_region_prefix("340722");
    v1::ListHouseholdsResponse response;
    return households->ListHouseholds(&context, request, &response).error_code();
  };
  ASSERT_EQ(list(std::chrono::seconds(10)), grpc::StatusCode::OK);

  pqxx::connection holder(dsn_);
  auto lock = std::make_unique<pqxx::work>(holder);
  lock->exec("LOCK TABLE households IN ACCESS EXCLUSIVE MODE");
  constexpr int kCalls = 4 * (kThreads + 2);  // far beyond what can run at once
  std::vector<std::future<grpc::StatusCode>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(std::async(std::launch::async, [&] { return list(std::chrono::seconds(60)); }));
  }
  // The refusals come back while the lock still holds the others.
  int refused = 0, held = 0;
  std::vector<std::future<grpc::StatusCode>*> waiting;
  const auto settled = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (auto& call : calls) {
    if (call.wait_until(settled) == std::future_status::ready) {
      EXPECT_EQ(call.get(), grpc::StatusCode::RESOURCE_EXHAUSTED);
      ++refused;
    } else {
      waiting.push_back(&call);
      ++held;
    }
  }
  EXPECT_GE(held, 1);
  EXPECT_LE(held, kThreads + 2);  // the in-flight bound: handler threads, not a queue
  EXPECT_EQ(refused + held, kCalls);

  // A long burst while saturated: every call refused, memory bounded.
  const pid_t pid = stack_->service("assistance").pid();
  const int64_t rss_before = RssKb(pid);
  std::atomic<int> burst_refused{0}, burst_other{0};
  std::vector<std::thread> burst;
  for (int t = 0; t < 4; ++t) {
    burst.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        (list(std::chrono::seconds(30)) == grpc::StatusCode::RESOURCE_EXHAUSTED ? burst_refused
                                                                                : burst_other)++;
      }
    });
  }
  for (auto& t : burst) t.join();
  EXPECT_EQ(burst_refused.load(), 2000);
  EXPECT_EQ(burst_other.load(), 0);
  const int64_t rss_after = RssKb(pid);
  EXPECT_LT(rss_after - rss_before, 64 * 1024) << rss_before << " kB -> " << rss_after << " kB";

  // Through the gateway: 429 with Retry-After.
  HttpResponse through =
      stack_->Http("GET", "/v1/assistance/households?regionPrefix=340722", "", auth_);
  EXPECT_EQ(through.status, 429) << through.body;
  EXPECT_EQ(through.headers["retry-after"], "1");
  EXPECT_GE(Metric(stack_->metrics_port("assistance"), "civil_grpc_server_overload_total"),
            refused + 2000 + 1);

  // The load stops: the held calls finish, and new ones are served again.
  lock->commit();
  lock.reset();
  for (auto* call : waiting) EXPECT_EQ(call->get(), grpc::StatusCode::OK);
  // The held calls' threads go back to the pool as their calls end: a bounded number of tries.
  grpc::StatusCode after = grpc::StatusCode::UNKNOWN;
  for (int i = 0; i < 50 && after != grpc::StatusCode::OK; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = list(std::chrono::seconds(10));
  }
  EXPECT_EQ(after, grpc::StatusCode::OK);
  EXPECT_EQ(stack_->Http("GET", "/v1/assistance/households?regionPrefix=340722", "", auth_).status,
            200);
}

// Item 5: the postmaster SIGKILLed while clients write through the gateway. Every household the
// API acknowledged is in the database after crash recovery; meanwhile writes fail UNAVAILABLE
// (503), never with a server error, and the service reconnects by itself.
TEST_F(StackFaultTest, PostgresKilledDuringWritesKeepsEveryAcknowledgedWrite) {
  Start({}, {"--rate-limit", "off"});
  // Acknowledged means flushed to the WAL: commit as a durable server would (the harness's
  // server runs with synchronous_commit off for speed).
  {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    txn.exec("ALTER DATABASE " + txn.quote_name(c.dbname()) + " SET synchronous_commit = on");
  }
  stack_->service("assistance").Stop(SIGTERM);
  stack_->RestartService("assistance");
  ASSERT_TRUE(stack_->Ready());
  ASSERT_FALSE(CreatedId(0).empty());

  std::atomic<int> next{1};
  std::atomic<bool> stop{false};
  std::atomic<bool> recovered{false};
  std::atomic<int> after_recovery{0};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  Tally writes;
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&] {
      while (!stop.load() && next.load() < 40000) {
        HttpResponse r = Create(next++);
        writes.Add(r.status);
        if (r.status != 200) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        std::lock_guard lock(mu);
        acknowledged.push_back(json::parse(r.body)["household"]["householdId"]);
        if (recovered.load()) ++after_recovery;
      }
    });
  }
  while (writes.Of(200) < 100) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stack_->postgres().Kill();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // writes meet a dead server
  stack_->postgres().Start();
  recovered = true;
  const auto enough = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (after_recovery.load() < 100 && std::chrono::steady_clock::now() < enough) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  for (auto& t : writers) t.join();

  EXPECT_GE(after_recovery.load(), 100) << writes.Text() << stack_->Logs();
  for (const auto& [status, n] : writes.Get()) {
    EXPECT_TRUE(status == 200 || status == 503) << writes.Text();
  }
  EXPECT_GT(writes.Of(503), 0) << "no write met the dead server: " << writes.Text();
  pqxx::connection c(dsn_);
  pqxx::nontransaction txn(c);
  std::set<std::string> stored;
  for (const auto& row : txn.exec("SELECT household_id::text FROM households")) {
    stored.insert(row[0].c_str());
  }
  int missing = 0;
  for (const std::string& id : acknowledged) missing += stored.count(id) == 0;
  EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged";
}

// Item 5's refusal: against a server with fsync, synchronous_commit and full_page_writes off (the
// harness's), a service without CIVIL_PG_ALLOW_UNSAFE_DURABILITY does not start, and says why.
TEST_F(StackFaultTest, RefusesToStartOnANonDurablePostgres) {
  civil::testing::PostgresServer pg;
  civil::testing::RedisServer redis;
  civil::testing::TempDir dir;
  std::map<std::string, std::string> env = {
      {"CIVIL_ASSISTANCE_ADDR", "127.0.0.1:" + std::to_string(civil::testing::FreePort())},
      {"CIVIL_ASSISTANCE_METRICS_ADDR", "127.0.0.1:" + std::to_string(civil::testing::FreePort())},
      {"CIVIL_ASSISTANCE_PG_DSN", pg.CreateDatabase("civil_assistance")},
      {"CIVIL_REDIS_ADDR", redis.address()},
      {"CIVIL_PII_KEY", civil::testing::kTestPiiKey},
      {"CIVIL_PG_ALLOW_UNSAFE_DURABILITY", "false"}};
  // Identity settings as the stacks give them (the service checks its config before PostgreSQL).
  const auto keys = civil::testing::WriteTestKeys(dir.path());
  for (const auto& [key, value] :
       civil::testing::WriteServiceIdentity(keys, dir.path(), {"assistance"})) {
    env[key] = value;
  }
  const std::string log = dir.path() + "/assistance.log";
  civil::testing::Process service({CIVIL_ASSISTANCE_SERVER}, env, log);
  for (int i = 0; i < 300 && service.running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(service.running()) << "started on a server without fsync";
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("fsync"), std::string::npos) << text;
}

// Item 6: Redis killed (kill -9) and restarted empty during a payment run, a burst of events and
// client traffic. The run pays every enrolment once; every event of the burst reaches the new,
// empty stream (the relay sees its epoch gone and republishes; consumers drop repeats by inbox);
// the gateway's rate limits fall back to in-process buckets (it keeps answering and limiting, no
// 5xx) and the service's cache misses go to PostgreSQL.
TEST_F(StackFaultTest, RedisKilledAndRestartedEmptyLosesAndDoublesNothing) {
  Start({}, {}, /*gateway_metrics=*/true);  // the gateway's default rate limits, in Redis
  // The run's caller, apart from the traffic's (whose writes the limits refuse now and then).
  const std::map<std::string, std::string> payer = {
      {"Authorization", stack_->Bearer("fault-payer", {"assistance.reviewer"}, "340722")}};
  // A county to pay: the generator's caseload, its payments removed (the run makes them).
  const std::string log = stack_->dir().path() + "/datagen.log";
  const std::string command = std::string("CIVIL_PII_KEY=") + civil::testing::kTestPiiKey + " '" +
                              CIVIL_ASSISTANCE_DATAGEN + "' --dsn '" + dsn_ +
                              "' --households 1500 --payments-months 1 --first-month 2023-01 "
                              "--seed 11 --no-vacuum >>'" +
                              log + "' 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "assistance_datagen failed; see " << log;
  {
    pqxx::connection owner(dsn_);
    pqxx::work txn(owner);
    txn.exec("DELETE FROM disbursement_holds");
    txn.exec("DELETE FROM payment_totals");
    txn.exec("DELETE FROM payments");
    txn.exec("DELETE FROM disbursement_batches");
    txn.commit();
  }
  const std::string id = CreatedId(0);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(Read(id).status, 200);  // cached now

  // A consumer of assistance's events, as every other department runs one (the kit's
  // EventConsumer: inbox and handler in one transaction, then XACK), over the same Redis. Its
  // table has no key, so an event applied twice would be two rows.
  const std::string consumer_dsn = stack_->postgres().CreateDatabase("fault_consumer");
  ASSERT_TRUE(ApplyMigrations(consumer_dsn, "fault_consumer",
                              WithCommonMigrations({{1, "0001_applied",
                                                     "CREATE TABLE applied (record_id text NOT "
                                                     "NULL)"}}))
                  .ok());
  PgPool consumer_pool(PgPool::Options{consumer_dsn, 2, std::chrono::seconds(5)}, nullptr);
  EventConsumer::Options consumer_options;
  consumer_options.service = "fault-consumer";
  consumer_options.consumer = "c1";
  consumer_options.redis_port = stack_->redis().port();
  consumer_options.block = std::chrono::milliseconds(100);
  consumer_options.claim_idle = std::chrono::milliseconds(500);
  EventConsumer consumer(consumer_options, &consumer_pool, nullptr);
  consumer.On<civil::events::v1::PersonDeceased>(
      "assistance",
      [](pqxx::transaction_base& txn, const civil::events::v1::Envelope&,
         const civil::events::v1::PersonDeceased& fact) -> absl::Status {
        if (fact.record_id().rfind("fault-", 0) == 0) {
          txn.exec_params("INSERT INTO applied VALUES ($1)", fact.record_id());
        }
        return absl::OkStatus();
      });
  std::atomic<bool> consuming{true};
  std::thread consumer_thread([&] {
    while (consuming.load()) {
      // As the consumer's own loop does: back off while Redis is unreachable.
      if (!consumer.PollOnce().ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // Stopped however the test ends (an ASSERT returns early).
  auto stop_consuming = [&] {
    consuming = false;
    if (consumer_thread.joinable()) consumer_thread.join();
  };
  absl::Cleanup consumer_guard = [&] { stop_consuming(); };

  // The burst of events, written as a producer does (outbox row in its transaction).
  constexpr int kEvents = 1000;
  std::set<std::string> events;
  auto burst = std::async(std::launch::async, [&] {
    pqxx::connection c(dsn_);
    for (int batch = 0; batch < kEvents / 100; ++batch) {
      pqxx::work txn(c);
      for (int i = 0; i < 100; ++i) {
        civil::events::v1::PersonDeceased fact;
        fact.set_record_id("fault-" + std::to_string(batch * 100 + i));
        events.insert(civil::WriteEvent(txn, "assistance", civil::EventSubject{}, fact));
      }
      txn.commit();
    }
  });
  // Client traffic through the gateway, writes rate-limited, during it all.
  std::atomic<bool> stop{false};
  std::atomic<int> next{1};
  Tally traffic;
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; !stop.load() && i < 100000; ++i) {
        traffic.Add(t == 0 ? Read(id).status : Create(next++).status);
      }
    });
  }
  auto run = std::async(std::launch::async, [&] {
    return stack_->Http(
        "POST", "/v1/assistance/disbursements",
        R"({"programme":"PROGRAMME_DIBAO","month":"2023-01","regionPrefix":"340722"})", payer);
  });
  while (traffic.Get().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stack_->redis().Kill();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stack_->redis().Start();  // empty
  burst.get();
  HttpResponse paid = run.get();
  const int after_restart = traffic.Of(200);
  const auto enough = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (traffic.Of(200) < after_restart + 50 && std::chrono::steady_clock::now() < enough) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  for (auto& t : clients) t.join();

  // The run: paid once per enrolment; a second run changes nothing.
  ASSERT_EQ(paid.status, 200) << paid.body << stack_->Logs();
  const json batch = json::parse(paid.body)["batch"];
  EXPECT_EQ(Count(dsn_,
                  "SELECT count(*) - count(DISTINCT enrolment_id) FROM payments WHERE month = "
                  "'2023-01-01'"),
            0);
  EXPECT_EQ(std::to_string(Count(dsn_, "SELECT count(*) FROM payments")),
            batch.value("payments", "0"));
  HttpResponse again = stack_->Http(
      "POST", "/v1/assistance/disbursements",
      R"({"programme":"PROGRAMME_DIBAO","month":"2023-01","regionPrefix":"340722"})", payer);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(json::parse(again.body).value("created", false));
  EXPECT_EQ(json::parse(again.body)["batch"]["batchId"], batch["batchId"]);

  // Traffic: answered and limited, never a server error; the limits were decided in-process
  // while Redis was gone, and the writes the API acknowledged are there.
  for (const auto& [status, n] : traffic.Get()) {
    EXPECT_TRUE(status == 200 || status == 429) << traffic.Text();
  }
  EXPECT_GT(traffic.Of(200), after_restart) << traffic.Text();
  EXPECT_GT(Metric(stack_->gateway_metrics_port(), "gateway_rate_limit_local_total"), 0);

  // Events: every one of the burst published, and present in the new stream.
  const auto published = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Count(dsn_, "SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0 &&
         std::chrono::steady_clock::now() < published) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(Count(dsn_, "SELECT count(*) FROM outbox WHERE published_at IS NULL"), 0);
  std::map<std::string, int> in_stream;
  std::string stream_out;
  for (int attempt = 0; attempt < 100; ++attempt) {
    in_stream.clear();
    const std::string xrange = "redis-cli -p " + std::to_string(stack_->redis().port()) +
                               " --raw XRANGE civil.events.assistance - +";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(xrange.c_str(), "r"), pclose);
    ASSERT_NE(pipe, nullptr);
    char line[4096];
    while (std::fgets(line, sizeof line, pipe.get()) != nullptr) {
      std::string text(line);
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      if (events.count(text) > 0) ++in_stream[text];
    }
    if (in_stream.size() == events.size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(events.size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(in_stream.size(), events.size()) << "events lost from the stream";

  // Applied by the consumer: each of the burst once, though the relay republished what the empty
  // Redis had lost and the stream may hold an event twice.
  const auto applied = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Count(consumer_dsn, "SELECT count(DISTINCT record_id) FROM applied") < kEvents &&
         std::chrono::steady_clock::now() < applied) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // time for a doubled apply to show
  stop_consuming();
  EXPECT_EQ(Count(consumer_dsn, "SELECT count(DISTINCT record_id) FROM applied"), kEvents)
      << "events lost on the way to the consumer";
  EXPECT_EQ(Count(consumer_dsn, "SELECT count(*) FROM applied"), kEvents)
      << "events applied more than once";
}

}  // namespace
}  // namespace civil::assistance
