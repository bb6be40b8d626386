// End to end: the real eldercare_server, affairs_server and gateway binaries over a real
// PostgreSQL and Redis; HTTP/JSON through the gateway with bearer tokens. A person enrolled at 89
// moves to the 90–99 tier by themselves, is paid twice, a cremation recorded in affairs stops the
// allowance (PersonDeceased through Redis), and the summary counts it all. A 居家养老服务补贴 is
// assessed, approved and paid once; a village station takes its steps in order.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

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
    affairs_clerk_ = stack_->AuthHeaders("e2e-funeral-clerk", {"affairs.clerk"}, "340722");
    affairs_reviewer_ = stack_->AuthHeaders("e2e-funeral-reviewer", {"affairs.reviewer"}, "340722");
    ASSERT_TRUE(stack_->Ready());
  }

  inline static Headers clerk_, reviewer_, affairs_clerk_, affairs_reviewer_;
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

}  // namespace
}  // namespace civil::eldercare
