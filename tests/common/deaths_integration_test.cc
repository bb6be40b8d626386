// The death registry against a real PostgreSQL and Redis: two departments, each with its own
// database and registry, exchanging PersonDeceased through the outbox, the relay and the
// consumer. A department's own record is recorded and emitted in one transaction; a received one
// is recorded and applied, never re-emitted; the same date again changes nothing and emits
// nothing; an earlier date wins everywhere; a contradiction is flagged where a clerk finds it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "prometheus/registry.h"
#include "services/common/death_service.h"
#include "services/common/deaths.h"
#include "services/common/events.h"
#include "services/common/id_number.h"
#include "services/common/migrate.h"
#include "services/common/outbox.h"
#include "services/common/pii.h"
#include "tests/support/call_as.h"
#include "tests/support/servers.h"

namespace civil {
namespace {

using civil::events::v1::Envelope;
using civil::events::v1::PersonDeceased;

// One department of the exchange: its database, pool, registry, relay and consumer, and the
// deaths its handler applied (table `applied`).
struct Dept {
  std::string name;
  std::string dsn;
  prometheus::Registry metrics;
  std::unique_ptr<PgPool> pool;
  std::unique_ptr<DeathRegistry> registry;
  std::unique_ptr<OutboxRelay> relay;
  std::unique_ptr<EventConsumer> consumer;
};

class DeathsIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pg_ = new testing::PostgresServer(); }
  static void TearDownTestSuite() { delete pg_; }

  void SetUp() override {
    redis_ = std::make_unique<testing::RedisServer>();
    static int n = 0;
    ++n;
    for (auto* d : {&affairs_, &assistance_}) {
      d->name = d == &affairs_ ? "affairs" : "assistance";
      d->dsn = pg_->CreateDatabase(d->name + "_" + std::to_string(n));
      const std::vector<Migration> schema = {
          {1, "0001_applied",
           "CREATE TABLE applied (seq serial, subject text, died date, source text)"}};
      ASSERT_TRUE(ApplyMigrations(d->dsn, d->name, WithCommonMigrations(schema)).ok());
      d->pool =
          std::make_unique<PgPool>(PgPool::Options{d->dsn, 4, std::chrono::seconds(5)}, nullptr);
      d->registry = std::make_unique<DeathRegistry>(d->name, d->pool.get(), &d->metrics);
      d->relay = std::make_unique<OutboxRelay>(
          OutboxRelay::Options{.source = d->name, .pg_dsn = d->dsn, .redis_port = redis_->port()},
          nullptr);
      d->consumer = std::make_unique<EventConsumer>(
          EventConsumer::Options{.service = d->name,
                                 .consumer = "test",
                                 .redis_port = redis_->port(),
                                 .block = std::chrono::milliseconds(50)},
          d->pool.get(), nullptr);
      OnDeath(*d->consumer, *d->registry,
              [](pqxx::transaction_base& txn, const RecordedDeath& death) -> absl::Status {
                txn.exec_params(
                    "INSERT INTO applied (subject, died, source) VALUES ($1, "
                    "$2::date, $3)",
                    death.subject_index, FormatDay(death.date.day), death.source);
                return absl::OkStatus();
              });
    }
  }

  // Records a death from the department's own record, in one transaction.
  DeathDecision Own(Dept& d, const std::string& subject, absl::CivilDay day, bool bound,
                    const std::string& kind, const std::string& id) {
    DeathDecision decision;
    absl::Status s = d.pool->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
      DeathReport report;
      report.subject_index = subject;
      report.subject_masked = "340722********0000";
      report.date = {day, bound};
      report.record_kind = kind;
      report.record_id = id;
      report.region_code = "340722100108";
      absl::StatusOr<DeathDecision> r = d.registry->RecordOwn(txn, report);
      if (!r.ok()) return r.status();
      decision = *r;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return decision;
  }

  // Publishes `from`'s outbox and lets `to` consume it all; returns how many entries `to` read.
  int Deliver(Dept& from, Dept& to) {
    absl::StatusOr<int> published = from.relay->PublishOnce();
    EXPECT_TRUE(published.ok());
    int handled = 0;
    for (int i = 0; i < 5; ++i) {
      absl::StatusOr<int> r = to.consumer->PollOnce();
      EXPECT_TRUE(r.ok()) << r.status();
      if (r.ok()) handled += *r;
    }
    return handled;
  }

  int64_t Scalar(const Dept& d, const std::string& sql) {
    pqxx::connection c(d.dsn);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }
  std::string Text(const Dept& d, const std::string& sql) {
    pqxx::connection c(d.dsn);
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<std::string>();
  }
  int64_t Deceased(const Dept& d) {
    return Scalar(d,
                  "SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.PersonDeceased'");
  }
  std::optional<RecordedDeath> Find(Dept& d, const std::string& subject) {
    std::optional<RecordedDeath> out;
    EXPECT_TRUE(d.pool
                    ->Read([&](pqxx::transaction_base& txn) {
                      out = d.registry->Find(txn, subject);
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }
  double Counter(Dept& d, const std::string& name, const std::string& outcome = "") {
    double total = 0;
    for (const auto& family : d.metrics.Collect()) {
      if (family.name != name) continue;
      for (const auto& m : family.metric) {
        bool match = outcome.empty();
        for (const auto& label : m.label) {
          if (label.name == "outcome" && label.value == outcome) match = true;
        }
        if (match) total += m.counter.value;
      }
    }
    return total;
  }

  static testing::PostgresServer* pg_;
  std::unique_ptr<testing::RedisServer> redis_;
  Dept affairs_;
  Dept assistance_;
};

testing::PostgresServer* DeathsIntegrationTest::pg_ = nullptr;

TEST_F(DeathsIntegrationTest, AnOwnRecordIsEmittedOnceAndAReceivedOneIsAppliedNotReEmitted) {
  // Assistance ends a 低保 for death, decided 2023-03-10: known dead by that day.
  const DeathDecision own = Own(assistance_, "subject-1", absl::CivilDay(2023, 3, 10), true,
                                "ENROLMENT_EXIT", "enrolment-1");
  EXPECT_EQ(own.outcome, DeathOutcome::kFirst);
  EXPECT_TRUE(own.emit);
  ASSERT_EQ(Deceased(assistance_), 1);
  {
    pqxx::connection c(assistance_.dsn);
    pqxx::nontransaction txn(c);
    pqxx::row row = txn.exec1("SELECT envelope, event_id::text FROM outbox");
    Envelope envelope;
    ASSERT_TRUE(envelope.ParseFromString(pqxx::binarystring(row[0]).str()));
    EXPECT_EQ(envelope.source(), "assistance");
    EXPECT_EQ(envelope.subject_index(), "subject-1");
    PersonDeceased event;
    ASSERT_TRUE(envelope.payload().UnpackTo(&event));
    EXPECT_EQ(event.date_of_death(), "2023-03-10");
    EXPECT_EQ(event.record_kind(), "ENROLMENT_EXIT");
    EXPECT_EQ(event.record_id(), "enrolment-1");
    EXPECT_TRUE(event.date_is_upper_bound());
    EXPECT_EQ(event.cremation_id(), "");
    // The registry row names the event that carried it.
    std::optional<RecordedDeath> recorded = Find(assistance_, "subject-1");
    ASSERT_TRUE(recorded.has_value());
    EXPECT_EQ(recorded->event_id, row[1].as<std::string>());
    EXPECT_EQ(recorded->source, "assistance");
  }

  // Affairs receives it: recorded, applied once, and not emitted again (no event loop).
  EXPECT_EQ(Deliver(assistance_, affairs_), 1);
  std::optional<RecordedDeath> received = Find(affairs_, "subject-1");
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->date.day, absl::CivilDay(2023, 3, 10));
  EXPECT_TRUE(received->date.upper_bound);
  EXPECT_EQ(received->source, "assistance");
  EXPECT_EQ(received->record_kind, "ENROLMENT_EXIT");
  EXPECT_EQ(Scalar(affairs_, "SELECT count(*) FROM applied"), 1);
  EXPECT_EQ(Text(affairs_, "SELECT died::text FROM applied"), "2023-03-10");
  EXPECT_EQ(Deceased(affairs_), 0);
  EXPECT_EQ(Counter(affairs_, "civil_death_reports_total", "FIRST"), 1);
  // Nothing comes back to assistance.
  EXPECT_EQ(Deliver(affairs_, assistance_), 0);
  EXPECT_EQ(Scalar(assistance_, "SELECT count(*) FROM applied"), 0);

  // A cremation in affairs with the day of death the 10th: one death, nothing new, no event.
  const DeathDecision same =
      Own(affairs_, "subject-1", absl::CivilDay(2023, 3, 10), false, "CREMATION", "cremation-1");
  EXPECT_EQ(same.outcome, DeathOutcome::kSame);
  EXPECT_FALSE(same.emit);
  EXPECT_EQ(Deceased(affairs_), 0);
  received = Find(affairs_, "subject-1");
  EXPECT_FALSE(received->date.upper_bound);  // the day is now known exactly
  EXPECT_EQ(received->reports, 2);
  EXPECT_FALSE(received->conflict);
  EXPECT_EQ(Scalar(affairs_, "SELECT count(*) FROM applied"), 1);
  EXPECT_EQ(Scalar(affairs_, "SELECT count(*) FROM death_registry"), 1);
  EXPECT_EQ(Scalar(affairs_,
                   "SELECT count(*) FROM death_reports WHERE subject_index = "
                   "'subject-1'"),
            2);
}

TEST_F(DeathsIntegrationTest, AnEarlierDateWinsEverywhereAndAContradictionIsFlagged) {
  Own(affairs_, "subject-2", absl::CivilDay(2023, 3, 20), false, "CREMATION", "cremation-2");
  EXPECT_EQ(Deliver(affairs_, assistance_), 1);
  EXPECT_EQ(Text(assistance_, "SELECT died::text FROM applied"), "2023-03-20");

  // Assistance's own record says the person was dead by 2023-02-28: earlier, so it wins, is
  // applied in assistance and propagated; an exact date after a bound is a contradiction.
  const DeathDecision earlier = Own(assistance_, "subject-2", absl::CivilDay(2023, 2, 28), true,
                                    "ENROLMENT_EXIT", "enrolment-2");
  EXPECT_EQ(earlier.outcome, DeathOutcome::kEarlier);
  EXPECT_TRUE(earlier.emit);
  EXPECT_TRUE(earlier.conflict);
  EXPECT_EQ(Deceased(assistance_), 1);
  EXPECT_EQ(Counter(assistance_, "civil_death_conflicts_total"), 1);

  // Affairs receives the earlier date: applied from it, flagged there too, not re-emitted.
  EXPECT_EQ(Deliver(assistance_, affairs_), 1);
  std::optional<RecordedDeath> recorded = Find(affairs_, "subject-2");
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ(recorded->date.day, absl::CivilDay(2023, 2, 28));
  EXPECT_EQ(recorded->source, "assistance");
  EXPECT_TRUE(recorded->conflict);
  EXPECT_EQ(Text(affairs_, "SELECT died::text FROM applied ORDER BY seq DESC LIMIT 1"),
            "2023-02-28");
  EXPECT_EQ(Deceased(affairs_), 1);  // only the cremation's own event
  EXPECT_EQ(Counter(affairs_, "civil_death_conflicts_total"), 1);
  EXPECT_EQ(Counter(affairs_, "civil_death_reports_total", "EARLIER"), 1);

  // A clerk finds the person among the conflicts, with both reports.
  std::vector<RecordedDeath> conflicts;
  std::vector<DeathRegistry::StoredReport> reports;
  ASSERT_TRUE(affairs_.pool
                  ->Read([&](pqxx::transaction_base& txn) {
                    int64_t next = -1;
                    conflicts = affairs_.registry->Conflicts(txn, 0, 10, &next);
                    EXPECT_EQ(next, 0);
                    reports = affairs_.registry->Reports(txn, "subject-2");
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].subject_index, "subject-2");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].report.record_kind, "CREMATION");
  EXPECT_EQ(reports[0].outcome, DeathOutcome::kFirst);
  EXPECT_EQ(reports[1].report.record_id, "enrolment-2");
  EXPECT_EQ(reports[1].report.source, "assistance");
  EXPECT_EQ(reports[1].outcome, DeathOutcome::kEarlier);
  EXPECT_TRUE(reports[1].conflict);
}

// The clerk's read over gRPC: the conflicts page by page, and one person's death with its
// reports, by ID number or blind index; callers without an operator's role are refused.
TEST_F(DeathsIntegrationTest, TheRegistryServiceListsConflictsAndReadsOneDeath) {
  const PiiProtector pii =
      *PiiProtector::FromHexKey("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const std::string first17 = "34072219400301001";
  const std::string id = first17 + *IdNumberCheckChar(first17);
  absl::StatusOr<IdNumber> parsed = IdNumber::Parse(id, absl::CivilDay(2024, 1, 1));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::string index = pii.BlindIndex(parsed->value());
  Own(affairs_, index, absl::CivilDay(2023, 3, 1), false, "CREMATION", "cremation-5");
  Own(affairs_, index, absl::CivilDay(2023, 3, 9), false, "CREMATION", "cremation-6");  // later
  for (int i = 0; i < 3; ++i) {
    Own(affairs_, "other-" + std::to_string(i), absl::CivilDay(2023, 4, 1), false, "CREMATION",
        "c");
    Own(affairs_, "other-" + std::to_string(i), absl::CivilDay(2023, 4, 2), false, "CREMATION",
        "d");
  }
  DeathRegistryServiceImpl service(affairs_.registry.get(), affairs_.pool.get(), &pii,
                                   SystemClock());
  testing::TrustTestTokens trust("affairs");
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = civil::events::v1::DeathRegistryService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  auto as = [](const std::string& roles) {
    auto c = std::make_unique<grpc::ClientContext>();
    testing::CallAs(*c, {"clerk-1", roles, "340722"});
    return c;
  };

  civil::events::v1::ListDeathConflictsRequest list;
  list.set_page_size(3);
  civil::events::v1::ListDeathConflictsResponse page;
  grpc::Status s = stub->ListDeathConflicts(as("operator").get(), list, &page);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(page.deaths_size(), 3);
  EXPECT_EQ(page.deaths(0).subject_index(), index);
  EXPECT_EQ(page.deaths(0).date_of_death(), "2023-03-01");
  EXPECT_TRUE(page.deaths(0).conflict());
  EXPECT_EQ(page.deaths(0).reports(), 2);
  ASSERT_FALSE(page.next_page_token().empty());
  list.set_page_token(page.next_page_token());
  civil::events::v1::ListDeathConflictsResponse rest;
  ASSERT_TRUE(stub->ListDeathConflicts(as("operator").get(), list, &rest).ok());
  ASSERT_EQ(rest.deaths_size(), 1);
  EXPECT_EQ(rest.deaths(0).subject_index(), "other-2");
  EXPECT_TRUE(rest.next_page_token().empty());

  civil::events::v1::GetDeathRequest get;
  get.set_id_number(id);
  civil::events::v1::GetDeathResponse death;
  s = stub->GetDeath(as("auditor").get(), get, &death);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(death.death().date_of_death(), "2023-03-01");
  ASSERT_EQ(death.reports_size(), 2);
  EXPECT_EQ(death.reports(1).date_of_death(), "2023-03-09");
  EXPECT_EQ(death.reports(1).outcome(), "LATER");
  EXPECT_EQ(death.reports(1).record_id(), "cremation-6");
  EXPECT_TRUE(death.reports(1).conflict());

  get.set_id_number("");
  get.set_subject_index("nobody");
  EXPECT_EQ(stub->GetDeath(as("auditor").get(), get, &death).error_code(),
            grpc::StatusCode::NOT_FOUND);
  get.set_subject_index("");
  get.set_id_number("12345");
  s = stub->GetDeath(as("auditor").get(), get, &death);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("id_number"), std::string::npos) << s.error_message();
  EXPECT_EQ(stub->ListDeathConflicts(as("affairs.clerk").get(), list, &page).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  server->Shutdown();
}

TEST_F(DeathsIntegrationTest, ALaterDateIsKeptAsAReportButChangesAndEmitsNothing) {
  Own(affairs_, "subject-3", absl::CivilDay(2023, 3, 1), false, "CREMATION", "cremation-3");
  EXPECT_EQ(Deliver(affairs_, assistance_), 1);
  const DeathDecision later = Own(assistance_, "subject-3", absl::CivilDay(2023, 4, 2), false,
                                  "ENROLMENT_EXIT", "enrolment-3");
  EXPECT_EQ(later.outcome, DeathOutcome::kLater);
  EXPECT_FALSE(later.emit);
  EXPECT_TRUE(later.conflict);
  EXPECT_EQ(Deceased(assistance_), 0);
  std::optional<RecordedDeath> recorded = Find(assistance_, "subject-3");
  EXPECT_EQ(recorded->date.day, absl::CivilDay(2023, 3, 1));
  EXPECT_EQ(recorded->source, "affairs");
  EXPECT_TRUE(recorded->conflict);
  EXPECT_EQ(Scalar(assistance_, "SELECT count(*) FROM applied"), 1);
  EXPECT_EQ(Scalar(assistance_,
                   "SELECT count(*) FROM death_reports WHERE outcome = 'LATER' "
                   "AND conflict AND date_of_death = '2023-04-02'"),
            1);
}

TEST_F(DeathsIntegrationTest, AFailingHandlerLeavesTheRegistryUntouched) {
  // A third party whose handler fails: the death is not recorded without being applied.
  Dept& d = assistance_;
  EventConsumer failing({.service = "assistance-failing",
                         .consumer = "test",
                         .redis_port = redis_->port(),
                         .block = std::chrono::milliseconds(50),
                         .max_attempts = 100},
                        d.pool.get(), nullptr);
  DeathRegistry registry("assistance", d.pool.get());
  OnDeath(failing, registry, [](pqxx::transaction_base&, const RecordedDeath&) {
    return absl::UnavailableError("not now");
  });
  Own(affairs_, "subject-4", absl::CivilDay(2023, 3, 5), false, "CREMATION", "cremation-4");
  ASSERT_EQ(*affairs_.relay->PublishOnce(), 1);
  for (int i = 0; i < 3; ++i) failing.PollOnce().IgnoreError();
  EXPECT_FALSE(Find(d, "subject-4").has_value());
  EXPECT_EQ(Scalar(d, "SELECT count(*) FROM death_reports"), 0);
}

}  // namespace
}  // namespace civil
