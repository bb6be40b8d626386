// End to end: the real eldercare_server, affairs_server and gateway binaries over a real
// PostgreSQL and Redis; HTTP/JSON through the gateway with bearer tokens. A person enrolled at 89
// moves to the 90–99 tier by themselves, is paid twice, a cremation recorded in affairs stops the
// allowance (PersonDeceased through Redis), and the summary counts it all. A 居家养老服务补贴 is
// assessed, approved and paid once; a village station takes its steps in order. A township is
// declared a visit pilot, a visit shrinks the week's worklist and the summary counts the pilot; an
// inspection draw is reproduced from its seed; a run's bank file is downloaded.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/id_number.h"
#include "services/common/values.h"
#include "tests/support/gateway_e2e_test.h"
#include "tests/support/test_ids.h"

namespace civil::eldercare {
namespace {

using json = nlohmann::json;
using civil::affairs::testing::Id;
using civil::testing::HttpResponse;
using Headers = std::map<std::string, std::string>;

class EldercareE2eTest : public civil::testing::GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("affairs", CIVIL_AFFAIRS_SERVER)
                 .Service("eldercare", CIVIL_ELDERCARE_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    clerk_ = stack_->AuthHeaders("e2e-clerk", {"eldercare.clerk"}, "340722");
    reviewer_ = stack_->AuthHeaders("e2e-reviewer", {"eldercare.reviewer"}, "340722");
    auditor_ = stack_->AuthHeaders("e2e-auditor", {"auditor"}, "340722");
    affairs_clerk_ = stack_->AuthHeaders("e2e-funeral-clerk", {"affairs.clerk"}, "340722");
    affairs_reviewer_ = stack_->AuthHeaders("e2e-funeral-reviewer", {"affairs.reviewer"}, "340722");
    ASSERT_TRUE(stack_->Ready());
  }

  inline static Headers clerk_, reviewer_, auditor_, affairs_clerk_, affairs_reviewer_;
};

TEST_F(EldercareE2eTest, EnrolledAt89PaidTwiceAcrossTheTierChangeStoppedByACremation) {
  const absl::CivilMonth now(Today());
  const absl::CivilMonth m1 = now - 2, m2 = now - 1;  // the two months paid
  // 90 on the 15th of the first month paid: 80–89 that month, 90–99 the next.
  const absl::CivilDay birth(m1.year() - 90, m1.month(), 15);
  char digits[9];
  std::snprintf(digits, sizeof digits, "%04d%02d%02d", static_cast<int>(birth.year()),
                birth.month(), birth.day());
  const std::string id = Id(digits, false, 7);

  // Bad input through the gateway: the field is named, nothing is written.
  std::string wrong = id;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  HttpResponse bad = Http("POST", "/v1/eldercare/allowance-enrolments", clerk_,
                          {{"name", "李某"}, {"idNumber", wrong}, {"regionCode", "340722100001"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("id_number: wrong check character"), std::string::npos) << bad.body;
  EXPECT_EQ(Http("GET", "/v1/eldercare/allowance-enrolments", {}).status, 401);

  // Enrolled at 89 on the first day of the first month, approved by a reviewer.
  json enrolled = Ok(Http("POST", "/v1/eldercare/allowance-enrolments", clerk_,
                          {{"name", "李某"},
                           {"idNumber", id},
                           {"regionCode", "340722100001"},
                           {"applicationDate", FormatDay(absl::CivilDay(m1))}}));
  const std::string enrolment_id = enrolled["enrolment"]["enrolmentId"];
  EXPECT_EQ(enrolled["enrolment"]["status"], "ENROLMENT_STATUS_PENDING_APPROVAL");
  const std::string path = "/v1/eldercare/allowance-enrolments/" + enrolment_id;
  json approved = Ok(Http("POST", path + ":approve", reviewer_,
                          {{"decisionDate", FormatDay(absl::CivilDay(m1))}}));
  EXPECT_EQ(approved["enrolment"]["status"], "ENROLMENT_STATUS_ACTIVE");

  // Two monthly runs; the second one again pays nobody twice.
  for (const absl::CivilMonth m : {m1, m2}) {
    json run = Ok(Http("POST", "/v1/eldercare/allowance-payment-runs", reviewer_,
                       {{"month", FormatMonth(m)}, {"regionPrefix", "340722100"}}));
    EXPECT_EQ(run["paid"], 1) << run;
  }
  json rerun = Ok(Http("POST", "/v1/eldercare/allowance-payment-runs", reviewer_,
                       {{"month", FormatMonth(m2)}}));
  EXPECT_EQ(rerun.value("paid", 0), 0) << rerun;
  EXPECT_EQ(rerun["alreadyPaid"], 1) << rerun;

  json got = Ok(Http("GET", path, clerk_));
  ASSERT_EQ(got["enrolment"]["payments"].size(), 2u) << got;
  EXPECT_EQ(got["enrolment"]["payments"][0]["month"], FormatMonth(m1));
  EXPECT_EQ(got["enrolment"]["payments"][0]["tier"], "80-89");
  EXPECT_EQ(got["enrolment"]["payments"][0]["amountFen"], "3000");
  EXPECT_EQ(got["enrolment"]["payments"][1]["tier"], "90-99");
  EXPECT_EQ(got["enrolment"]["payments"][1]["amountFen"], "5000");

  // Affairs records the cremation (death on the first day of the second month paid).
  Ok(Http("POST", "/v1/affairs/funeral-fee-schedules", affairs_reviewer_,
          {{"regionPrefix", "340722"},
           {"effectiveFrom", "2020-01-01"},
           {"items", {{{"code", "CREMATION"}, {"name", "遗体火化"}, {"amountFen", "60000"}}}}}));
  Ok(Http("POST", "/v1/affairs/cremations", affairs_clerk_,
          {{"name", "李某"},
           {"idNumber", id},
           {"dateOfDeath", FormatDay(absl::CivilDay(m2))},
           {"cremationDate", FormatDay(absl::CivilDay(m2) + 1)},
           {"funeralHome", "枞阳县殡仪馆"},
           {"regionCode", "340722100001"}}));
  // PersonDeceased reaches eldercare through the outbox, Redis and its consumer.
  json stopped;
  for (int i = 0; i < 100; ++i) {
    stopped = Ok(Http("GET", path, clerk_));
    if (stopped["enrolment"]["status"] == "ENROLMENT_STATUS_STOPPED") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(stopped["enrolment"]["status"], "ENROLMENT_STATUS_STOPPED") << stack_->Logs();
  EXPECT_EQ(stopped["enrolment"]["endMonth"], FormatMonth(now));
  json after = Ok(Http("POST", "/v1/eldercare/allowance-payment-runs", reviewer_,
                       {{"month", FormatMonth(now)}}));
  EXPECT_EQ(after.value("due", 0), 0) << after;

  // The summary of the two months: one person in 90–99 as of their end, 80 yuan paid.
  const std::string period = "?periodStart=" + FormatDay(absl::CivilDay(m1)) +
                             "&periodEnd=" + FormatDay(absl::CivilDay(now) - 1);
  json summary = Ok(Http("GET", "/v1/eldercare/summary" + period, reviewer_));
  EXPECT_EQ(summary["allowancePersons"], 1) << summary;
  EXPECT_EQ(summary["allowancePaidFen"], "8000") << summary;
  std::map<std::string, json> tiers;
  for (const json& t : summary["allowanceByTier"]) tiers[t["tier"]] = t;
  EXPECT_EQ(tiers["90-99"].value("persons", 0), 1) << summary;
  EXPECT_EQ(tiers["90-99"].value("paidFen", ""), "5000") << summary;
  EXPECT_EQ(tiers["80-89"].value("paidFen", ""), "3000") << summary;
  EXPECT_EQ(summary["lines"][0], "享有高龄津贴1人,发放资金0.01万元") << summary;
  // Up to today the person is no longer receiving it; the money paid stays.
  json today = Ok(Http("GET",
                       "/v1/eldercare/summary?periodStart=" + FormatDay(absl::CivilDay(m1)) +
                           "&periodEnd=" + FormatDay(Today()),
                       reviewer_));
  EXPECT_EQ(today.value("allowancePersons", 0), 0) << today;
  EXPECT_EQ(today["allowancePaidFen"], "8000") << today;
  // A clerk may not read it.
  EXPECT_EQ(Http("GET", "/v1/eldercare/summary" + period, clerk_).status, 403);
}

TEST_F(EldercareE2eTest, AHomeCareSubsidyIsPaidAndAFacilityTakesItsStepsInOrder) {
  const absl::CivilMonth last = absl::CivilMonth(Today()) - 1;
  const std::string id = Id("19500310", true, 8);
  // Bad input: an assessment without any ground is refused naming the field, nothing written.
  HttpResponse bad = Http("POST", "/v1/eldercare/homecare-subsidies", clerk_,
                          {{"name", "王某"},
                           {"idNumber", id},
                           {"regionCode", "340722100001"},
                           {"level", 2},
                           {"assessor", "县养老服务评估中心"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("grounds: at least one"), std::string::npos) << bad.body;
  EXPECT_EQ(
      Ok(Http("GET", "/v1/eldercare/homecare-subsidies", clerk_)).value("subsidies", json()).size(),
      0u);

  // Assessed living alone at level 2 on the first day of last month, approved, paid once.
  json assessed = Ok(Http("POST", "/v1/eldercare/homecare-subsidies", clerk_,
                          {{"name", "王某"},
                           {"idNumber", id},
                           {"regionCode", "340722100001"},
                           {"livingAlone", true},
                           {"level", 2},
                           {"assessmentDate", FormatDay(absl::CivilDay(last))},
                           {"assessor", "县养老服务评估中心"}}));
  const std::string path =
      "/v1/eldercare/homecare-subsidies/" + assessed["subsidy"]["subsidyId"].get<std::string>();
  EXPECT_EQ(assessed["subsidy"]["idNumberMasked"].get<std::string>().find(id.substr(6, 8)),
            std::string::npos);  // masked
  json approved = Ok(Http("POST", path + ":approve", reviewer_, json::object()));
  EXPECT_EQ(approved["subsidy"]["status"], "SUBSIDY_STATUS_ACTIVE");
  json run = Ok(Http("POST", "/v1/eldercare/homecare-payment-runs", reviewer_,
                     {{"month", FormatMonth(last)}}));
  EXPECT_EQ(run["paid"], 1) << run;
  EXPECT_EQ(run["paidFen"], "6000") << run;
  json rerun = Ok(Http("POST", "/v1/eldercare/homecare-payment-runs", reviewer_,
                       {{"month", FormatMonth(last)}}));
  EXPECT_EQ(rerun["alreadyPaid"], 1) << rerun;
  json got = Ok(Http("GET", path, clerk_));
  ASSERT_EQ(got["subsidy"]["payments"].size(), 1u) << got;
  EXPECT_EQ(got["subsidy"]["payments"][0]["level"], "level-2");

  // A village station: a step out of order is refused naming the step; then in order.
  json station = Ok(Http("POST", "/v1/eldercare/facilities", clerk_,
                         {{"kind", "FACILITY_KIND_VILLAGE_STATION"},
                          {"name", "新华社区养老服务站"},
                          {"regionCode", "340722100001"},
                          {"targetYear", Today().year()},
                          {"capacity", 20}}));
  const std::string fpath =
      "/v1/eldercare/facilities/" + station["facility"]["facilityId"].get<std::string>();
  HttpResponse skipped =
      Http("POST", fpath + ":advance", clerk_, {{"status", "FACILITY_STATUS_OPERATING"}});
  EXPECT_EQ(skipped.status, 400) << skipped.body;
  EXPECT_NE(skipped.body.find("the next step is UNDER_CONSTRUCTION"), std::string::npos)
      << skipped.body;
  for (const char* step : {"FACILITY_STATUS_UNDER_CONSTRUCTION", "FACILITY_STATUS_COMPLETED"}) {
    json advanced = Ok(Http("POST", fpath + ":advance", clerk_, {{"status", step}}));
    EXPECT_EQ(advanced["facility"]["status"], step);
  }

  // The summary of last month to today counts both.
  json summary = Ok(Http("GET",
                         "/v1/eldercare/summary?periodStart=" + FormatDay(absl::CivilDay(last)) +
                             "&periodEnd=" + FormatDay(Today()),
                         reviewer_));
  EXPECT_EQ(summary["homecarePersons"], 1) << summary;
  EXPECT_EQ(summary["homecarePaidFen"], "6000") << summary;
  EXPECT_EQ(summary["facilities"][0]["kind"], "VILLAGE_STATION") << summary;
  EXPECT_EQ(summary["facilities"][0]["planned"], 1) << summary;
  EXPECT_EQ(summary["facilities"][0]["built"], 1) << summary;
}

// The picks of a draw recomputed from its record by the algorithm its contract documents
// (Draw.algorithm), independently of the service: std::mt19937_64 seeded with the seed, each pool
// sorted, a partial Fisher–Yates with plain modulo.
std::vector<std::string> Pick(std::mt19937_64& rng, const json& pool_json, size_t k) {
  std::vector<std::string> pool;
  for (const json& id : pool_json) pool.push_back(id.get<std::string>());
  std::sort(pool.begin(), pool.end());
  for (size_t i = 0; i < k; ++i) std::swap(pool[i], pool[i + rng() % (pool.size() - i)]);
  pool.resize(k);
  return pool;
}

TEST_F(EldercareE2eTest, AVisitPilotADrawReproducedFromItsSeedAndARunsBankFile) {
  const std::string township = "340722101", village = "340722101001";
  const std::string today = FormatDay(Today());

  // 探访: a reviewer declares the pilot; two persons on the register; nobody visited this week.
  EXPECT_EQ(Http("POST", "/v1/eldercare/visit-pilots", clerk_, {{"townshipCode", township}}).status,
            403);
  Ok(Http("POST", "/v1/eldercare/visit-pilots", reviewer_,
          {{"townshipCode", township}, {"townshipName", "会宫镇"}}));
  const std::string alone = Id("19380201", true, 31), other = Id("19390302", false, 32);
  for (const std::string& id : {alone, other}) {
    Ok(Http("POST", "/v1/eldercare/visit-persons", clerk_,
            {{"name", "独居老人"}, {"idNumber", id}, {"regionCode", village}}));
  }
  const std::string worklist = "/v1/eldercare/visit-pilots/" + township + "/unvisited";
  json before = Ok(Http("GET", worklist, clerk_));
  EXPECT_EQ(before["unvisited"], 2) << before;
  // A follow-up without its text: refused naming the field, nothing written.
  HttpResponse bad = Http("POST", "/v1/eldercare/visits", clerk_,
                          {{"idNumber", alone},
                           {"visitor", "网格员"},
                           {"findings", "屋顶漏雨"},
                           {"followUpNeeded", true}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("follow_up"), std::string::npos) << bad.body;
  EXPECT_EQ(Ok(Http("GET", worklist, clerk_))["unvisited"], 2);
  json visit = Ok(Http("POST", "/v1/eldercare/visits", clerk_,
                       {{"idNumber", alone},
                        {"visitor", "网格员"},
                        {"findings", "屋顶漏雨"},
                        {"followUpNeeded", true},
                        {"followUp", "联系危房改造"}}));
  EXPECT_EQ(visit["visit"]["visitDate"], today);
  json after = Ok(Http("GET", worklist, clerk_));
  EXPECT_EQ(after["unvisited"], 1) << after;
  ASSERT_EQ(after["persons"].size(), 1u) << after;
  EXPECT_EQ(after["persons"][0]["idNumberMasked"].get<std::string>().find(other.substr(6, 8)),
            std::string::npos);  // masked
  // The summary counts the pilot, by name, with the seed's sentence.
  json summary = Ok(
      Http("GET", "/v1/eldercare/summary?periodStart=" + today + "&periodEnd=" + today, reviewer_));
  EXPECT_EQ(summary["visitPilotTownships"], 1) << summary;
  EXPECT_EQ(summary["visitPilotNames"][0], "会宫镇") << summary;
  EXPECT_EQ(summary["visits"], 1) << summary;
  bool sentence = false;
  for (const json& line : summary["lines"]) {
    sentence |=
        line == "在会宫镇开展特殊困难老年人探视走访试点项目试点,实施特殊困难独居老年人周探访";
  }
  EXPECT_TRUE(sentence) << summary;

  // 双随机: two operating institutions, three inspectors; a draw from a seed, and again.
  for (const char* name : {"会宫镇敬老院", "会宫镇智慧养老院"}) {
    json f = Ok(Http("POST", "/v1/eldercare/facilities", clerk_,
                     {{"kind", "FACILITY_KIND_TOWNSHIP_INSTITUTION"},
                      {"name", name},
                      {"regionCode", village},
                      {"targetYear", Today().year()},
                      {"capacity", 60}}));
    const std::string fpath =
        "/v1/eldercare/facilities/" + f["facility"]["facilityId"].get<std::string>();
    for (const char* step : {"FACILITY_STATUS_UNDER_CONSTRUCTION", "FACILITY_STATUS_COMPLETED",
                             "FACILITY_STATUS_OPERATING"}) {
      Ok(Http("POST", fpath + ":advance", clerk_, {{"status", step}}));
    }
  }
  for (const char* name : {"张检查", "李检查", "王检查"}) {
    Ok(Http("POST", "/v1/eldercare/inspectors", reviewer_,
            {{"name", name}, {"organisation", "县民政局"}, {"regionCode", "340722"}}));
  }
  const json ask = {{"inspectors", 2}, {"institutions", 1}, {"seed", "987654321"}};
  json first = Ok(Http("POST", "/v1/eldercare/inspection-draws", reviewer_, ask))["draw"];
  json second = Ok(Http("POST", "/v1/eldercare/inspection-draws", reviewer_, ask))["draw"];
  EXPECT_EQ(first["seed"], "987654321") << first;
  ASSERT_EQ(first["inspections"].size(), 1u) << first;
  EXPECT_NE(first["drawId"], second["drawId"]);
  EXPECT_EQ(first["inspections"][0]["facilityId"], second["inspections"][0]["facilityId"]);
  EXPECT_EQ(first["inspectors"], second["inspectors"]);
  // Anyone with the published record recomputes it.
  json published =
      Ok(Http("GET", "/v1/eldercare/inspection-draws/" + first["drawId"].get<std::string>(),
              auditor_))["draw"];
  std::mt19937_64 rng(987654321ULL);
  const std::vector<std::string> inspectors = Pick(rng, published["inspectorPool"], 2);
  const std::vector<std::string> institutions = Pick(rng, published["institutionPool"], 1);
  EXPECT_EQ(inspectors[0], published["inspectors"][0]["inspectorId"]) << published;
  EXPECT_EQ(inspectors[1], published["inspectors"][1]["inspectorId"]) << published;
  EXPECT_EQ(institutions[0], published["inspections"][0]["facilityId"]) << published;

  // The bank file of a 高龄津贴 run: masked, then in full for a reviewer's reason.
  const absl::CivilMonth last = absl::CivilMonth(Today()) - 1;
  const std::string payee = Id("19300105", true, 33);
  json enrolled = Ok(Http("POST", "/v1/eldercare/allowance-enrolments", clerk_,
                          {{"name", "高龄老人"},
                           {"idNumber", payee},
                           {"regionCode", village},
                           {"applicationDate", FormatDay(absl::CivilDay(last))}}));
  Ok(Http("POST",
          "/v1/eldercare/allowance-enrolments/" +
              enrolled["enrolment"]["enrolmentId"].get<std::string>() + ":approve",
          reviewer_, {{"decisionDate", FormatDay(absl::CivilDay(last))}}));
  json run = Ok(Http("POST", "/v1/eldercare/allowance-payment-runs", reviewer_,
                     {{"month", FormatMonth(last)}, {"regionPrefix", township}}));
  ASSERT_EQ(run["paid"], 1) << run;
  const std::string file =
      "/v1/eldercare/allowance-payment-runs/" + run["runId"].get<std::string>() + "/bank-file";
  json masked = Ok(Http("GET", file, reviewer_));
  EXPECT_EQ(I64(masked, "rows"), 1) << masked;
  EXPECT_EQ(masked.value("fileName", ""),
            "bank-OLD_AGE_ALLOWANCE-" + FormatMonth(last) + "-" + township + ".csv");
  std::string csv;
  ASSERT_TRUE(absl::Base64Unescape(masked.value("content", ""), &csv)) << masked;
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << csv;
  EXPECT_EQ(lines[0], "序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目");
  EXPECT_EQ(csv.find(payee), std::string::npos) << csv;
  EXPECT_NE(lines[1].find(",高龄津贴"), std::string::npos) << lines[1];
  json full =
      Ok(Http("GET", file + "?revealReason=%E6%8A%A5%E9%80%81%E9%93%B6%E8%A1%8C", reviewer_));
  EXPECT_EQ(full.value("fullIdNumbers", false), true) << full;
  ASSERT_TRUE(absl::Base64Unescape(full.value("content", ""), &csv));
  EXPECT_NE(csv.find(payee), std::string::npos) << csv;
  EXPECT_EQ(Http("GET", file, clerk_).status, 403);
}

// A stop that should not have been (the person never left the county) is reversed on an upheld
// grievance, confirmed by a second reviewer; the months it passed over are paid back once, in the
// bank file of the region's next run (issue 18).
TEST_F(EldercareE2eTest, AStopReversedOnAGrievanceIsPaidBackInTheNextRunsBankFile) {
  const std::string township = "340722102", village = "340722102001";
  const absl::CivilMonth now(Today());
  const absl::CivilMonth m0 = now - 3, m1 = now - 2, m2 = now - 1;
  auto run = [&](absl::CivilMonth m) {
    return Ok(Http("POST", "/v1/eldercare/allowance-payment-runs", reviewer_,
                   {{"month", FormatMonth(m)}, {"regionPrefix", township}}));
  };
  const json enrolled = Ok(Http("POST", "/v1/eldercare/allowance-enrolments", clerk_,
                                {{"name", "高龄老人乙"},
                                 {"idNumber", Id("19400310", true, 41)},
                                 {"regionCode", village},
                                 {"applicationDate", FormatDay(absl::CivilDay(m0))}}));
  const std::string enrolment = enrolled["enrolment"]["enrolmentId"];
  const std::string path = "/v1/eldercare/allowance-enrolments/" + enrolment;
  Ok(Http("POST", path + ":approve", reviewer_, {{"decisionDate", FormatDay(absl::CivilDay(m0))}}));
  EXPECT_EQ(run(m0)["paid"], 1);
  Ok(Http("POST", path + ":stop", reviewer_,
          {{"date", FormatDay(absl::CivilDay(m0) + 19)}, {"reason", "moved out of the county"}}));
  EXPECT_EQ(run(m1).value("paid", 0), 0);
  EXPECT_EQ(run(m2).value("paid", 0), 0);

  // The family asks for reconsideration; the clerk files and answers it, a reviewer upholds it,
  // and because it pays money a second reviewer confirms it.
  const json filed = Ok(Http("POST", "/v1/eldercare/grievances", clerk_,
                             {{"kind", "RECONSIDERATION"},
                              {"caseKind", "ALLOWANCE"},
                              {"caseId", enrolment},
                              {"complainant", "老人家属"},
                              {"category", "高龄津贴停发"},
                              {"receivedOn", FormatDay(Today())}}));
  const std::string g =
      "/v1/eldercare/grievances/" + filed["grievance"]["grievanceId"].get<std::string>();
  Ok(Http("POST", g + ":assign", clerk_, {{"assignee", "handler-1"}}));
  Ok(Http("POST", g + ":respond", clerk_, {{"response", "经复查，本人仍在县内居住"}}));
  const json decided = Ok(Http("POST", g + ":decide", reviewer_, {{"outcome", "UPHELD"}}));
  EXPECT_EQ(decided["grievance"]["status"], "AWAITING_CONFIRMATION") << decided;
  EXPECT_EQ(Http("POST", g + ":confirm", reviewer_, json::object()).status, 403);
  const Headers second = stack_->AuthHeaders("e2e-reviewer-2", {"eldercare.reviewer"}, "340722");
  const json confirmed = Ok(Http("POST", g + ":confirm", second, json::object()));
  // Owed: every month from the stop that a run paid the village (this township's runs of m1 and
  // m2, and the county's runs of the suite's other tests, of later months).
  const std::string reopened = confirmed["grievance"].value("reopened", "");
  int months = 0;
  long long fen = 0;
  ASSERT_EQ(std::sscanf(reopened.c_str(), "stop reversed, back-payment %d month(s), %lld fen",
                        &months, &fen),
            2)
      << confirmed;
  EXPECT_GE(months, 2) << reopened;
  EXPECT_EQ(fen, months * 3000LL) << reopened;
  EXPECT_EQ(Ok(Http("GET", path, reviewer_))["enrolment"]["status"], "ENROLMENT_STATUS_ACTIVE");

  // The region's next run (its last month again: nobody paid twice) settles them, and its bank
  // file pays them, marked 补发, m1 and m2 among them.
  const json again = run(m2);
  EXPECT_EQ(again.value("paid", 0), 0) << again;
  EXPECT_EQ(again["adjustmentsSettled"], months) << again;
  EXPECT_EQ(again["adjustmentsFen"], std::to_string(fen)) << again;
  const json file = Ok(Http(
      "GET",
      "/v1/eldercare/allowance-payment-runs/" + again["runId"].get<std::string>() + "/bank-file",
      reviewer_));
  EXPECT_EQ(I64(file, "rows"), months) << file;
  std::string csv;
  ASSERT_TRUE(absl::Base64Unescape(file.value("content", ""), &csv)) << file;
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(months) + 1) << csv;
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_TRUE(absl::EndsWith(lines[i], "," + std::string(village) + ",高龄津贴(补发)"))
        << lines[i];
    EXPECT_NE(lines[i].find(",30.00,"), std::string::npos) << lines[i];
  }
  EXPECT_NE(lines[1].find("," + FormatMonth(m1) + ","), std::string::npos) << csv;
  EXPECT_NE(lines[2].find("," + FormatMonth(m2) + ","), std::string::npos) << csv;
  // Run again: nothing is paid or settled twice.
  const json once = run(m2);
  EXPECT_EQ(once.value("paid", 0), 0) << once;
  EXPECT_EQ(once.value("adjustmentsSettled", 0), 0) << once;
}

}  // namespace
}  // namespace civil::eldercare
