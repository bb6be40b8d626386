// Integration tests of the exchange: the department as exchange_server wires it (exchange::Spec(),
// the kit's DepartmentHost) over a real PostgreSQL and Redis from the harness, called over gRPC
// with the external systems' tokens (tests/support/call_as.h). Affairs' cremations arrive as
// affairs' relay would publish them: a PersonDeceased envelope on `civil.events.affairs`.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>
#include <vector>

#include "civil/events/v1/events.pb.h"
#include "civil/exchange/v1/exchange.grpc.pb.h"
#include "services/common/redis.h"
#include "services/exchange/exchange.h"
#include "tests/support/department_test.h"
#include "tests/support/test_ids.h"

namespace civil::exchange {
namespace {

using civil::affairs::testing::Id;
using civil::testing::TestCaller;

const TestCaller kPublicSecurity{"system:gongan-340722", "exchange.public_security", "340722"};
const TestCaller kHealth{"system:weijian-340722", "exchange.health", "340722"};
// Public security of one township only.
const TestCaller kTownshipPolice{"system:gongan-340722100", "exchange.public_security",
                                 "340722100"};
const TestCaller kReviewer{"reviewer", "exchange.reviewer", "340722"};
const TestCaller kRural{"system:xczx-340722", "exchange.rural_revitalisation", "340722"};
// Assistance's clerks of two townships.
const TestCaller kClerk100{"clerk-100", "assistance.clerk", "340722100"};
const TestCaller kClerk200{"clerk-200", "assistance.clerk", "340722200"};
const TestCaller kFederation{"system:canlian-340722", "exchange.disabled_federation", "340722"};

v1::DeathNotice Notice(const std::string& record, const std::string& id, const std::string& died,
                       const std::string& region = "340722100001") {
  v1::DeathNotice n;
  n.set_source_record_id(record);
  n.set_id_number(id);
  n.set_date_of_death(died);
  n.set_region_code(region);
  return n;
}

class ExchangeIntegrationTest : public civil::testing::DepartmentTest {
 protected:
  void SetUp() override {
    today_ = absl::CivilDay(2023, 7, 15);
    StartDepartment(Spec());
    deaths_ = v1::DeathNoticeService::NewStub(host_->Channel());
    moves_ = v1::MoveOutService::NewStub(host_->Channel());
    inbound_ = v1::InboundRecordService::NewStub(host_->Channel());
    certificates_ = v1::DisabilityCertificateService::NewStub(host_->Channel());
    monitoring_ = v1::MonitoringObjectService::NewStub(host_->Channel());
  }

  grpc::Status Submit(const TestCaller& as, v1::Source source, const std::string& batch,
                      const std::vector<v1::DeathNotice>& notices,
                      v1::SubmitDeathNoticesResponse* response) {
    v1::SubmitDeathNoticesRequest request;
    request.set_source(source);
    request.set_batch_id(batch);
    for (const auto& n : notices) *request.add_notices() = n;
    return Call(as, [&](auto* c) { return deaths_->SubmitDeathNotices(c, request, response); });
  }

  int64_t Published(const std::string& type) {
    return Count("SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1." + type + "'");
  }

  // Affairs records a cremation of `id` who died on `died`: its PersonDeceased on affairs' stream,
  // consumed by the exchange.
  void AffairsCremation(const std::string& id, const std::string& died) {
    civil::events::v1::PersonDeceased death;
    death.set_date_of_death(died);
    death.set_cremation_id("crem-" + id.substr(14));
    death.set_record_kind("CREMATION");
    death.set_record_id(death.cremation_id());
    death.set_region_code("340722100001");
    civil::events::v1::Envelope envelope;
    static int n = 0;
    char event_id[40];
    std::snprintf(event_id, sizeof event_id, "6b1f6d2e-8f0a-4c1e-9d3a-%012d", ++n);
    envelope.set_event_id(event_id);
    envelope.set_type("civil.events.v1.PersonDeceased");
    envelope.set_source("affairs");
    envelope.set_subject_index(host_->department().pii().BlindIndex(id));
    envelope.set_subject_masked(id.substr(0, 6) + "********" + id.substr(14));
    envelope.mutable_payload()->PackFrom(death);
    RedisClient r({"127.0.0.1", redis_->port(), 1, std::chrono::milliseconds(500)}, nullptr);
    ASSERT_TRUE(
        r.Command({"XADD", "civil.events.affairs", "*", "envelope", envelope.SerializeAsString()})
            .ok());
    const int64_t before = Count("SELECT count(*) FROM inbox");
    for (int i = 0; i < 20 && Count("SELECT count(*) FROM inbox") == before; ++i) {
      host_->department().consumer().PollOnce().IgnoreError();
    }
    ASSERT_EQ(Count("SELECT count(*) FROM inbox"), before + 1);
  }

  // civil_exchange_records_total of one kind, source and outcome.
  double Records(const std::string& kind, const std::string& source, const std::string& outcome) {
    for (const auto& f : host_->registry().Collect()) {
      if (f.name != "civil_exchange_records_total") continue;
      for (const auto& m : f.metric) {
        std::map<std::string, std::string> labels;
        for (const auto& l : m.label) labels[l.name] = l.value;
        if (labels["kind"] == kind && labels["source"] == source && labels["outcome"] == outcome) {
          return m.counter.value;
        }
      }
    }
    return -1;
  }

  std::unique_ptr<v1::DeathNoticeService::Stub> deaths_;
  std::unique_ptr<v1::MoveOutService::Stub> moves_;
  std::unique_ptr<v1::InboundRecordService::Stub> inbound_;
  std::unique_ptr<v1::DisabilityCertificateService::Stub> certificates_;
  std::unique_ptr<v1::MonitoringObjectService::Stub> monitoring_;
};

v1::MonitoringObject Monitored(const std::string& record, const std::string& id,
                               const std::string& region, const std::string& day) {
  v1::MonitoringObject o;
  o.set_source_record_id(record);
  o.set_id_number(id);
  o.set_name("监测对象" + record);
  o.set_household_region_code(region);
  o.set_category(v1::MONITORING_CATEGORY_MARGINAL);
  o.set_identified_on(day);
  return o;
}

v1::DisabilityCertificate Certificate(const std::string& record, const std::string& id,
                                      v1::CertificateEvent event, int grade, const std::string& day,
                                      const std::string& region = "340722100001") {
  v1::DisabilityCertificate c;
  c.set_source_record_id(record);
  c.set_id_number(id);
  c.set_certificate_number(id + "4" + std::to_string(grade == 0 ? 1 : grade));
  c.set_type(v1::DISABILITY_TYPE_PHYSICAL);
  c.set_grade(grade);
  c.set_event(event);
  c.set_event_date(day);
  c.set_region_code(region);
  return c;
}

TEST_F(ExchangeIntegrationTest, OneDeathHoweverManySourcesReportIt) {
  const std::string a = Id("19400101", true, 1), b = Id("19410202", false, 2);
  v1::SubmitDeathNoticesResponse police;
  ASSERT_TRUE(Submit(kPublicSecurity, v1::SOURCE_PUBLIC_SECURITY, "GA-20230715",
                     {Notice("GA-1", a, "2023-07-01"), Notice("GA-2", b, "2023-07-03"),
                      Notice("GA-3", Id("19500101", true, 3), "2023-07-16")},
                     &police)
                  .ok());
  ASSERT_EQ(police.results_size(), 3);
  EXPECT_EQ(police.results(0).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(police.results(0).id_number_masked(), "340722********" + a.substr(14));
  EXPECT_EQ(police.results(1).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(police.results(2).outcome(), v1::OUTCOME_REJECTED);
  EXPECT_EQ(police.results(2).field(), "date_of_death");
  EXPECT_EQ(police.results(2).code(), "INVALID_ARGUMENT");
  EXPECT_EQ(police.results(2).message(), "date_of_death: must not be in the future");
  EXPECT_EQ(police.tally().accepted(), 2);
  EXPECT_EQ(police.tally().rejected(), 1);
  EXPECT_EQ(Published("PersonDeceased"), 2);
  // The accepted notice is the exchange's own report in its death registry.
  EXPECT_EQ(Count("SELECT count(*) FROM death_registry WHERE source = 'exchange' AND record_kind "
                  "= 'HOUSEHOLD_DEREGISTRATION'"),
            2);

  // Health certifies the same deaths: a's on the same day, b's on another.
  v1::SubmitDeathNoticesResponse health;
  ASSERT_TRUE(Submit(kHealth, v1::SOURCE_HEALTH, "WJ-0715",
                     {Notice("WJ-1", a, "2023-07-01"), Notice("WJ-2", b, "2023-07-02")}, &health)
                  .ok());
  EXPECT_EQ(health.results(0).outcome(), v1::OUTCOME_DUPLICATE);
  EXPECT_EQ(health.results(0).known_date(), "2023-07-01");
  EXPECT_EQ(health.results(1).outcome(), v1::OUTCOME_CONFLICT);
  EXPECT_EQ(health.results(1).known_date(), "2023-07-03");
  EXPECT_EQ(Published("PersonDeceased"), 2) << "a later report publishes nothing";

  v1::ListConflictsRequest list;
  v1::ListConflictsResponse conflicts;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* c) { return deaths_->ListConflicts(c, list, &conflicts); }).ok());
  ASSERT_EQ(conflicts.conflicts_size(), 1);
  EXPECT_EQ(conflicts.conflicts(0).source(), v1::SOURCE_HEALTH);
  EXPECT_EQ(conflicts.conflicts(0).batch_id(), "WJ-0715");
  EXPECT_EQ(conflicts.conflicts(0).source_record_id(), "WJ-2");
  EXPECT_EQ(conflicts.conflicts(0).reported_date(), "2023-07-02");
  EXPECT_EQ(conflicts.conflicts(0).known_date(), "2023-07-03");
  EXPECT_EQ(conflicts.conflicts(0).id_number_masked(), "340722********" + b.substr(14));
  // A sending system is no reviewer.
  EXPECT_EQ(Call(kHealth, [&](auto* c) { return deaths_->ListConflicts(c, list, &conflicts); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Health's batch sent again: every record answers its first outcome, nothing changes.
  const int64_t records = Count("SELECT count(*) FROM inbound_records");
  v1::SubmitDeathNoticesResponse again;
  ASSERT_TRUE(Submit(kHealth, v1::SOURCE_HEALTH, "WJ-0715",
                     {Notice("WJ-1", a, "2023-07-01"), Notice("WJ-2", b, "2023-07-02")}, &again)
                  .ok());
  EXPECT_TRUE(again.results(0).resent());
  EXPECT_EQ(again.results(0).outcome(), v1::OUTCOME_DUPLICATE);
  EXPECT_EQ(again.results(0).record_id(), health.results(0).record_id());
  EXPECT_TRUE(again.results(1).resent());
  EXPECT_EQ(again.results(1).outcome(), v1::OUTCOME_CONFLICT);
  EXPECT_EQ(again.tally().resent(), 2);
  EXPECT_EQ(Published("PersonDeceased"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_records WHERE outcome = 'CONFLICT' AND resent_of "
                  "IS NULL"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM death_reports"), 2);
  // Each receipt is kept (the resent ones pointing at the first), with source, batch and time.
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_records"), records + 2);
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_records WHERE resent_of IS NOT NULL"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_batches"), 3);
  EXPECT_EQ(Records("DEATH_NOTICE", "PUBLIC_SECURITY", "ACCEPTED"), 2);
  EXPECT_EQ(Records("DEATH_NOTICE", "PUBLIC_SECURITY", "REJECTED"), 1);
  EXPECT_EQ(Records("DEATH_NOTICE", "HEALTH", "DUPLICATE"), 1);
  EXPECT_EQ(Records("DEATH_NOTICE", "HEALTH", "CONFLICT"), 1);
  EXPECT_EQ(Records("DEATH_NOTICE", "HEALTH", "resent"), 2);

  // The rejected record, corrected and sent again under the same id, is received.
  v1::SubmitDeathNoticesResponse corrected;
  ASSERT_TRUE(Submit(kPublicSecurity, v1::SOURCE_PUBLIC_SECURITY, "GA-20230716",
                     {Notice("GA-3", Id("19500101", true, 3), "2023-07-14")}, &corrected)
                  .ok());
  EXPECT_EQ(corrected.results(0).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_FALSE(corrected.results(0).resent());
  EXPECT_EQ(Published("PersonDeceased"), 3);
}

// A reviewer settles conflicts with the sources. A notice whose earlier date is right is then
// the exchange's own report of the death, published once with that date (the cremation's later
// date loses); the known date standing publishes nothing; a later reported date cannot be
// applied here and changes nothing; a settled conflict leaves the open worklist and cannot be
// settled again; a township's reviewer sees nothing of another township's conflict.
TEST_F(ExchangeIntegrationTest, AReviewerSettlesAConflictOnceAndAnEarlierDateIsPublished) {
  const std::string a = Id("19370505", true, 6), b = Id("19360606", false, 7),
                    c = Id("19350707", true, 8);
  AffairsCremation(a, "2023-06-21");
  AffairsCremation(b, "2023-06-21");
  AffairsCremation(c, "2023-06-10");
  v1::SubmitDeathNoticesResponse response;
  ASSERT_TRUE(Submit(kPublicSecurity, v1::SOURCE_PUBLIC_SECURITY, "GA-S1",
                     {Notice("GA-sa", a, "2023-06-01"), Notice("GA-sb", b, "2023-06-02"),
                      Notice("GA-sc", c, "2023-06-20")},
                     &response)
                  .ok());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(response.results(i).outcome(), v1::OUTCOME_CONFLICT);
  const int64_t published = Published("PersonDeceased");
  auto settle = [&](const TestCaller& as, const std::string& record, v1::ConflictDecision decision,
                    const std::string& reason, v1::SettleConflictResponse* out) {
    v1::SettleConflictRequest req;
    req.set_record_id(record);
    req.set_decision(decision);
    req.set_reason(reason);
    return Call(as, [&](auto* ctx) { return deaths_->SettleConflict(ctx, req, out); });
  };
  auto open_conflicts = [&]() {
    v1::ListConflictsRequest list;
    list.set_open_only(true);
    v1::ListConflictsResponse conflicts;
    EXPECT_TRUE(Call(kReviewer, [&](auto* ctx) {
                  return deaths_->ListConflicts(ctx, list, &conflicts);
                }).ok());
    std::set<std::string> ids;
    for (const auto& x : conflicts.conflicts()) ids.insert(x.record_id());
    return ids;
  };
  const std::string ra = response.results(0).record_id(), rb = response.results(1).record_id(),
                    rc = response.results(2).record_id();
  EXPECT_EQ(open_conflicts(), (std::set<std::string>{ra, rb, rc}));

  // Refused, nothing changes: bad input, a sender, another township's reviewer.
  v1::SettleConflictResponse none;
  grpc::Status s = settle(kReviewer, ra, v1::CONFLICT_DECISION_UNSPECIFIED, "派出所核实", &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("decision"), std::string::npos);
  s = settle(kReviewer, ra, v1::CONFLICT_DECISION_REPORTED_DATE_CORRECT, "", &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("reason"), std::string::npos);
  EXPECT_EQ(
      settle(kHealth, ra, v1::CONFLICT_DECISION_REPORTED_DATE_CORRECT, "x", &none).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  const TestCaller elsewhere{"reviewer-200", "exchange.reviewer", "340722200"};
  EXPECT_EQ(
      settle(elsewhere, ra, v1::CONFLICT_DECISION_REPORTED_DATE_CORRECT, "x", &none).error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(settle(kReviewer, "00000000-0000-4000-8000-000000000000",
                   v1::CONFLICT_DECISION_KNOWN_DATE_STANDS, "x", &none)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // c's notice says a later day than the cremation: it cannot be applied here.
  s = settle(kReviewer, rc, v1::CONFLICT_DECISION_REPORTED_DATE_CORRECT, "卫健核实", &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("decision: the reported day 2023-06-20 is after the recorded "
                                   "death on 2023-06-10"),
            std::string::npos)
      << s.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM conflict_settlements"), 0);
  EXPECT_EQ(Published("PersonDeceased"), published);

  // a: the police's earlier day is right.
  v1::SettleConflictResponse settled;
  ASSERT_TRUE(settle(kReviewer, ra, v1::CONFLICT_DECISION_REPORTED_DATE_CORRECT,
                     "经派出所核实，以户籍注销日期为准", &settled)
                  .ok());
  EXPECT_TRUE(settled.published());
  EXPECT_EQ(settled.conflict().decision(), v1::CONFLICT_DECISION_REPORTED_DATE_CORRECT);
  EXPECT_EQ(settled.conflict().settled_by(), "reviewer");
  EXPECT_FALSE(settled.conflict().event_id().empty());
  EXPECT_EQ(settled.conflict().reported_date(), "2023-06-01");
  EXPECT_EQ(Published("PersonDeceased"), published + 1);
  EXPECT_EQ(Count("SELECT date_of_death - date '2023-06-01' FROM death_registry WHERE "
                  "subject_index = '" +
                  host_->department().pii().BlindIndex(a) + "'"),
            0);
  // b: the cremation's date stands.
  ASSERT_TRUE(
      settle(kReviewer, rb, v1::CONFLICT_DECISION_KNOWN_DATE_STANDS, "火化记录为准", &settled)
          .ok());
  EXPECT_FALSE(settled.published());
  EXPECT_TRUE(settled.conflict().event_id().empty());
  EXPECT_EQ(Published("PersonDeceased"), published + 1);
  EXPECT_EQ(Count("SELECT date_of_death - date '2023-06-21' FROM death_registry WHERE "
                  "subject_index = '" +
                  host_->department().pii().BlindIndex(b) + "'"),
            0);

  // Settled once: again is refused; the open worklist keeps c only, the full list shows how.
  s = settle(kReviewer, ra, v1::CONFLICT_DECISION_KNOWN_DATE_STANDS, "again", &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("record_id: the conflict was settled on"), std::string::npos);
  EXPECT_EQ(open_conflicts(), (std::set<std::string>{rc}));
  v1::ListConflictsRequest all;
  v1::ListConflictsResponse listed;
  ASSERT_TRUE(
      Call(kReviewer, [&](auto* ctx) { return deaths_->ListConflicts(ctx, all, &listed); }).ok());
  int shown = 0;
  for (const auto& x : listed.conflicts()) {
    if (x.record_id() == rb) {
      ++shown;
      EXPECT_EQ(x.decision(), v1::CONFLICT_DECISION_KNOWN_DATE_STANDS);
      EXPECT_EQ(x.settlement_reason(), "火化记录为准");
    }
  }
  EXPECT_EQ(shown, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM conflict_settlements"), 2);
}

// Both systems report the same death at once, several times over: one notice is the death, the
// others are duplicates, and one PersonDeceased is published.
TEST_F(ExchangeIntegrationTest, ConcurrentReportsOfOneDeathPublishItOnce) {
  const std::string a = Id("19360909", true, 9);
  constexpr int kSenders = 6;
  std::vector<v1::SubmitDeathNoticesResponse> responses(kSenders);
  std::vector<grpc::Status> statuses(kSenders);
  std::vector<std::thread> threads;
  for (int i = 0; i < kSenders; ++i) {
    threads.emplace_back([&, i] {
      const bool police = i % 2 == 0;
      statuses[i] =
          Submit(police ? kPublicSecurity : kHealth,
                 police ? v1::SOURCE_PUBLIC_SECURITY : v1::SOURCE_HEALTH, "B-" + std::to_string(i),
                 {Notice("R-" + std::to_string(i), a, "2023-07-01")}, &responses[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  int accepted = 0, duplicate = 0;
  for (int i = 0; i < kSenders; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    const v1::Outcome outcome = responses[i].results(0).outcome();
    accepted += outcome == v1::OUTCOME_ACCEPTED;
    duplicate += outcome == v1::OUTCOME_DUPLICATE;
  }
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(duplicate, kSenders - 1);
  EXPECT_EQ(Published("PersonDeceased"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM death_registry"), 1);
}

TEST_F(ExchangeIntegrationTest, ACremationRecordedByAffairsMakesANoticeADuplicate) {
  const std::string a = Id("19380303", true, 4), b = Id("19390404", false, 5);
  AffairsCremation(a, "2023-06-20");
  AffairsCremation(b, "2023-06-21");
  EXPECT_EQ(Count("SELECT count(*) FROM death_registry WHERE source = 'affairs'"), 2);
  EXPECT_EQ(Published("PersonDeceased"), 0) << "a received death is never re-published";
  v1::SubmitDeathNoticesResponse response;
  ASSERT_TRUE(Submit(kPublicSecurity, v1::SOURCE_PUBLIC_SECURITY, "GA-1",
                     {Notice("GA-a", a, "2023-06-20"), Notice("GA-b", b, "2023-06-01")}, &response)
                  .ok());
  EXPECT_EQ(response.results(0).outcome(), v1::OUTCOME_DUPLICATE);
  EXPECT_EQ(response.results(1).outcome(), v1::OUTCOME_CONFLICT);
  EXPECT_EQ(response.results(1).known_date(), "2023-06-21");
  EXPECT_EQ(Published("PersonDeceased"), 0);
  EXPECT_EQ(Count("SELECT date_of_death - date '2023-06-21' FROM death_registry WHERE "
                  "subject_index = '" +
                  host_->department().pii().BlindIndex(b) + "'"),
            0)
      << "a conflicting notice never moves the date";
}

TEST_F(ExchangeIntegrationTest, OnlyTheSystemOfASourceSendsAsItWithinItsScope) {
  const std::string a = Id("19450505", true, 6);
  v1::SubmitDeathNoticesResponse response;
  // Health may not send as public security; a reviewer sends nothing.
  EXPECT_EQ(
      Submit(kHealth, v1::SOURCE_PUBLIC_SECURITY, "b", {Notice("x", a, "2023-07-01")}, &response)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Submit(kReviewer, v1::SOURCE_HEALTH, "b", {Notice("x", a, "2023-07-01")}, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Submit({}, v1::SOURCE_HEALTH, "b", {Notice("x", a, "2023-07-01")}, &response).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  // A malformed batch: INVALID_ARGUMENT naming the field, nothing written.
  grpc::Status no_batch =
      Submit(kHealth, v1::SOURCE_HEALTH, "", {Notice("x", a, "2023-07-01")}, &response);
  EXPECT_EQ(no_batch.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_batch.error_message(), "batch_id: is required");
  grpc::Status no_source =
      Submit(kHealth, v1::SOURCE_UNSPECIFIED, "b", {Notice("x", a, "2023-07-01")}, &response);
  EXPECT_EQ(no_source.error_message(), "source: is required");
  grpc::Status empty = Submit(kHealth, v1::SOURCE_HEALTH, "b", {}, &response);
  EXPECT_EQ(empty.error_message(), "notices: a batch needs at least one record");
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_batches"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_records"), 0);

  // A township's system reports its township only: another township's record is refused.
  v1::SubmitDeathNoticesResponse township;
  ASSERT_TRUE(Submit(kTownshipPolice, v1::SOURCE_PUBLIC_SECURITY, "T-1",
                     {Notice("T-a", a, "2023-07-01", "340722200001"),
                      Notice("T-b", Id("19460606", false, 7), "2023-07-01", "340722100002")},
                     &township)
                  .ok());
  EXPECT_EQ(township.results(0).outcome(), v1::OUTCOME_REJECTED);
  EXPECT_EQ(township.results(0).code(), "PERMISSION_DENIED");
  EXPECT_EQ(township.results(0).field(), "region_code");
  EXPECT_EQ(township.results(1).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(Published("PersonDeceased"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM death_registry"), 1);

  // Each system lists what it sent; the township's rejected record is in its log.
  v1::ListInboundRecordsRequest list;
  v1::ListInboundRecordsResponse listed;
  ASSERT_TRUE(Call(kTownshipPolice, [&](auto* c) {
                return inbound_->ListInboundRecords(c, list, &listed);
              }).ok());
  ASSERT_EQ(listed.records_size(), 1) << "the record outside its scope is not shown to it";
  EXPECT_EQ(listed.records(0).source_record_id(), "T-b");
  EXPECT_EQ(listed.records(0).sent_by(), kTownshipPolice.subject);
  list.set_outcome(v1::OUTCOME_REJECTED);
  ASSERT_TRUE(Call(kReviewer, [&](auto* c) {
                return inbound_->ListInboundRecords(c, list, &listed);
              }).ok());
  ASSERT_EQ(listed.records_size(), 1);
  EXPECT_EQ(listed.records(0).error_field(), "region_code");
  EXPECT_EQ(listed.records(0).batch_id(), "T-1");
  EXPECT_EQ(listed.records(0).kind(), v1::RECORD_KIND_DEATH_NOTICE);
}

TEST_F(ExchangeIntegrationTest, AMoveOutIsPublishedOnce) {
  const std::string a = Id("19480808", true, 8);
  v1::SubmitMovesOutRequest request;
  request.set_batch_id("GA-MOVES-1");
  auto* m = request.add_moves();
  m->set_source_record_id("QC-1");
  m->set_id_number(a);
  m->set_moved_out_on("2023-06-30");
  m->set_region_code("340722100001");
  m->set_destination("合肥市蜀山区");
  auto* same = request.add_moves();
  *same = *m;
  same->set_source_record_id("QC-2");
  auto* future = request.add_moves();
  *future = *m;
  future->set_source_record_id("QC-3");
  future->set_moved_out_on("2023-08-01");
  v1::SubmitMovesOutResponse response;
  ASSERT_TRUE(Call(kPublicSecurity, [&](auto* c) {
                return moves_->SubmitMovesOut(c, request, &response);
              }).ok());
  EXPECT_EQ(response.results(0).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(1).outcome(), v1::OUTCOME_DUPLICATE);
  EXPECT_EQ(response.results(2).outcome(), v1::OUTCOME_REJECTED);
  EXPECT_EQ(response.results(2).message(), "moved_out_on: must not be in the future");
  EXPECT_EQ(Published("PersonMovedOut"), 1);
  // Its payload, as assistance and eldercare read it.
  pqxx::connection c(dsn_);
  pqxx::nontransaction txn(c);
  const pqxx::binarystring bytes(txn.exec1(
      "SELECT envelope FROM outbox WHERE event_type = 'civil.events.v1.PersonMovedOut'")[0]);
  civil::events::v1::Envelope envelope;
  ASSERT_TRUE(envelope.ParseFromString(bytes.str()));
  civil::events::v1::PersonMovedOut moved;
  ASSERT_TRUE(envelope.payload().UnpackTo(&moved));
  EXPECT_EQ(envelope.source(), "exchange");
  EXPECT_EQ(envelope.subject_index(), host_->department().pii().BlindIndex(a));
  EXPECT_EQ(moved.moved_out_on(), "2023-06-30");
  EXPECT_EQ(moved.destination(), "合肥市蜀山区");
  EXPECT_EQ(moved.reported_by(), "PUBLIC_SECURITY");
  EXPECT_EQ(moved.record_id(), response.results(0).record_id());

  // Sent again: nothing changes. Health may not report moves.
  v1::SubmitMovesOutResponse again;
  ASSERT_TRUE(Call(kPublicSecurity, [&](auto* c) {
                return moves_->SubmitMovesOut(c, request, &again);
              }).ok());
  EXPECT_TRUE(again.results(0).resent());
  EXPECT_TRUE(again.results(1).resent());
  EXPECT_FALSE(again.results(2).resent()) << "a rejected record is judged again";
  EXPECT_EQ(Published("PersonMovedOut"), 1);
  EXPECT_EQ(Call(kHealth, [&](auto* c) { return moves_->SubmitMovesOut(c, request, &again); })
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ExchangeIntegrationTest, DisabilityCertificatesArePublishedOncePerChange) {
  const std::string a = Id("19700101", true, 11), b = Id("19710202", false, 12);
  v1::SubmitDisabilityCertificatesRequest request;
  request.set_batch_id("CL-20230715");
  *request.add_certificates() =
      Certificate("CL-1", a, v1::CERTIFICATE_EVENT_ISSUED, 1, "2023-03-01");
  // The same certificate again under another record id: nothing new.
  *request.add_certificates() =
      Certificate("CL-2", a, v1::CERTIFICATE_EVENT_ISSUED, 1, "2023-03-01");
  // Reassessed as grade 3: a change (the number carries the grade here, as 残联's does).
  v1::DisabilityCertificate changed =
      Certificate("CL-3", a, v1::CERTIFICATE_EVENT_CHANGED, 3, "2023-06-10");
  changed.set_certificate_number(a + "41");
  *request.add_certificates() = changed;
  // Dated before the change just accepted: a conflict, kept, nothing published.
  *request.add_certificates() =
      Certificate("CL-4", a, v1::CERTIFICATE_EVENT_CHANGED, 2, "2023-05-01");
  // b revoked, naming no type or grade.
  v1::DisabilityCertificate revoked =
      Certificate("CL-5", b, v1::CERTIFICATE_EVENT_REVOKED, 0, "2023-07-01");
  revoked.set_type(v1::DISABILITY_TYPE_UNSPECIFIED);
  *request.add_certificates() = revoked;
  // Unreadable: a grade out of range; outside the county.
  *request.add_certificates() =
      Certificate("CL-6", b, v1::CERTIFICATE_EVENT_ISSUED, 5, "2023-07-01");
  *request.add_certificates() =
      Certificate("CL-7", b, v1::CERTIFICATE_EVENT_ISSUED, 2, "2023-07-01", "340823100001");
  v1::SubmitDisabilityCertificatesResponse response;
  ASSERT_TRUE(Call(kFederation, [&](auto* c) {
                return certificates_->SubmitDisabilityCertificates(c, request, &response);
              }).ok());
  ASSERT_EQ(response.results_size(), 7);
  EXPECT_EQ(response.results(0).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(1).outcome(), v1::OUTCOME_DUPLICATE);
  EXPECT_EQ(response.results(1).known_date(), "2023-03-01");
  EXPECT_EQ(response.results(2).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(3).outcome(), v1::OUTCOME_CONFLICT);
  EXPECT_EQ(response.results(3).known_date(), "2023-06-10");
  EXPECT_EQ(response.results(4).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(5).outcome(), v1::OUTCOME_REJECTED);
  EXPECT_EQ(response.results(5).field(), "grade");
  EXPECT_EQ(response.results(5).message(), "grade: must be from 1 to 4");
  EXPECT_EQ(response.results(6).outcome(), v1::OUTCOME_REJECTED);
  EXPECT_EQ(response.results(6).code(), "PERMISSION_DENIED");
  EXPECT_EQ(response.results(6).field(), "region_code");
  EXPECT_EQ(response.tally().accepted(), 3);
  EXPECT_EQ(response.tally().duplicate(), 1);
  EXPECT_EQ(response.tally().conflict(), 1);
  EXPECT_EQ(response.tally().rejected(), 2);
  EXPECT_EQ(Published("DisabilityCertificateChanged"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_records WHERE kind = 'DISABILITY_CERTIFICATE'"), 7);
  EXPECT_EQ(Count("SELECT grade FROM disability_certificates WHERE subject_index = '" +
                  host_->department().pii().BlindIndex(a) + "'"),
            3);
  EXPECT_EQ(Records("DISABILITY_CERTIFICATE", "DISABLED_FEDERATION", "ACCEPTED"), 3);

  // The change's payload, as affairs reads it.
  {
    pqxx::connection c(dsn_);
    pqxx::nontransaction txn(c);
    const pqxx::binarystring bytes(
        txn.exec1("SELECT o.envelope FROM outbox o JOIN inbound_records r USING (event_id) "
                  "WHERE r.record_id = '" +
                  response.results(2).record_id() + "'")[0]);
    civil::events::v1::Envelope envelope;
    ASSERT_TRUE(envelope.ParseFromString(bytes.str()));
    civil::events::v1::DisabilityCertificateChanged event;
    ASSERT_TRUE(envelope.payload().UnpackTo(&event));
    EXPECT_EQ(envelope.source(), "exchange");
    EXPECT_EQ(envelope.subject_index(), host_->department().pii().BlindIndex(a));
    EXPECT_EQ(event.event(), "CHANGED");
    EXPECT_EQ(event.grade(), 3);
    EXPECT_EQ(event.category(), "PHYSICAL");
    EXPECT_EQ(event.event_date(), "2023-06-10");
    EXPECT_EQ(event.reported_by(), "DISABLED_FEDERATION");
  }

  // Sent again: every record answers its first outcome, nothing is published.
  v1::SubmitDisabilityCertificatesResponse again;
  ASSERT_TRUE(Call(kFederation, [&](auto* c) {
                return certificates_->SubmitDisabilityCertificates(c, request, &again);
              }).ok());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(again.results(i).resent()) << i;
  EXPECT_EQ(again.results(2).record_id(), response.results(2).record_id());
  EXPECT_EQ(Published("DisabilityCertificateChanged"), 3);

  // Only the federation sends certificates; it sends no deaths; a malformed batch writes nothing.
  const int64_t batches = Count("SELECT count(*) FROM inbound_batches");
  EXPECT_EQ(
      Call(kPublicSecurity,
           [&](auto* c) { return certificates_->SubmitDisabilityCertificates(c, request, &again); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::SubmitDeathNoticesResponse deaths;
  EXPECT_EQ(Submit(kFederation, v1::SOURCE_DISABLED_FEDERATION, "x", {Notice("x", a, "2023-07-01")},
                   &deaths)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::SubmitDisabilityCertificatesRequest empty;
  empty.set_batch_id("CL-empty");
  grpc::Status malformed = Call(kFederation, [&](auto* c) {
    return certificates_->SubmitDisabilityCertificates(c, empty, &again);
  });
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(malformed.error_message(), "certificates: a batch needs at least one record");
  EXPECT_EQ(Count("SELECT count(*) FROM inbound_batches"), batches);

  // The federation lists what it sent.
  v1::ListInboundRecordsRequest list;
  list.set_source(v1::SOURCE_DISABLED_FEDERATION);
  list.set_outcome(v1::OUTCOME_CONFLICT);
  v1::ListInboundRecordsResponse listed;
  ASSERT_TRUE(Call(kFederation, [&](auto* c) {
                return inbound_->ListInboundRecords(c, list, &listed);
              }).ok());
  ASSERT_EQ(listed.records_size(), 2) << "the conflict and its receipt when sent again";
  EXPECT_EQ(listed.records(0).kind(), v1::RECORD_KIND_DISABILITY_CERTIFICATE);
  EXPECT_EQ(listed.records(0).source_record_id(), "CL-4");
  EXPECT_EQ(listed.records(1).resent_of(), listed.records(0).record_id());
}

TEST_F(ExchangeIntegrationTest, MonitoringObjectsBecomeCandidatesCheckedOncePerTownship) {
  const std::string a = Id("19800101", false, 21), b = Id("19810202", true, 22),
                    c = Id("19820303", true, 23);
  v1::SubmitMonitoringObjectsRequest request;
  request.set_batch_id("XC-2023-07");
  *request.add_objects() = Monitored("XC-1", a, "340722100001", "2023-07-01");
  *request.add_objects() = Monitored("XC-2", b, "340722100", "2023-07-02");
  *request.add_objects() = Monitored("XC-3", c, "340722200003", "2023-07-03");
  // a again under another record id while waiting: a duplicate.
  *request.add_objects() = Monitored("XC-4", a, "340722100001", "2023-07-05");
  v1::MonitoringObject no_name =
      Monitored("XC-5", Id("19830404", true, 24), "340722100", "2023-07-01");
  no_name.set_name("");
  *request.add_objects() = no_name;
  v1::SubmitMonitoringObjectsResponse response;
  ASSERT_TRUE(Call(kRural, [&](auto* ctx) {
                return monitoring_->SubmitMonitoringObjects(ctx, request, &response);
              }).ok());
  ASSERT_EQ(response.results_size(), 5);
  EXPECT_EQ(response.results(0).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(1).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(2).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(response.results(3).outcome(), v1::OUTCOME_DUPLICATE);
  EXPECT_EQ(response.results(3).known_date(), "2023-07-01");
  EXPECT_EQ(response.results(4).outcome(), v1::OUTCOME_REJECTED);
  EXPECT_EQ(response.results(4).field(), "name");
  EXPECT_EQ(Count("SELECT count(*) FROM monitoring_candidates"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0) << "candidates publish nothing";
  // Sent again: nothing new.
  v1::SubmitMonitoringObjectsResponse again;
  ASSERT_TRUE(Call(kRural, [&](auto* ctx) {
                return monitoring_->SubmitMonitoringObjects(ctx, request, &again);
              }).ok());
  EXPECT_EQ(again.tally().resent(), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM monitoring_candidates"), 3);
  // Only rural revitalisation sends them; a clerk does not.
  EXPECT_EQ(
      Call(kClerk100,
           [&](auto* ctx) { return monitoring_->SubmitMonitoringObjects(ctx, request, &again); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // Township 100's clerk sees its two, never township 200's; page by one.
  v1::ListMonitoringCandidatesRequest list;
  list.set_page_size(1);
  v1::ListMonitoringCandidatesResponse page;
  ASSERT_TRUE(Call(kClerk100, [&](auto* ctx) {
                return monitoring_->ListMonitoringCandidates(ctx, list, &page);
              }).ok());
  ASSERT_EQ(page.candidates_size(), 1);
  EXPECT_EQ(page.candidates(0).id_number_masked(), "340722********" + a.substr(14));
  EXPECT_EQ(page.candidates(0).name(), "监测对象XC-1");
  EXPECT_EQ(page.candidates(0).category(), v1::MONITORING_CATEGORY_MARGINAL);
  EXPECT_EQ(page.candidates(0).identified_on(), "2023-07-01");
  EXPECT_EQ(page.candidates(0).check_outcome(), v1::CHECK_OUTCOME_UNSPECIFIED);
  const std::string a_candidate = page.candidates(0).candidate_id();
  EXPECT_EQ(a_candidate, response.results(0).record_id());
  ASSERT_FALSE(page.next_page_token().empty());
  list.set_page_token(page.next_page_token());
  ASSERT_TRUE(Call(kClerk100, [&](auto* ctx) {
                return monitoring_->ListMonitoringCandidates(ctx, list, &page);
              }).ok());
  ASSERT_EQ(page.candidates_size(), 1);
  EXPECT_EQ(page.candidates(0).household_region_code(), "340722100");
  EXPECT_TRUE(page.next_page_token().empty());
  v1::ListMonitoringCandidatesRequest other;
  other.set_region_prefix("340722200");
  EXPECT_EQ(
      Call(kClerk100,
           [&](auto* ctx) { return monitoring_->ListMonitoringCandidates(ctx, other, &page); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Call(kRural,
           [&](auto* ctx) { return monitoring_->ListMonitoringCandidates(ctx, other, &page); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // The check, once; bad input names the field and writes nothing; another township may not.
  v1::RecordMonitoringCheckRequest check;
  check.set_candidate_id(a_candidate);
  check.set_note("入户核查：纳入低保");
  v1::RecordMonitoringCheckResponse checked;
  grpc::Status no_outcome = Call(kClerk100, [&](auto* ctx) {
    return monitoring_->RecordMonitoringCheck(ctx, check, &checked);
  });
  EXPECT_EQ(no_outcome.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_outcome.error_message(), "outcome: is required");
  check.set_outcome(v1::CHECK_OUTCOME_ENROLLED);
  EXPECT_EQ(
      Call(kClerk200,
           [&](auto* ctx) { return monitoring_->RecordMonitoringCheck(ctx, check, &checked); })
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  check.set_checked_on("2023-06-30");
  grpc::Status early = Call(kClerk100, [&](auto* ctx) {
    return monitoring_->RecordMonitoringCheck(ctx, check, &checked);
  });
  EXPECT_EQ(early.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(early.error_message(),
            "checked_on: must not be before the identification on 2023-07-01");
  EXPECT_EQ(Count("SELECT count(*) FROM monitoring_candidates WHERE check_outcome IS NOT NULL"), 0);
  check.set_checked_on("");
  ASSERT_TRUE(Call(kClerk100, [&](auto* ctx) {
                return monitoring_->RecordMonitoringCheck(ctx, check, &checked);
              }).ok());
  EXPECT_EQ(checked.candidate().check_outcome(), v1::CHECK_OUTCOME_ENROLLED);
  EXPECT_EQ(checked.candidate().checked_on(), "2023-07-15");
  EXPECT_EQ(checked.candidate().checked_by(), kClerk100.subject);
  EXPECT_EQ(checked.candidate().check_note(), "入户核查：纳入低保");
  check.set_outcome(v1::CHECK_OUTCOME_REFERRED);
  EXPECT_EQ(
      Call(kClerk100,
           [&](auto* ctx) { return monitoring_->RecordMonitoringCheck(ctx, check, &checked); })
          .error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  check.set_candidate_id("00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(
      Call(kClerk100,
           [&](auto* ctx) { return monitoring_->RecordMonitoringCheck(ctx, check, &checked); })
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  // The worklist holds only what waits.
  v1::ListMonitoringCandidatesRequest waiting;
  waiting.set_unchecked_only(true);
  ASSERT_TRUE(Call(kClerk100, [&](auto* ctx) {
                return monitoring_->ListMonitoringCandidates(ctx, waiting, &page);
              }).ok());
  ASSERT_EQ(page.candidates_size(), 1);
  EXPECT_EQ(page.candidates(0).household_region_code(), "340722100");

  // Checked, then identified again on another day: a new candidate.
  v1::SubmitMonitoringObjectsRequest later;
  later.set_batch_id("XC-2023-07b");
  *later.add_objects() = Monitored("XC-9", a, "340722100001", "2023-07-10");
  v1::SubmitMonitoringObjectsResponse relisted;
  ASSERT_TRUE(Call(kRural, [&](auto* ctx) {
                return monitoring_->SubmitMonitoringObjects(ctx, later, &relisted);
              }).ok());
  EXPECT_EQ(relisted.results(0).outcome(), v1::OUTCOME_ACCEPTED);
  EXPECT_EQ(Count("SELECT count(*) FROM monitoring_candidates"), 4);
}

}  // namespace
}  // namespace civil::exchange
