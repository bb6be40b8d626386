// The event exchange against a real PostgreSQL and Redis: outbox → relay → stream → consumer
// (inbox + handler in one transaction) → XACK, and the failures it must survive: a relay killed
// between XADD and marking, a consumer killed between applying and XACK, Redis down while events
// are recorded, Redis losing its data, and a handler that keeps failing; and a read that mixes
// redeliveries with new events, applied in one transaction.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "services/common/events.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "tests/support/servers.h"

namespace civil {
namespace {

using civil::events::v1::PersonDeceased;

class EventsIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg_ = new testing::PostgresServer();
    redis_ = new testing::RedisServer();
  }
  static void TearDownTestSuite() {
    delete redis_;
    delete pg_;
  }

  void SetUp() override {
    static int n = 0;
    ++n;
    source_ = "producer" + std::to_string(n);
    producer_dsn_ = pg_->CreateDatabase("producer_" + std::to_string(n));
    consumer_dsn_ = pg_->CreateDatabase("consumer_" + std::to_string(n));
    ASSERT_TRUE(ApplyMigrations(producer_dsn_, "producer", WithCommonMigrations({})).ok());
    const std::vector<Migration> consumer_schema = {
        {1, "0001_deaths", "CREATE TABLE deaths (subject text PRIMARY KEY, died date NOT NULL)"}};
    ASSERT_TRUE(
        ApplyMigrations(consumer_dsn_, "consumer", WithCommonMigrations(consumer_schema)).ok());
    pool_ = std::make_unique<PgPool>(PgPool::Options{consumer_dsn_, 4, std::chrono::seconds(5)},
                                     nullptr);
  }

  OutboxRelay::Options RelayOptions() {
    OutboxRelay::Options o;
    o.source = source_;
    o.pg_dsn = producer_dsn_;
    o.redis_port = redis_->port();
    return o;
  }

  std::unique_ptr<EventConsumer> Consumer(const std::string& name, int max_attempts = 5,
                                          bool failing = false) {
    EventConsumer::Options o;
    o.service = "consumer-" + source_;
    o.consumer = name;
    o.redis_port = redis_->port();
    o.block = std::chrono::milliseconds(100);
    o.claim_idle = std::chrono::milliseconds(200);
    o.max_attempts = max_attempts;
    auto consumer = std::make_unique<EventConsumer>(o, pool_.get(), nullptr);
    consumer->On<PersonDeceased>(
        source_,
        [failing](pqxx::transaction_base& txn, const civil::events::v1::Envelope& e,
                  const PersonDeceased& p) -> absl::Status {
          if (failing) return absl::InternalError("handler refuses");
          txn.exec_params("INSERT INTO deaths VALUES ($1, $2::date)", e.subject_index(),
                          p.date_of_death());
          return absl::OkStatus();
        });
    return consumer;
  }

  // Records `n` deaths in the producer's outbox, one transaction each.
  void Record(int n, int offset = 0) {
    pqxx::connection c(producer_dsn_);
    for (int i = 0; i < n; ++i) {
      pqxx::work txn(c);
      PersonDeceased p;
      p.set_date_of_death("2023-05-01");
      p.set_cremation_id("c" + std::to_string(offset + i));
      WriteEvent(txn, source_, {"subject-" + std::to_string(offset + i), "340722********0000"}, p);
      txn.commit();
    }
  }

  int64_t Scalar(const std::string& dsn, const std::string& sql) {
    pqxx::connection c(dsn);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  // Waits (up to ~10 s) until PostgreSQL has ended the backends of a killed child: until then
  // they hold the outbox rows they locked, and a relay skips them (FOR UPDATE SKIP LOCKED) as it
  // should in production, where the next pass catches up.
  void WaitForKilledBackends(const std::string& dsn) {
    for (int i = 0; i < 200; ++i) {
      if (Scalar(dsn,
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                 "pid <> pg_backend_pid() AND backend_type = 'client backend'") == 0) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  int64_t StreamLength(const std::string& stream) {
    RedisClient r({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
    auto reply = r.Command({"XLEN", stream});
    return reply.ok() ? (*reply)->integer : -1;
  }

  // Drains: polls until `expected` deaths are applied or ~10 s pass.
  void DrainUntil(EventConsumer* consumer, int64_t expected) {
    for (int i = 0; i < 100 && Scalar(consumer_dsn_, "SELECT count(*) FROM deaths") < expected;
         ++i) {
      // As the consumer's own loop does: back off while Redis is unreachable.
      if (!consumer->PollOnce().ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Runs `body` in a child process (which may die on a CIVIL_FAULT point) and returns its status.
  static int InChild(const char* fault, const std::function<void()>& body) {
    pid_t pid = fork();
    if (pid == 0) {
      setenv("CIVIL_FAULT", fault, 1);
      body();
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  static testing::PostgresServer* pg_;
  static testing::RedisServer* redis_;
  std::string source_, producer_dsn_, consumer_dsn_;
  std::unique_ptr<PgPool> pool_;
};

testing::PostgresServer* EventsIntegrationTest::pg_ = nullptr;
testing::RedisServer* EventsIntegrationTest::redis_ = nullptr;

TEST_F(EventsIntegrationTest, DeliversEachEventOnce) {
  Record(10);
  OutboxRelay relay(RelayOptions(), nullptr);
  ASSERT_EQ(*relay.PublishOnce(), 10);
  EXPECT_EQ(*relay.PublishOnce(), 0);
  EXPECT_EQ(Scalar(producer_dsn_, "SELECT count(*) FROM outbox WHERE published_at IS NULL"), 0);
  auto consumer = Consumer("c1");
  DrainUntil(consumer.get(), 10);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 10);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM inbox"), 10);
}

TEST_F(EventsIntegrationTest, RelayKilledAfterXaddBeforeMarkingPublishesTwiceAppliesOnce) {
  Record(5);
  const int status = InChild("relay_crash_after_xadd", [&] {
    OutboxRelay relay(RelayOptions(), nullptr);
    relay.PublishOnce().IgnoreError();
  });
  EXPECT_EQ(status, 137);
  EXPECT_EQ(StreamLength(EventStream(source_)), 5);
  EXPECT_EQ(Scalar(producer_dsn_, "SELECT count(*) FROM outbox WHERE published_at IS NULL"), 5);
  WaitForKilledBackends(producer_dsn_);
  OutboxRelay relay(RelayOptions(), nullptr);
  ASSERT_EQ(*relay.PublishOnce(), 5);
  EXPECT_EQ(StreamLength(EventStream(source_)), 10);  // every event twice on the stream
  auto consumer = Consumer("c1");
  for (int i = 0; i < 5; ++i) consumer->PollOnce().IgnoreError();
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 5);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM inbox"), 5);
}

TEST_F(EventsIntegrationTest, ABatchWithRedeliveriesAppliesOnlyTheNewEvents) {
  prometheus::Registry registry;
  EventConsumer::Options o;
  o.service = "consumer-" + source_;
  o.consumer = "c1";
  o.redis_port = redis_->port();
  o.block = std::chrono::milliseconds(100);
  EventConsumer consumer(o, pool_.get(), &registry);
  std::vector<std::string> handled;  // subjects, in the order the handler saw them
  consumer.On<PersonDeceased>(source_,
                              [&](pqxx::transaction_base& txn, const civil::events::v1::Envelope& e,
                                  const PersonDeceased& p) -> absl::Status {
                                handled.push_back(e.subject_index());
                                txn.exec_params("INSERT INTO deaths VALUES ($1, $2::date)",
                                                e.subject_index(), p.date_of_death());
                                return absl::OkStatus();
                              });
  OutboxRelay relay(RelayOptions(), nullptr);
  Record(4);
  ASSERT_EQ(*relay.PublishOnce(), 4);
  ASSERT_EQ(*consumer.PollOnce(), 4);
  ASSERT_EQ(handled.size(), 4u);
  // Four new events, published; then all eight published again (as a relay killed before
  // marking would): the stream holds 5-8, 1-8 unread, so one read brings the new events once
  // each, the old ones again, and the new ones a second time.
  Record(4, 4);
  ASSERT_EQ(*relay.PublishOnce(), 4);
  {
    pqxx::connection c(producer_dsn_);
    pqxx::work txn(c);
    txn.exec("UPDATE outbox SET published_at = NULL, stream_id = NULL");
    txn.commit();
  }
  ASSERT_EQ(*relay.PublishOnce(), 8);
  handled.clear();
  EXPECT_EQ(*consumer.PollOnce(), 12);  // one read, one transaction
  EXPECT_EQ(handled,
            (std::vector<std::string>{"subject-4", "subject-5", "subject-6", "subject-7"}));
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 8);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM inbox"), 8);
  double duplicates = -1;
  for (const auto& family : registry.Collect()) {
    if (family.name == "civil_events_duplicates_total") {
      duplicates = family.metric.at(0).counter.value;
    }
  }
  EXPECT_EQ(duplicates, 8);
  // Everything was acknowledged: nothing is pending, nothing comes again.
  RedisClient r({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
  auto pending = r.Command({"XPENDING", EventStream(source_), o.service});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ((*pending)->element[0]->integer, 0);
  EXPECT_EQ(*consumer.PollOnce(), 0);
}

TEST_F(EventsIntegrationTest, ConsumerKilledAfterApplyingBeforeAckIsRedeliveredAppliedOnce) {
  Record(3);
  OutboxRelay relay(RelayOptions(), nullptr);
  ASSERT_EQ(*relay.PublishOnce(), 3);
  const int status = InChild("consumer_crash_before_ack", [&] {
    PgPool pool({consumer_dsn_, 2, std::chrono::seconds(5)}, nullptr);
    EventConsumer::Options o;
    o.service = "consumer-" + source_;
    o.consumer = "doomed";
    o.redis_port = redis_->port();
    o.block = std::chrono::milliseconds(100);
    EventConsumer doomed(o, &pool, nullptr);
    doomed.On<PersonDeceased>(source_,
                              [](pqxx::transaction_base& txn, const civil::events::v1::Envelope& e,
                                 const PersonDeceased& p) {
                                txn.exec_params("INSERT INTO deaths VALUES ($1, $2::date)",
                                                e.subject_index(), p.date_of_death());
                                return absl::OkStatus();
                              });
    doomed.PollOnce().IgnoreError();
  });
  EXPECT_EQ(status, 137);
  // The read was applied and committed (one group-commit transaction), but never acknowledged:
  // all three entries are still pending for the group.
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 3);
  RedisClient r({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
  auto pending = r.Command({"XPENDING", EventStream(source_), "consumer-" + source_});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ((*pending)->element[0]->integer, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past claim_idle
  auto survivor = Consumer("survivor");
  DrainUntil(survivor.get(), 3);
  for (int i = 0; i < 3; ++i) survivor->PollOnce().IgnoreError();
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 3);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM inbox"), 3);
}

TEST_F(EventsIntegrationTest, RedisDownWhileRecordingThenRestartedEmptyDeliversAllOnce) {
  OutboxRelay relay(RelayOptions(), nullptr);
  auto consumer = Consumer("c1");
  Record(20);
  ASSERT_EQ(*relay.PublishOnce(), 20);
  DrainUntil(consumer.get(), 20);
  redis_->Stop();
  Record(100, 20);  // producers keep committing while Redis is down
  EXPECT_EQ(relay.PublishOnce().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(relay.Lag()->first, 100);
  redis_->Start();  // no persistence: the stream, its groups and the epoch are gone
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  int published = 0;
  for (int i = 0; i < 50; ++i) {
    auto n = relay.PublishOnce();
    if (!n.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (n.ok()) published += *n;
    if (n.ok() && *n == 0) break;
  }
  EXPECT_EQ(published, 120);  // the 100 new ones and the 20 Redis lost, republished
  DrainUntil(consumer.get(), 120);
  for (int i = 0; i < 3; ++i) consumer->PollOnce().IgnoreError();
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 120);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM inbox"), 120);
}

TEST_F(EventsIntegrationTest, FlushallIsRecoveredFromTheOutbox) {
  OutboxRelay relay(RelayOptions(), nullptr);
  Record(7);
  ASSERT_EQ(*relay.PublishOnce(), 7);
  RedisClient r({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
  ASSERT_TRUE(r.Command({"FLUSHALL"}).ok());
  ASSERT_EQ(*relay.PublishOnce(), 7);
  auto consumer = Consumer("c1");
  DrainUntil(consumer.get(), 7);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 7);
}

TEST_F(EventsIntegrationTest, AFailingEventIsDeadLetteredAfterMaxAttempts) {
  Record(1);
  OutboxRelay relay(RelayOptions(), nullptr);
  ASSERT_EQ(*relay.PublishOnce(), 1);
  auto consumer = Consumer("c1", /*max_attempts=*/3, /*failing=*/true);
  for (int i = 0; i < 12 && StreamLength(consumer->DeadLetterStream()) < 1; ++i) {
    consumer->PollOnce().IgnoreError();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(StreamLength(consumer->DeadLetterStream()), 1);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT attempts FROM event_failures"), 3);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 0);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM inbox"), 0);
}

TEST_F(EventsIntegrationTest, OperatorsListAndReplayDeadLetters) {
  Record(1);
  OutboxRelay relay(RelayOptions(), nullptr);
  ASSERT_EQ(*relay.PublishOnce(), 1);
  std::atomic<bool> broken{true};
  EventConsumer::Options o;
  o.service = "consumer-" + source_;
  o.consumer = "c1";
  o.redis_port = redis_->port();
  o.block = std::chrono::milliseconds(100);
  o.claim_idle = std::chrono::milliseconds(100);
  o.max_attempts = 1;
  EventConsumer consumer(o, pool_.get(), nullptr);
  consumer.On<PersonDeceased>(source_,
                              [&](pqxx::transaction_base& txn, const civil::events::v1::Envelope& e,
                                  const PersonDeceased& p) -> absl::Status {
                                if (broken)
                                  return absl::FailedPreconditionError("region table missing");
                                txn.exec_params("INSERT INTO deaths VALUES ($1, $2::date)",
                                                e.subject_index(), p.date_of_death());
                                return absl::OkStatus();
                              });
  for (int i = 0; i < 10 && StreamLength(consumer.DeadLetterStream()) < 1; ++i) {
    consumer.PollOnce().IgnoreError();
  }
  auto letters = consumer.ListDeadLetters("", 10);
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].error, "region table missing");
  EXPECT_EQ((*letters)[0].envelope.type(), "civil.events.v1.PersonDeceased");
  // Still broken: the replay fails and the letter stays.
  absl::Status applied;
  ASSERT_TRUE(consumer.ReplayDeadLetter((*letters)[0].id, &applied).ok());
  EXPECT_FALSE(applied.ok());
  EXPECT_EQ(StreamLength(consumer.DeadLetterStream()), 1);
  broken = false;  // the operator fixed the cause
  ASSERT_TRUE(consumer.ReplayDeadLetter((*letters)[0].id, &applied).ok());
  EXPECT_TRUE(applied.ok()) << applied;
  EXPECT_EQ(StreamLength(consumer.DeadLetterStream()), 0);
  EXPECT_EQ(Scalar(consumer_dsn_, "SELECT count(*) FROM deaths"), 1);
  EXPECT_EQ(consumer.ReplayDeadLetter("1-1", &applied).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace civil
