// End to end: the real exchange_server, assistance_server, eldercare_server, affairs_server,
// childwelfare_server and gateway binaries
// over a real PostgreSQL and Redis. Simulated external systems (public security, health), each
// with its own token, send batches through the gateway's HTTP/JSON API; the facts reach
// assistance and eldercare through the exchange's outbox, Redis and their consumers, and stop the
// person's benefits exactly once however many sources report it or a batch is sent again.
#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/id_number.h"
#include "services/common/values.h"
#include "tests/support/gateway_e2e_test.h"
#include "tests/support/process_state.h"
#include "tests/support/servers.h"
#include "tests/support/test_ids.h"
#include "tests/support/webhook_endpoint.h"

namespace civil::exchange {
namespace {

using json = nlohmann::json;
using civil::affairs::testing::Id;
using civil::testing::HttpResponse;
using Headers = std::map<std::string, std::string>;

std::string DaysAgo(int n) { return FormatDay(Today() - n); }

// What a subscriber computes to check a notification: "v1=" + hex HMAC-SHA256(secret,
// "<timestamp>.<body>").
std::string ExpectedSignature(const std::string& secret, const std::string& timestamp,
                              const std::string& body) {
  const std::string message = timestamp + "." + body;
  unsigned char mac[32];
  unsigned int size = sizeof mac;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  return "v1=" + absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(mac), size));
}

class ExchangeE2eTest : public civil::testing::GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Service("eldercare", CIVIL_ELDERCARE_SERVER)
                 .Service("affairs", CIVIL_AFFAIRS_SERVER)
                 .Service("childwelfare", CIVIL_CHILDWELFARE_SERVER)
                 // Subscribers' endpoints in these tests are plain HTTP on loopback.
                 .Service("exchange", CIVIL_EXCHANGE_SERVER,
                          {{"CIVIL_EXCHANGE_WEBHOOK_PLAINTEXT_HOSTS", "127.0.0.1"}})
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    // The external systems: a token each, as `civilctl token` issues them.
    police_ = stack_->AuthHeaders("system:gongan-340722", {"exchange.public_security"}, "340722");
    health_ = stack_->AuthHeaders("system:weijian-340722", {"exchange.health"}, "340722");
    // Another county's public security.
    foreign_police_ =
        stack_->AuthHeaders("system:gongan-340823", {"exchange.public_security"}, "340823");
    reviewer_ = stack_->AuthHeaders("e2e-exchange-reviewer", {"exchange.reviewer"}, "340722");
    federation_ =
        stack_->AuthHeaders("system:canlian-340722", {"exchange.disabled_federation"}, "340722");
    f_clerk_ = stack_->AuthHeaders("f-clerk", {"affairs.clerk"}, "340722");
    reader_ = stack_->AuthHeaders("system:ybj-340722", {"exchange.registry_reader"}, "340722");
    township_reader_ =
        stack_->AuthHeaders("system:ybj-340722200", {"exchange.registry_reader"}, "340722200");
    a_clerk_ = stack_->AuthHeaders("a-clerk", {"assistance.clerk"}, "340722");
    a_reviewer_ = stack_->AuthHeaders("a-reviewer", {"assistance.reviewer"}, "340722");
    e_clerk_ = stack_->AuthHeaders("e-clerk", {"eldercare.clerk"}, "340722");
    e_reviewer_ = stack_->AuthHeaders("e-reviewer", {"eldercare.reviewer"}, "340722");
    ASSERT_TRUE(stack_->Ready()) << stack_->Logs();
    json standard = {{"standard",
                      {{"programme", "PROGRAMME_DIBAO"},
                       {"area", "AREA_RURAL"},
                       {"regionPrefix", "340722"},
                       {"effectiveFrom", "2020-01-01"},
                       {"monthlyFen", 60000},
                       {"reason", "e2e"}}}};
    HttpResponse set = Http("POST", "/v1/assistance/standards", a_reviewer_, standard);
    ASSERT_TRUE(set.status == 200 || set.status == 409) << set.body;
  }

  // Enrols a one-person rural household in 低保 (application 90 days ago, approved 75 days ago
  // by a reviewer) and returns the enrolment id.
  static std::string EnrolInDibao(const std::string& id, const std::string& name,
                                  const std::string& village) {
    json household = {
        {"regionCode", village},
        {"area", "AREA_RURAL"},
        {"members", {{{"name", name}, {"idNumber", id}, {"relation", "RELATION_HEAD"}}}}};
    const std::string household_id = Ok(
        Http("POST", "/v1/assistance/households", a_clerk_, household))["household"]["householdId"];
    json app = Ok(Http("POST", "/v1/assistance/applications", a_clerk_,
                       {{"programme", "PROGRAMME_DIBAO"},
                        {"householdId", household_id},
                        {"submittedOn", DaysAgo(90)}}));
    const std::string path =
        "/v1/assistance/applications/" + app["application"]["applicationId"].get<std::string>();
    Ok(Http("POST", path + ":investigate", a_clerk_,
            {{"householdMonthlyIncomeFen", 0},
             {"assetsWithinLimits", true},
             {"investigatedOn", DaysAgo(88)}}));
    Ok(Http("POST", path + ":publish", a_clerk_, {{"noticeStart", DaysAgo(86)}}));
    json approved = Ok(Http("POST", path + ":approve", a_reviewer_, {{"decidedOn", DaysAgo(75)}}));
    return approved["enrolment"].value("enrolmentId", "");
  }

  // Enrols a person of 85 in the 高龄津贴 from the first day of the month two months ago.
  static std::string EnrolInAllowance(const std::string& id, const std::string& name) {
    const absl::CivilDay start(absl::CivilMonth(Today()) - 2);
    json enrolled = Ok(Http("POST", "/v1/eldercare/allowance-enrolments", e_clerk_,
                            {{"name", name},
                             {"idNumber", id},
                             {"regionCode", "340722100001"},
                             {"applicationDate", FormatDay(start)}}));
    const std::string enrolment_id = enrolled["enrolment"].value("enrolmentId", "");
    Ok(Http("POST", "/v1/eldercare/allowance-enrolments/" + enrolment_id + ":approve", e_reviewer_,
            {{"decisionDate", FormatDay(start)}}));
    return enrolment_id;
  }

  // The assistance enrolment `id` once its status is `status` (waits up to 10 s).
  static json EnrolmentOnce(const std::string& id, const std::string& status) {
    json e;
    for (int i = 0; i < 100; ++i) {
      e = json::parse(Http("GET", "/v1/assistance/enrolments/" + id, a_reviewer_).body, nullptr,
                      false)["enrolment"];
      if (e.value("status", "") == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return e;
  }

  static json AllowanceOnce(const std::string& id, const std::string& status) {
    json e;
    for (int i = 0; i < 100; ++i) {
      e = json::parse(Http("GET", "/v1/eldercare/allowance-enrolments/" + id, e_clerk_).body,
                      nullptr, false)["enrolment"];
      if (e.value("status", "") == status) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return e;
  }

  // The single integer `sql` selects in the database of `service`.
  static int64_t Count(const std::string& service, const std::string& sql) {
    pqxx::connection c(stack_->postgres().Dsn("civil_" + service));
    pqxx::nontransaction txn(c);
    return txn.exec1(sql)[0].as<int64_t>();
  }

  // Waits until the exchange has no unpublished event and assistance, eldercare and affairs have
  // applied every event the exchange published that they consume (their inboxes hold each):
  // deaths and moves for assistance and eldercare, deaths, moves and certificates for affairs.
  static void Settle() {
    for (int i = 0; i < 100; ++i) {
      const int64_t pending =
          Count("exchange", "SELECT count(*) FROM outbox WHERE published_at IS NULL");
      const int64_t people = Count("exchange",
                                   "SELECT count(*) FROM outbox WHERE event_type IN "
                                   "('civil.events.v1.PersonDeceased', "
                                   "'civil.events.v1.PersonMovedOut')");
      const int64_t for_affairs = Count("exchange",
                                        "SELECT count(*) FROM outbox WHERE event_type IN "
                                        "('civil.events.v1.PersonDeceased', "
                                        "'civil.events.v1.PersonMovedOut', "
                                        "'civil.events.v1.DisabilityCertificateChanged')");
      const int64_t a = Count("assistance", "SELECT count(*) FROM inbox WHERE source = 'exchange'");
      const int64_t e = Count("eldercare", "SELECT count(*) FROM inbox WHERE source = 'exchange'");
      const int64_t f = Count("affairs", "SELECT count(*) FROM inbox WHERE source = 'exchange'");
      if (pending == 0 && a == people && e == people && f == for_affairs) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "events did not settle" << stack_->Logs();
  }

  inline static Headers police_, health_, foreign_police_, reviewer_, a_clerk_, a_reviewer_,
      e_clerk_, e_reviewer_, federation_, f_clerk_, reader_, township_reader_;
};

TEST_F(ExchangeE2eTest, DeathNoticesFromTwoSystemsStopTheBenefitsOnce) {
  const std::string p = Id("19380101", true, 11);   // in 低保 and the 高龄津贴, dies
  const std::string s = Id("19450202", false, 12);  // dies; health reports another day
  const std::string t = Id("19470303", true, 13);   // reported by health only
  const std::string p_enrolment = EnrolInDibao(p, "周某", "340722100011");
  ASSERT_FALSE(p_enrolment.empty()) << stack_->Logs();
  const std::string p_allowance = EnrolInAllowance(p, "周某");
  ASSERT_FALSE(p_allowance.empty()) << stack_->Logs();
  const std::string died = DaysAgo(32);  // always in an earlier month than today

  // Public security: two deaths and a notice from the future.
  json police_batch = {{"source", "SOURCE_PUBLIC_SECURITY"},
                       {"batchId", "GA-340722-" + DaysAgo(0)},
                       {"notices",
                        {{{"sourceRecordId", "HZ-001"},
                          {"idNumber", p},
                          {"dateOfDeath", died},
                          {"regionCode", "340722100011"}},
                         {{"sourceRecordId", "HZ-002"},
                          {"idNumber", s},
                          {"dateOfDeath", DaysAgo(40)},
                          {"regionCode", "340722100012"}},
                         {{"sourceRecordId", "HZ-003"},
                          {"idNumber", Id("19500404", true, 14)},
                          {"dateOfDeath", DaysAgo(-1)},
                          {"regionCode", "340722100013"}}}}};
  json police = Ok(Http("POST", "/v1/exchange/death-notices:submit", police_, police_batch));
  ASSERT_EQ(police["results"].size(), 3u) << police;
  EXPECT_EQ(police["results"][0]["outcome"], "OUTCOME_ACCEPTED");
  EXPECT_EQ(police["results"][1]["outcome"], "OUTCOME_ACCEPTED");
  EXPECT_EQ(police["results"][2]["outcome"], "OUTCOME_REJECTED");
  EXPECT_EQ(police["results"][2]["field"], "date_of_death");
  EXPECT_EQ(police["results"][2]["message"], "date_of_death: must not be in the future");
  EXPECT_EQ(police.dump().find(p), std::string::npos) << "clear ID number in a response";

  // The death reaches assistance and eldercare: the 低保 ends after the month of death, the
  // 高龄津贴 stops from the month after.
  json ended = EnrolmentOnce(p_enrolment, "ENROLMENT_STATUS_ENDED");
  ASSERT_EQ(ended.value("status", ""), "ENROLMENT_STATUS_ENDED") << ended << stack_->Logs();
  EXPECT_EQ(ended["exitReason"], "EXIT_REASON_DEATH");
  EXPECT_EQ(ended["endMonth"], died.substr(0, 7));
  json stopped = AllowanceOnce(p_allowance, "ENROLMENT_STATUS_STOPPED");
  ASSERT_EQ(stopped.value("status", ""), "ENROLMENT_STATUS_STOPPED") << stopped << stack_->Logs();
  EXPECT_EQ(stopped["endMonth"], FormatMonth(absl::CivilMonth(Today() - 32) + 1));

  // Health: one duplicate (p, same day), one conflict (s, another day), one new death (t).
  json health_batch = {{"source", "SOURCE_HEALTH"},
                       {"batchId", "WJ-0001"},
                       {"notices",
                        {{{"sourceRecordId", "SW-9001"},
                          {"idNumber", p},
                          {"dateOfDeath", died},
                          {"regionCode", "340722100011"}},
                         {{"sourceRecordId", "SW-9002"},
                          {"idNumber", s},
                          {"dateOfDeath", DaysAgo(38)},
                          {"regionCode", "340722100012"}},
                         {{"sourceRecordId", "SW-9003"},
                          {"idNumber", t},
                          {"dateOfDeath", DaysAgo(5)},
                          {"regionCode", "340722100013"}}}}};
  json health = Ok(Http("POST", "/v1/exchange/death-notices:submit", health_, health_batch));
  ASSERT_EQ(health["results"].size(), 3u) << health;
  EXPECT_EQ(health["results"][0]["outcome"], "OUTCOME_DUPLICATE");
  EXPECT_EQ(health["results"][1]["outcome"], "OUTCOME_CONFLICT");
  EXPECT_EQ(health["results"][1]["knownDate"], DaysAgo(40));
  EXPECT_EQ(health["results"][2]["outcome"], "OUTCOME_ACCEPTED");
  EXPECT_EQ(health["tally"]["duplicate"], 1);
  EXPECT_EQ(health["tally"]["conflict"], 1);
  EXPECT_EQ(health["tally"]["accepted"], 1);

  // The conflict waits for a reviewer.
  json conflicts = Ok(Http("GET", "/v1/exchange/conflicts", reviewer_));
  ASSERT_EQ(conflicts["conflicts"].size(), 1u) << conflicts;
  EXPECT_EQ(conflicts["conflicts"][0]["sourceRecordId"], "SW-9002");
  EXPECT_EQ(conflicts["conflicts"][0]["reportedDate"], DaysAgo(38));
  EXPECT_EQ(conflicts["conflicts"][0]["knownDate"], DaysAgo(40));
  EXPECT_EQ(Http("GET", "/v1/exchange/conflicts", health_).status, 403);
  // The reviewer settles it with the sources. The notice's later day cannot stop benefits already
  // stopped from the earlier one (400 naming the decision, nothing changes); the known date
  // stands; the worklist of open conflicts is then empty, and the conflict shows how it was
  // settled. A sending system may not settle.
  const std::string settle = "/v1/exchange/conflicts/" +
                             conflicts["conflicts"][0]["recordId"].get<std::string>() + ":settle";
  HttpResponse later =
      Http("POST", settle, reviewer_,
           {{"decision", "CONFLICT_DECISION_REPORTED_DATE_CORRECT"}, {"reason", "卫健核实"}});
  EXPECT_EQ(later.status, 400) << later.body;
  EXPECT_NE(later.body.find("decision: the reported day " + DaysAgo(38)), std::string::npos)
      << later.body;
  EXPECT_EQ(Http("POST", settle, health_,
                 {{"decision", "CONFLICT_DECISION_KNOWN_DATE_STANDS"}, {"reason", "x"}})
                .status,
            403);
  json settled =
      Ok(Http("POST", settle, reviewer_,
              {{"decision", "CONFLICT_DECISION_KNOWN_DATE_STANDS"}, {"reason", "以火化记录为准"}}));
  EXPECT_EQ(settled["conflict"]["decision"], "CONFLICT_DECISION_KNOWN_DATE_STANDS") << settled;
  EXPECT_EQ(settled["conflict"]["settledBy"], "e2e-exchange-reviewer") << settled;
  EXPECT_FALSE(settled.value("published", false));
  json open = Ok(Http("GET", "/v1/exchange/conflicts?openOnly=true", reviewer_));
  EXPECT_TRUE(open.value("conflicts", json::array()).empty()) << open;
  EXPECT_EQ(Http("POST", settle, reviewer_,
                 {{"decision", "CONFLICT_DECISION_KNOWN_DATE_STANDS"}, {"reason", "again"}})
                .status,
            400);

  // Both batches sent again: every record is answered as before, nothing changes.
  Settle();
  const int64_t exits = Count("assistance",
                              "SELECT count(*) FROM outbox WHERE event_type = "
                              "'civil.events.v1.EnrolmentEnded'");
  json police_again = Ok(Http("POST", "/v1/exchange/death-notices:submit", police_, police_batch));
  json health_again = Ok(Http("POST", "/v1/exchange/death-notices:submit", health_, health_batch));
  EXPECT_EQ(police_again["tally"]["resent"], 2) << police_again;
  EXPECT_EQ(police_again["tally"]["rejected"], 1) << "a rejected record is judged again";
  EXPECT_EQ(health_again["tally"]["resent"], 3) << health_again;
  EXPECT_EQ(health_again["results"][1]["outcome"], "OUTCOME_CONFLICT");
  Settle();

  // Exactly once: three deaths published by the exchange (p, s, t), each applied once by each
  // department; p's 低保 ended once; the month of death is paid, the month after is not.
  EXPECT_EQ(
      Count("exchange",
            "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.PersonDeceased'"),
      3);
  EXPECT_EQ(Count("assistance",
                  "SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.EnrolmentEnded'"),
            exits);
  EXPECT_EQ(exits, 1);
  EXPECT_EQ(Count("assistance", "SELECT count(*) FROM death_registry WHERE source = 'exchange'"),
            3);
  EXPECT_EQ(Count("exchange", "SELECT count(*) FROM inbound_records"), 12);
  const std::string death_month = died.substr(0, 7);
  json paid = Ok(Http("POST", "/v1/assistance/disbursements", a_reviewer_,
                      {{"programme", "PROGRAMME_DIBAO"},
                       {"month", death_month},
                       {"regionPrefix", "340722100011"}}));
  EXPECT_EQ(paid["batch"].value("payments", "0"), "1") << paid;
  json after = Ok(Http("POST", "/v1/assistance/disbursements", a_reviewer_,
                       {{"programme", "PROGRAMME_DIBAO"},
                        {"month", FormatMonth(absl::CivilMonth(Today()))},
                        {"regionPrefix", "340722100011"}}));
  EXPECT_EQ(after["batch"].value("payments", "0"), "0") << after;

  // The log keeps every receipt: the systems read what they sent, with batch, time and outcome.
  json log = Ok(Http("GET", "/v1/exchange/inbound-records?batchId=WJ-0001", health_));
  ASSERT_EQ(log["records"].size(), 6u) << log;
  EXPECT_EQ(log["records"][0]["source"], "SOURCE_HEALTH");
  EXPECT_EQ(log["records"][0]["sentBy"], "system:weijian-340722");
  EXPECT_FALSE(log["records"][0]["receivedAt"].get<std::string>().empty());
  EXPECT_EQ(log["records"][3]["resentOf"], log["records"][0]["recordId"]);
  EXPECT_EQ(
      Ok(Http("GET", "/v1/exchange/inbound-records?batchId=WJ-0001", police_))["records"].size(),
      0u)
      << "public security does not read health's records";
}

TEST_F(ExchangeE2eTest, ASystemOutsideItsScopeIsRefused) {
  const std::string q = Id("19420505", false, 15);
  const std::string q_enrolment = EnrolInDibao(q, "吴某", "340722100021");
  ASSERT_FALSE(q_enrolment.empty()) << stack_->Logs();
  json batch = {{"source", "SOURCE_PUBLIC_SECURITY"},
                {"batchId", "GA-340823-1"},
                {"notices",
                 {{{"sourceRecordId", "HZ-X1"},
                   {"idNumber", q},
                   {"dateOfDeath", DaysAgo(10)},
                   {"regionCode", "340722100021"}}}}};
  json refused = Ok(Http("POST", "/v1/exchange/death-notices:submit", foreign_police_, batch));
  EXPECT_EQ(refused["results"][0]["outcome"], "OUTCOME_REJECTED") << refused;
  EXPECT_EQ(refused["results"][0]["code"], "PERMISSION_DENIED");
  EXPECT_EQ(refused["results"][0]["field"], "region_code");
  // Health's system may not send as public security; nobody without a token sends anything.
  EXPECT_EQ(Http("POST", "/v1/exchange/death-notices:submit", health_, batch).status, 403);
  EXPECT_EQ(Http("POST", "/v1/exchange/death-notices:submit", {}, batch).status, 401);
  batch["batchId"] = "";
  HttpResponse bad = Http("POST", "/v1/exchange/death-notices:submit", police_, batch);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("batch_id: is required"), std::string::npos) << bad.body;
  Settle();
  json still = Ok(Http("GET", "/v1/assistance/enrolments/" + q_enrolment, a_reviewer_));
  EXPECT_EQ(still["enrolment"]["status"], "ENROLMENT_STATUS_ACTIVE") << still;
}

TEST_F(ExchangeE2eTest, AMoveOutOfTheCountyStopsTheBenefitsFromTheMonthAfterOnce) {
  const std::string m = Id("19370606", true, 16);
  const std::string enrolment = EnrolInDibao(m, "郑某", "340722100031");
  ASSERT_FALSE(enrolment.empty()) << stack_->Logs();
  const std::string allowance = EnrolInAllowance(m, "郑某");
  const std::string moved = DaysAgo(35);
  json batch = {{"batchId", "GA-QC-1"},
                {"moves",
                 {{{"sourceRecordId", "QC-001"},
                   {"idNumber", m},
                   {"movedOutOn", moved},
                   {"regionCode", "340722100031"},
                   {"destination", "合肥市蜀山区"}}}}};
  json first = Ok(Http("POST", "/v1/exchange/moves-out:submit", police_, batch));
  EXPECT_EQ(first["results"][0]["outcome"], "OUTCOME_ACCEPTED") << first;
  json ended = EnrolmentOnce(enrolment, "ENROLMENT_STATUS_ENDED");
  ASSERT_EQ(ended.value("status", ""), "ENROLMENT_STATUS_ENDED") << ended << stack_->Logs();
  EXPECT_EQ(ended["exitReason"], "EXIT_REASON_MOVED_AWAY");
  EXPECT_EQ(ended["endMonth"], moved.substr(0, 7));  // the month of the move is the last paid
  json stopped = AllowanceOnce(allowance, "ENROLMENT_STATUS_STOPPED");
  ASSERT_EQ(stopped.value("status", ""), "ENROLMENT_STATUS_STOPPED") << stopped;
  EXPECT_EQ(stopped["endMonth"], FormatMonth(absl::CivilMonth(Today() - 35) + 1));

  Settle();
  const int64_t exits = Count("assistance",
                              "SELECT count(*) FROM outbox WHERE event_type = "
                              "'civil.events.v1.EnrolmentEnded'");
  // Sent again, and the same move under another record id: nothing more happens.
  json again = Ok(Http("POST", "/v1/exchange/moves-out:submit", police_, batch));
  EXPECT_TRUE(again["results"][0].value("resent", false)) << again;
  batch["moves"][0]["sourceRecordId"] = "QC-002";
  json same = Ok(Http("POST", "/v1/exchange/moves-out:submit", police_, batch));
  EXPECT_EQ(same["results"][0]["outcome"], "OUTCOME_DUPLICATE") << same;
  // Health does not report moves.
  EXPECT_EQ(Http("POST", "/v1/exchange/moves-out:submit", health_, batch).status, 403);
  Settle();
  EXPECT_EQ(
      Count("exchange",
            "SELECT count(*) FROM outbox WHERE event_type = 'civil.events.v1.PersonMovedOut'"),
      1);
  EXPECT_EQ(Count("assistance",
                  "SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.EnrolmentEnded'"),
            exits);
}

// 残联's system sends certificate events through the gateway: a reassessment to grade 3 stops
// the care subsidy in affairs from the month after, a revocation every subsidy; a batch sent
// again changes nothing; only the federation sends them.
TEST_F(ExchangeE2eTest, DisabilityCertificatesFromTheFederationStopSubsidiesOnce) {
  const std::string g = Id("19660707", true, 17), r = Id("19670808", false, 18);
  auto register_with_care = [](const std::string& id, const std::string& village) {
    json person = Ok(Http("POST", "/v1/affairs/disabled-persons", f_clerk_,
                          {{"name", "残疾人"},
                           {"idNumber", id},
                           {"regionCode", village},
                           {"category", "DISABILITY_CATEGORY_PHYSICAL"},
                           {"grade", 1},
                           {"certifiedDate", "2020-01-01"},
                           {"longTermCare", true}}));
    const std::string person_id = person["person"].value("personId", "");
    json care =
        Ok(Http("POST", "/v1/affairs/disabled-persons/" + person_id + "/subsidies", f_clerk_,
                {{"kind", "SUBSIDY_KIND_CARE"}, {"applicationDate", DaysAgo(70)}}));
    return std::make_pair(person_id, care["subsidy"].value("subsidyId", ""));
  };
  const auto [g_person, g_care] = register_with_care(g, "340722100041");
  const auto [r_person, r_care] = register_with_care(r, "340722100042");
  ASSERT_FALSE(g_care.empty()) << stack_->Logs();
  ASSERT_FALSE(r_care.empty()) << stack_->Logs();

  const std::string day = DaysAgo(33);
  json batch = {{"batchId", "CL-340722-1"},
                {"certificates",
                 {{{"sourceRecordId", "CL-001"},
                   {"idNumber", g},
                   {"certificateNumber", g + "43"},
                   {"type", "DISABILITY_TYPE_PHYSICAL"},
                   {"grade", 3},
                   {"event", "CERTIFICATE_EVENT_CHANGED"},
                   {"eventDate", day},
                   {"regionCode", "340722100041"}},
                  {{"sourceRecordId", "CL-002"},
                   {"idNumber", r},
                   {"certificateNumber", r + "41"},
                   {"event", "CERTIFICATE_EVENT_REVOKED"},
                   {"eventDate", day},
                   {"regionCode", "340722100042"}},
                  {{"sourceRecordId", "CL-003"},
                   {"idNumber", r},
                   {"certificateNumber", r + "41"},
                   {"type", "DISABILITY_TYPE_PHYSICAL"},
                   {"grade", 9},
                   {"event", "CERTIFICATE_EVENT_ISSUED"},
                   {"eventDate", day},
                   {"regionCode", "340722100042"}}}}};
  json first = Ok(Http("POST", "/v1/exchange/disability-certificates:submit", federation_, batch));
  ASSERT_EQ(first["results"].size(), 3u) << first;
  EXPECT_EQ(first["results"][0]["outcome"], "OUTCOME_ACCEPTED");
  EXPECT_EQ(first["results"][1]["outcome"], "OUTCOME_ACCEPTED");
  EXPECT_EQ(first["results"][2]["outcome"], "OUTCOME_REJECTED");
  EXPECT_EQ(first["results"][2]["field"], "grade");
  EXPECT_EQ(first.dump().find(g), std::string::npos) << "clear ID number in a response";

  const std::string stop = FormatMonth(absl::CivilMonth(Today() - 33) + 1);
  auto subsidy_once = [](const std::string& id) {
    json s;
    for (int i = 0; i < 100; ++i) {
      s = json::parse(Http("GET", "/v1/affairs/subsidies/" + id, f_clerk_).body, nullptr,
                      false)["subsidy"];
      if (s.value("status", "") == "SUBSIDY_STATUS_STOPPED") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return s;
  };
  json g_stopped = subsidy_once(g_care);
  EXPECT_EQ(g_stopped.value("status", ""), "SUBSIDY_STATUS_STOPPED") << g_stopped << stack_->Logs();
  EXPECT_EQ(g_stopped["endMonth"], stop);
  json r_stopped = subsidy_once(r_care);
  EXPECT_EQ(r_stopped.value("status", ""), "SUBSIDY_STATUS_STOPPED") << r_stopped;
  EXPECT_EQ(r_stopped["endMonth"], stop);
  json r_now = Ok(Http("GET", "/v1/affairs/disabled-persons/" + r_person, f_clerk_));
  EXPECT_EQ(r_now["person"]["certificateRevokedOn"], day) << r_now;
  json g_now = Ok(Http("GET", "/v1/affairs/disabled-persons/" + g_person, f_clerk_));
  EXPECT_EQ(g_now["person"]["grade"], 3) << g_now;

  Settle();
  const int64_t stopped_events = Count("affairs",
                                       "SELECT count(*) FROM outbox WHERE event_type = "
                                       "'civil.events.v1.DisabilitySubsidyStopped'");
  EXPECT_EQ(stopped_events, 2);
  json again = Ok(Http("POST", "/v1/exchange/disability-certificates:submit", federation_, batch));
  EXPECT_EQ(again["tally"]["resent"], 2) << again;
  EXPECT_EQ(Http("POST", "/v1/exchange/disability-certificates:submit", police_, batch).status,
            403);
  Settle();
  EXPECT_EQ(Count("exchange",
                  "SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilityCertificateChanged'"),
            2);
  EXPECT_EQ(Count("affairs",
                  "SELECT count(*) FROM outbox WHERE event_type = "
                  "'civil.events.v1.DisabilitySubsidyStopped'"),
            stopped_events);
}

// Another system (the medical insurance bureau, say) asks which programmes a person is in: the
// exchange asks assistance, affairs, eldercare and childwelfare under its own identity, answers
// what lies in the caller's region, logs every search with the masked ID number, and reports a
// department that does not answer as unknown.
TEST_F(ExchangeE2eTest, ARegistrySearchAnswersEveryDepartmentsProgrammesWithinScope) {
  const std::string p = Id("19640909", false, 19);
  const std::string enrolment = EnrolInDibao(p, "冯某", "340722100051");
  ASSERT_FALSE(enrolment.empty()) << stack_->Logs();
  json person = Ok(Http("POST", "/v1/affairs/disabled-persons", f_clerk_,
                        {{"name", "冯某"},
                         {"idNumber", p},
                         {"regionCode", "340722100051"},
                         {"category", "DISABILITY_CATEGORY_VISUAL"},
                         {"grade", 2},
                         {"certifiedDate", "2020-01-01"},
                         {"longTermCare", true}}));
  const std::string person_id = person["person"].value("personId", "");
  json care = Ok(Http("POST", "/v1/affairs/disabled-persons/" + person_id + "/subsidies", f_clerk_,
                      {{"kind", "SUBSIDY_KIND_CARE"}, {"applicationDate", DaysAgo(40)}}));
  const std::string subsidy_id = care["subsidy"].value("subsidyId", "");
  ASSERT_FALSE(subsidy_id.empty()) << care;
  // Born 1964: too young for the 高龄津贴; an elder of 85 in the same village has it.
  const std::string elder = Id("19380101", false, 20);
  const std::string allowance = EnrolInAllowance(elder, "蒋某");
  ASSERT_FALSE(allowance.empty()) << stack_->Logs();

  json found = Ok(Http("POST", "/v1/exchange/registry/search", reader_, {{"idNumber", p}}));
  EXPECT_EQ(found.dump().find(p), std::string::npos) << "clear ID number in a response";
  EXPECT_EQ(found["idNumberMasked"], p.substr(0, 6) + "********" + p.substr(14));
  EXPECT_FALSE(found.value("searchId", "").empty());
  ASSERT_EQ(found["departments"].size(), 4u) << found;
  for (const json& d : found["departments"]) {
    EXPECT_EQ(d["answer"], "DEPARTMENT_ANSWER_ANSWERED") << found;
  }
  std::map<std::string, json> by_programme;
  for (const json& e : found["enrolments"]) by_programme[e.value("programme", "")] = e;
  ASSERT_EQ(by_programme.count("PROGRAMME_DIBAO"), 1u) << found;
  EXPECT_EQ(by_programme["PROGRAMME_DIBAO"]["department"], "assistance");
  EXPECT_EQ(by_programme["PROGRAMME_DIBAO"]["enrolmentId"], enrolment);
  EXPECT_TRUE(by_programme["PROGRAMME_DIBAO"].value("active", false));
  ASSERT_EQ(by_programme.count("DISABILITY_CARE_SUBSIDY"), 1u) << found;
  EXPECT_EQ(by_programme["DISABILITY_CARE_SUBSIDY"]["department"], "affairs");
  EXPECT_EQ(by_programme["DISABILITY_CARE_SUBSIDY"]["enrolmentId"], subsidy_id);
  EXPECT_TRUE(by_programme["DISABILITY_CARE_SUBSIDY"].value("active", false));
  EXPECT_EQ(by_programme.count("OLD_AGE_ALLOWANCE"), 0u) << found;
  json old = Ok(Http("POST", "/v1/exchange/registry/search", reader_, {{"idNumber", elder}}));
  ASSERT_EQ(old["enrolments"].size(), 1u) << old;
  EXPECT_EQ(old["enrolments"][0]["department"], "eldercare");
  EXPECT_EQ(old["enrolments"][0]["programme"], "OLD_AGE_ALLOWANCE");
  EXPECT_EQ(old["enrolments"][0]["enrolmentId"], allowance);
  EXPECT_TRUE(old["enrolments"][0].value("active", false)) << old;

  // A system scoped to another township learns nothing of this person's enrolments.
  json elsewhere =
      Ok(Http("POST", "/v1/exchange/registry/search", township_reader_, {{"idNumber", p}}));
  EXPECT_EQ(elsewhere.value("enrolments", json::array()).size(), 0u) << elsewhere;
  // Bad input names the field; a system without the role is refused; neither is logged.
  HttpResponse bad = Http("POST", "/v1/exchange/registry/search", reader_, {{"idNumber", "123"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("id_number"), std::string::npos) << bad.body;
  EXPECT_EQ(Http("POST", "/v1/exchange/registry/search", police_, {{"idNumber", p}}).status, 403);
  EXPECT_EQ(Count("exchange", "SELECT count(*) FROM registry_searches"), 3);
  EXPECT_EQ(Count("exchange",
                  "SELECT count(*) FROM registry_searches WHERE caller = 'system:ybj-340722' AND "
                  "found = 2 AND subject_masked = '" +
                      found["idNumberMasked"].get<std::string>() +
                      "' AND answered = ARRAY['assistance', 'affairs', 'eldercare', "
                      "'childwelfare']"),
            1);

  // Affairs hangs: its programmes are unknown, assistance's still answered.
  ASSERT_EQ(::kill(stack_->service("affairs").pid(), SIGSTOP), 0);
  ASSERT_TRUE(civil::testing::WaitUntilStopped(stack_->service("affairs").pid()));
  json partial = Ok(Http("POST", "/v1/exchange/registry/search", reader_, {{"idNumber", p}}));
  ::kill(stack_->service("affairs").pid(), SIGCONT);
  ASSERT_EQ(partial["departments"].size(), 4u) << partial;
  EXPECT_EQ(partial["departments"][2]["answer"], "DEPARTMENT_ANSWER_ANSWERED");
  EXPECT_EQ(partial["departments"][3]["department"], "childwelfare");
  EXPECT_EQ(partial["departments"][3]["answer"], "DEPARTMENT_ANSWER_ANSWERED");
  EXPECT_EQ(partial["departments"][0]["answer"], "DEPARTMENT_ANSWER_ANSWERED");
  EXPECT_EQ(partial["departments"][1]["department"], "affairs");
  EXPECT_EQ(partial["departments"][1]["answer"], "DEPARTMENT_ANSWER_UNKNOWN");
  EXPECT_EQ(partial["departments"][1]["reason"], "DEADLINE_EXCEEDED");
  ASSERT_EQ(partial["enrolments"].size(), 1u) << partial;
  EXPECT_EQ(partial["enrolments"][0]["programme"], "PROGRAMME_DIBAO");
  EXPECT_EQ(
      Count("exchange", "SELECT count(*) FROM registry_searches WHERE unknown = ARRAY['affairs']"),
      1);
}

TEST_F(ExchangeE2eTest, ASubscriberReceivesEachChangeOnceDespiteARestartOfItsEndpoint) {
  const std::string village = "340722230001";  // a township no other test uses
  const std::string p = Id("19400505", true, 61);
  const int port = civil::testing::FreePort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/civil/notify";
  const std::string path = "/v1/exchange/subscriptions";
  const int64_t before = Count("exchange", "SELECT count(*) FROM subscriptions");

  // Bad input names its field and writes nothing.
  HttpResponse bad = Http("POST", path, reader_,
                          {{"endpointUrl", "http://partner.example.gov.cn/notify"},
                           {"eventTypes", {"EnrolmentEnded"}}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("endpoint_url"), std::string::npos) << bad.body;
  bad = Http("POST", path, reader_, {{"endpointUrl", url}, {"eventTypes", {"EnrolmentPaid"}}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("event_types[0]"), std::string::npos) << bad.body;
  bad =
      Http("POST", path, reader_,
           {{"endpointUrl", url}, {"eventTypes", {"EnrolmentEnded"}}, {"regionPrefix", "340823"}});
  EXPECT_EQ(bad.status, 403) << bad.body;
  bad = Http("POST", path, police_, {{"endpointUrl", url}, {"eventTypes", {"EnrolmentEnded"}}});
  EXPECT_EQ(bad.status, 403) << bad.body;
  EXPECT_EQ(Count("exchange", "SELECT count(*) FROM subscriptions"), before);

  // The county's reader subscribes for one township; a township reader elsewhere subscribes to
  // its own.
  json created = Ok(Http("POST", path, reader_,
                         {{"endpointUrl", url},
                          {"eventTypes", {"EnrolmentStarted", "EnrolmentEnded", "PersonDeceased"}},
                          {"regionPrefix", "340722230"}}));
  const std::string secret = created.value("signingSecret", "");
  ASSERT_EQ(secret.size(), 64u) << created;
  const std::string id = created["subscription"]["subscriptionId"];
  json other = Ok(Http("POST", path, township_reader_,
                       {{"endpointUrl", url}, {"eventTypes", {"EnrolmentStarted"}}}));
  const std::string other_id = other["subscription"]["subscriptionId"];
  EXPECT_EQ(other["subscription"]["regionPrefix"], "340722200");
  // The secret is shown once: not in the listing.
  json listed = Ok(Http("GET", path, reader_));
  EXPECT_EQ(listed.dump().find(secret), std::string::npos);

  auto endpoint = std::make_unique<civil::testing::WebhookEndpoint>(port);
  ASSERT_TRUE(endpoint->ok());
  auto received = [&](size_t n) {
    for (int i = 0; i < 300 && endpoint->Received().size() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return endpoint->Received();
  };

  // An enrolment in the township: one EnrolmentStarted.
  const std::string enrolment = EnrolInDibao(p, "钱某", village);
  ASSERT_FALSE(enrolment.empty()) << stack_->Logs();
  std::vector<civil::testing::ReceivedRequest> got = received(1);
  ASSERT_EQ(got.size(), 1u) << stack_->Logs();

  // The endpoint goes down; public security reports the death: the exchange's PersonDeceased
  // and assistance's EnrolmentEnded wait, and are tried again, until it is back.
  endpoint->Stop();
  endpoint.reset();
  json batch = {{"source", "SOURCE_PUBLIC_SECURITY"},
                {"batchId", "GA-SUB-" + DaysAgo(0)},
                {"notices",
                 {{{"sourceRecordId", "HZ-SUB-1"},
                   {"idNumber", p},
                   {"dateOfDeath", DaysAgo(31)},
                   {"regionCode", village}}}}};
  json sent = Ok(Http("POST", "/v1/exchange/death-notices:submit", police_, batch));
  ASSERT_EQ(sent["results"][0]["outcome"], "OUTCOME_ACCEPTED") << sent;
  const std::string deliveries = path + "/" + id + "/deliveries";
  int failed = 0;
  for (int i = 0; i < 200 && failed == 0; ++i) {
    json log = Ok(Http("GET", deliveries, reader_));
    for (const json& d : log.value("deliveries", json::array())) {
      if (!d.value("delivered", false)) ++failed;
    }
    if (failed == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(failed, 0) << "no failed attempt while the endpoint was down" << stack_->Logs();
  endpoint = std::make_unique<civil::testing::WebhookEndpoint>(port);
  ASSERT_TRUE(endpoint->ok());
  got = received(2);
  ASSERT_EQ(got.size(), 2u) << stack_->Logs();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // nothing more comes
  got = endpoint->Received();

  // Every change once, signed, in order, with the masked ID only.
  std::vector<std::string> types;
  std::set<std::string> ids;
  std::vector<civil::testing::ReceivedRequest> all = got;
  for (const auto& r : all) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/civil/notify");
    EXPECT_EQ(r.headers.at("x-civil-signature"),
              ExpectedSignature(secret, r.headers.at("x-civil-timestamp"), r.body));
    json body = json::parse(r.body);
    EXPECT_EQ(body["notificationId"], r.headers.at("x-civil-notification-id"));
    EXPECT_EQ(body["subscriptionId"], id);
    EXPECT_EQ(body["regionCode"], village);
    EXPECT_EQ(r.body.find(p), std::string::npos) << "clear ID number in a notification";
    EXPECT_EQ(body["person"]["idNumberMasked"].get<std::string>().size(), 18u);
    types.push_back(body["type"]);
    ids.insert(body["notificationId"].get<std::string>());
  }
  EXPECT_EQ(got.size(), 2u);
  EXPECT_EQ(ids.size(), got.size());
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"EnrolmentEnded", "PersonDeceased"}));

  // The subscription's counts and its log: three delivered, the failed attempts kept.
  json mine = Ok(Http("GET", path, reader_));
  bool found = false;
  for (const json& s : mine["subscriptions"]) {
    if (s["subscriptionId"] != id) continue;
    found = true;
    EXPECT_EQ(s["delivered"], "3") << s;
    EXPECT_EQ(s.value("pending", "0"), "0") << s;
    EXPECT_EQ(s.value("consecutiveFailures", 0), 0) << s;
  }
  EXPECT_TRUE(found) << mine;
  json log = Ok(Http("GET", deliveries, reader_));
  int delivered = 0;
  for (const json& d : log["deliveries"]) delivered += d.value("delivered", false) ? 1 : 0;
  EXPECT_EQ(delivered, 3) << log;
  EXPECT_GT(log["deliveries"].size(), 3u) << log;

  // The township reader elsewhere got nothing from this township, and cannot see or end the
  // county reader's subscription.
  EXPECT_EQ(Count("exchange",
                  "SELECT count(*) FROM subscription_notifications WHERE "
                  "subscription_id = '" +
                      other_id + "'"),
            0);
  EXPECT_EQ(Http("GET", deliveries, township_reader_).status, 404);
  EXPECT_EQ(Http("POST", path + "/" + id + ":cancel", township_reader_, json::object()).status,
            404);

  // Cancelled: once; a second time is refused.
  json cancelled = Ok(Http("POST", path + "/" + id + ":cancel", reader_, json::object()));
  EXPECT_TRUE(cancelled["subscription"].contains("cancelledAt")) << cancelled;
  HttpResponse again = Http("POST", path + "/" + id + ":cancel", reader_, json::object());
  EXPECT_EQ(again.status, 400) << again.body;  // FAILED_PRECONDITION, as the gateway maps it
  EXPECT_NE(again.body.find("subscription_id"), std::string::npos) << again.body;
}

}  // namespace
}  // namespace civil::exchange
