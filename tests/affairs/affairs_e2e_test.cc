// End to end: the real affairs_server, assistance_server and gateway binaries over a real
// PostgreSQL and Redis; HTTP/JSON through the gateway with bearer tokens (the gateway verifies
// them and forwards the caller's subject, roles and region to the services).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/id_number.h"
#include "services/common/tls.h"
#include "tests/support/e2e_stack.h"
#include "tests/support/test_ids.h"

namespace civil::affairs {
namespace {

using json = nlohmann::json;
using civil::testing::HttpResponse;
using testing::Id;

using Headers = std::map<std::string, std::string>;

std::string DaysAgo(int n) { return FormatDay(Today() - n); }

class AffairsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // assistance_server first: affairs_server asks it about 低保 enrolments.
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Service("affairs", CIVIL_AFFAIRS_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET)
                 .Start();
    keys_ = &stack_->keys();
    affairs_ = &stack_->service("affairs");
    clerk_ = new Headers(stack_->AuthHeaders("e2e-clerk", {"affairs.clerk"}, "340722"));
    reviewer_ = new Headers(stack_->AuthHeaders("e2e-reviewer", {"affairs.reviewer"}, "340722"));
    ASSERT_TRUE(stack_->Ready());
  }

  static void TearDownTestSuite() {
    delete clerk_;
    delete reviewer_;
    stack_.reset();
  }

  static std::string Logs() { return stack_->Logs(); }

  // As the clerk unless other `headers` are given.
  static HttpResponse Http(const std::string& method, const std::string& target,
                           const json& body = nullptr, const Headers* headers = nullptr) {
    return stack_->Http(method, target, body.is_null() ? "" : body.dump(),
                        headers != nullptr ? *headers : *clerk_);
  }

  static json Ok(const HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  // Days before today on which each step of a 低保 application happened.
  struct DibaoSteps {
    int submitted, investigated, published, approved;
  };

  // Enrols a one-person rural household in 低保 through assistance's API (application,
  // investigation with no income, notice, approval by another person) and returns the enrolment
  // id; the 低保 standard must already be set.
  static std::string EnrolInDibao(const std::string& id, const std::string& name,
                                  const std::string& village, DibaoSteps days, const Headers& clerk,
                                  const Headers& reviewer) {
    json household = {
        {"regionCode", village},
        {"area", "AREA_RURAL"},
        {"members", {{{"name", name}, {"idNumber", id}, {"relation", "RELATION_HEAD"}}}}};
    HttpResponse h = Http("POST", "/v1/assistance/households", household, &clerk);
    EXPECT_EQ(h.status, 200) << h.body;
    const std::string household_id = json::parse(h.body)["household"]["householdId"];
    HttpResponse app = Http("POST", "/v1/assistance/applications",
                            {{"programme", "PROGRAMME_DIBAO"},
                             {"householdId", household_id},
                             {"submittedOn", DaysAgo(days.submitted)}},
                            &clerk);
    EXPECT_EQ(app.status, 200) << app.body;
    const std::string app_path =
        "/v1/assistance/applications/" +
        json::parse(app.body)["application"]["applicationId"].get<std::string>();
    HttpResponse step = Http("POST", app_path + ":investigate",
                             {{"householdMonthlyIncomeFen", 0},
                              {"assetsWithinLimits", true},
                              {"investigatedOn", DaysAgo(days.investigated)}},
                             &clerk);
    EXPECT_EQ(step.status, 200) << step.body;
    step = Http("POST", app_path + ":publish", {{"noticeStart", DaysAgo(days.published)}}, &clerk);
    EXPECT_EQ(step.status, 200) << step.body;
    step = Http("POST", app_path + ":approve", {{"decidedOn", DaysAgo(days.approved)}}, &reviewer);
    EXPECT_EQ(step.status, 200) << step.body;
    return json::parse(step.body)["enrolment"].value("enrolmentId", "");
  }

  static json Marriage(const std::string& man, const std::string& woman, const std::string& date,
                       const std::string& certificate) {
    return {{"partyA", {{"name", "新郎"}, {"idNumber", man}}},
            {"partyB", {{"name", "新娘"}, {"idNumber", woman}}},
            {"registrationDate", date},
            {"certificateNumber", certificate},
            {"regionCode", "340722"}};
  }

  inline static std::unique_ptr<civil::testing::E2eStack> stack_;
  // The parts of the stack the tests below use by name.
  inline static const civil::testing::TestKeys* keys_ = nullptr;
  inline static civil::testing::Process* affairs_ = nullptr;  // affairs_server
  inline static Headers* clerk_ = nullptr;
  inline static Headers* reviewer_ = nullptr;
};

TEST_F(AffairsE2eTest, RecordsACremationThroughTheGatewayAndReadsItBack) {
  json schedule = {{"regionPrefix", "340722"},
                   {"effectiveFrom", "2020-01-01"},
                   {"items",
                    {{{"code", "CREMATION"}, {"name", "遗体火化"}, {"amountFen", "60000"}},
                     {{"code", "URN"}, {"name", "骨灰盒"}, {"amountFen", 20000}}}}};
  ASSERT_EQ(Http("POST", "/v1/affairs/funeral-fee-schedules", schedule, reviewer_).status, 200)
      << Logs();
  const std::string id = Id("19400315", true, 1);
  json cremation = {{"name", "王某"},
                    {"idNumber", id},
                    {"dateOfDeath", DaysAgo(3)},
                    {"cremationDate", DaysAgo(1)},
                    {"funeralHome", "枞阳县殡仪馆"},
                    {"regionCode", "340722100001"}};
  HttpResponse created = Http("POST", "/v1/affairs/cremations", cremation);
  ASSERT_EQ(created.status, 200) << created.body << Logs();
  json c = json::parse(created.body)["cremation"];
  EXPECT_EQ(c["idNumberMasked"], "340722********" + id.substr(14));
  EXPECT_EQ(c["waivedFen"], "80000");  // int64 is a JSON string in proto3 JSON
  EXPECT_EQ(c["feesWaived"], true);
  EXPECT_EQ(created.body.find(id), std::string::npos) << "clear ID number in a response";

  HttpResponse got = Http("GET", "/v1/affairs/cremations/" + c["cremationId"].get<std::string>());
  EXPECT_EQ(Ok(got)["cremation"], c);
  HttpResponse again = Http("POST", "/v1/affairs/cremations", cremation);
  EXPECT_EQ(again.status, 409) << again.body;
  HttpResponse listed = Http("GET", "/v1/affairs/cremations?regionPrefix=340722100&pageSize=10");
  EXPECT_EQ(Ok(listed)["cremations"].size(), 1u);

  // Bad input: 400 naming the field; no identity: 401; a foreign role: 403.
  cremation["idNumber"] = id;
  cremation["cremationDate"] = DaysAgo(-1);
  HttpResponse future = Http("POST", "/v1/affairs/cremations", cremation);
  EXPECT_EQ(future.status, 400);
  EXPECT_NE(future.body.find("cremation_date: must not be in the future"), std::string::npos)
      << future.body;
  const Headers anonymous;
  EXPECT_EQ(Http("POST", "/v1/affairs/cremations", cremation, &anonymous).status, 401);
  const Headers other = {{"Authorization", civil::testing::Bearer(*keys_, "e2e-other",
                                                                  {"assistance.clerk"}, "340722")}};
  EXPECT_EQ(Http("POST", "/v1/affairs/cremations", cremation, &other).status, 403);
  // A clerk of another township may not record a cremation here.
  const Headers township = {
      {"Authorization",
       civil::testing::Bearer(*keys_, "e2e-town", {"affairs.clerk"}, "340722200")}};
  cremation["cremationDate"] = DaysAgo(1);
  HttpResponse foreign = Http("POST", "/v1/affairs/cremations", cremation, &township);
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_NE(foreign.body.find("outside your scope 340722200"), std::string::npos) << foreign.body;
}

TEST_F(AffairsE2eTest, AnUnderAgeMarriageIsA400NamingTheRule) {
  const absl::CivilDay today = Today();
  if (today.month() == 2 && today.day() == 29) GTEST_SKIP() << "no 29 February 22 years ago";
  // A man who turns 22 today.
  const absl::CivilDay born(today.year() - 22, today.month(), today.day());
  char birth[9];
  std::snprintf(birth, sizeof birth, "%04d%02d%02d", static_cast<int>(born.year()), born.month(),
                born.day());
  const std::string groom = Id(birth, true, 2);
  const std::string bride = Id("19990101", false, 2);
  HttpResponse young =
      Http("POST", "/v1/affairs/marriages", Marriage(groom, bride, DaysAgo(1), "J-E2E-1"));
  EXPECT_EQ(young.status, 400) << young.body;
  json error = json::parse(young.body);
  EXPECT_EQ(error["code"], 9);  // FAILED_PRECONDITION
  EXPECT_NE(error["message"].get<std::string>().find(
                "party_a: under the legal marriage age (民法典第1047条): a man may marry from 22"),
            std::string::npos)
      << young.body;
  // On his birthday (today) he may.
  HttpResponse ok = Http("POST", "/v1/affairs/marriages", Marriage(groom, bride, "", "J-E2E-1"));
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["marriage"]["parties"][0]["ageAtRegistration"], 22);
}

TEST_F(AffairsE2eTest, DivorceDatesDriveTheApplicationThroughTheGateway) {
  const std::string man = Id("19880101", true, 3), woman = Id("19900101", false, 3);
  ASSERT_EQ(
      Http("POST", "/v1/affairs/marriages", Marriage(man, woman, "2015-10-01", "J-E2E-3")).status,
      200);
  // Applied 40 days ago: the cooling-off period ended 10 days ago, or on the next working day when
  // that was a rest day (民法典 第203条; the clock's year has no holidays in the shipped calendar,
  // so only weekends move it); the window runs 30 days from there, to a working day too.
  const auto working = [](absl::CivilDay d) {
    while (absl::GetWeekday(d) == absl::Weekday::saturday ||
           absl::GetWeekday(d) == absl::Weekday::sunday) {
      ++d;
    }
    return d;
  };
  const absl::CivilDay cooling_off_end = working(Today() - 10);
  const std::string cooling_off_end_text = FormatDay(cooling_off_end);
  json applied = Ok(Http("POST", "/v1/affairs/divorce-applications",
                         {{"partyAIdNumber", man},
                          {"partyBIdNumber", woman},
                          {"applicationDate", DaysAgo(40)},
                          {"regionCode", "340722"}}))["application"];
  EXPECT_EQ(applied["state"], "DIVORCE_STATE_AWAITING_CERTIFICATE");
  EXPECT_EQ(applied["coolingOffEndDate"], cooling_off_end_text);
  EXPECT_EQ(applied["windowEndDate"], FormatDay(working(cooling_off_end + 30)));
  const std::string path =
      "/v1/affairs/divorce-applications/" + applied["applicationId"].get<std::string>();

  // Seen on day 30 (ten days ago) it was still cooling off.
  json then = Ok(Http("GET", path + "?asOf=" + DaysAgo(10)))["application"];
  EXPECT_EQ(then["state"], "DIVORCE_STATE_COOLING_OFF");
  // A withdrawal now is too late; a completion dated inside the cooling-off period is refused.
  HttpResponse late = Http("POST", path + ":withdraw", {{"party", "PARTY_SIDE_A"}});
  EXPECT_EQ(late.status, 400) << late.body;
  EXPECT_NE(late.body.find("cooling-off period ended on " + cooling_off_end_text),
            std::string::npos);
  HttpResponse early =
      Http("POST", path + ":complete", {{"date", DaysAgo(10)}, {"certificateNumber", "L-E2E-3"}});
  EXPECT_EQ(early.status, 400) << early.body;
  // Completed today (day 40): the marriage ends.
  json done =
      Ok(Http("POST", path + ":complete", {{"certificateNumber", "L-E2E-3"}}))["application"];
  EXPECT_EQ(done["state"], "DIVORCE_STATE_COMPLETED");
  EXPECT_EQ(done["completedDate"], DaysAgo(0));

  // Another couple applied 66 days ago and never came back: deemed withdrawn, untouched (its
  // periods end at most 4 rest days later than days 30 and 60).
  const std::string m2 = Id("19880101", true, 4), w2 = Id("19900101", false, 4);
  ASSERT_EQ(Http("POST", "/v1/affairs/marriages", Marriage(m2, w2, "2016-10-01", "J-E2E-4")).status,
            200);
  json lapsed = Ok(Http("POST", "/v1/affairs/divorce-applications",
                        {{"partyAIdNumber", m2},
                         {"partyBIdNumber", w2},
                         {"applicationDate", DaysAgo(66)},
                         {"regionCode", "340722"}}))["application"];
  EXPECT_EQ(lapsed["state"], "DIVORCE_STATE_WITHDRAWN_BY_LAW");
  HttpResponse too_late = Http("POST",
                               "/v1/affairs/divorce-applications/" +
                                   lapsed["applicationId"].get<std::string>() + ":complete",
                               {{"certificateNumber", "L-E2E-4"}});
  EXPECT_EQ(too_late.status, 400);
  EXPECT_NE(too_late.body.find("deemed withdrawn"), std::string::npos) << too_late.body;
  json list =
      Ok(Http("GET", "/v1/affairs/divorce-applications?state=DIVORCE_STATE_WITHDRAWN_BY_LAW"));
  ASSERT_EQ(list["applications"].size(), 1u);
  EXPECT_EQ(list["applications"][0]["applicationId"], lapsed["applicationId"]);

  json summary = Ok(Http("GET", "/v1/affairs/summary?periodStart=" + DaysAgo(70)))["marriage"];
  EXPECT_EQ(summary["divorceApplications"], "2");
  EXPECT_EQ(summary["divorcesCompleted"], "1");
  EXPECT_EQ(summary["divorcesWithdrawnByLaw"], "1");
}

// The 低保 check goes to the running assistance service: a person with no enrolment is refused;
// once assistance has enrolled the person's household (its own workflow, through the gateway),
// the living subsidy is granted with that enrolment.
TEST_F(AffairsE2eTest, TheLivingSubsidyAsksTheRunningAssistanceService) {
  const std::string id = Id("19700101", false, 5);
  json person = {{"name", "李某"},
                 {"idNumber", id},
                 {"regionCode", "340722100002"},
                 {"category", "DISABILITY_CATEGORY_PHYSICAL"},
                 {"grade", 1},
                 {"certifiedDate", "2020-01-01"},
                 {"longTermCare", true}};
  json registered = Ok(Http("POST", "/v1/affairs/disabled-persons", person))["person"];
  const std::string path =
      "/v1/affairs/disabled-persons/" + registered["personId"].get<std::string>() + "/subsidies";
  // The care subsidy needs no other department.
  json care = Ok(Http("POST", path, {{"kind", "SUBSIDY_KIND_CARE"}}))["subsidy"];
  EXPECT_EQ(care["status"], "SUBSIDY_STATUS_ACTIVE");

  // Not (yet) in 低保: refused, nothing written.
  HttpResponse refused = Http("POST", path, {{"kind", "SUBSIDY_KIND_LIVING"}});
  EXPECT_EQ(refused.status, 400) << refused.body << Logs();
  EXPECT_NE(refused.body.find("no active 低保 enrolment on " + DaysAgo(0)), std::string::npos)
      << refused.body;

  // Assistance enrols the person's household in 低保: standard, household, application,
  // investigation, 7-day notice, approval by another person; enrolled from the next month.
  const Headers a_clerk = {
      {"Authorization", civil::testing::Bearer(*keys_, "a-clerk", {"assistance.clerk"}, "340722")}};
  const Headers a_reviewer = {
      {"Authorization",
       civil::testing::Bearer(*keys_, "a-reviewer", {"assistance.reviewer"}, "340722")}};
  json standard = {{"standard",
                    {{"programme", "PROGRAMME_DIBAO"},
                     {"area", "AREA_RURAL"},
                     {"regionPrefix", "340722"},
                     {"effectiveFrom", "2020-01-01"},
                     {"monthlyFen", 60000},
                     {"reason", "e2e"}}}};
  HttpResponse set = Http("POST", "/v1/assistance/standards", standard, &a_reviewer);
  ASSERT_EQ(set.status, 200) << set.body;
  const std::string enrolment_id =
      EnrolInDibao(id, "李某", "340722100002", {70, 65, 60, 45}, a_clerk, a_reviewer);
  ASSERT_FALSE(enrolment_id.empty()) << Logs();

  json living = Ok(Http("POST", path, {{"kind", "SUBSIDY_KIND_LIVING"}}))["subsidy"];
  EXPECT_EQ(living["status"], "SUBSIDY_STATUS_ACTIVE") << living.dump();
  EXPECT_EQ(living["dibaoEnrolmentId"], enrolment_id);

  // Monthly payment run, exactly once.
  json care_standard = {{"kind", "SUBSIDY_KIND_CARE"},
                        {"regionPrefix", "340722"},
                        {"effectiveMonth", FormatDay(Today()).substr(0, 7)},
                        {"monthlyFen", 10000}};
  ASSERT_EQ(Http("POST", "/v1/affairs/subsidy-standards", care_standard, reviewer_).status, 200);
  json run = {{"kind", "SUBSIDY_KIND_CARE"}, {"month", FormatDay(Today()).substr(0, 7)}};
  json first = Ok(Http("POST", "/v1/affairs/subsidy-payment-runs", run, reviewer_));
  EXPECT_EQ(first["paid"], 1);
  json second = Ok(Http("POST", "/v1/affairs/subsidy-payment-runs", run, reviewer_));
  EXPECT_EQ(second.value("paid", 0), 0);
  EXPECT_EQ(second["alreadyPaid"], 1);

  // The run's bank file (一卡通): masked for the reviewer, full with a reason, the payee then in
  // the ID-view trail; a clerk may not export it.
  const std::string file =
      "/v1/affairs/subsidy-payment-runs/" + first["runId"].get<std::string>() + "/bank-file";
  json masked = Ok(Http("GET", file, {}, reviewer_));
  EXPECT_EQ(masked.value("rows", ""), "1") << masked;
  EXPECT_EQ(masked.value("fileName", ""),
            "bank-DISABILITY_CARE-" + FormatDay(Today()).substr(0, 7) + "-340722.csv");
  std::string csv;
  ASSERT_TRUE(absl::Base64Unescape(masked.value("content", ""), &csv)) << masked;
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << csv;
  EXPECT_TRUE(absl::EndsWith(
      lines[1], ",100.00," + FormatDay(Today()).substr(0, 7) + ",340722100002,重度残疾人护理补贴"))
      << lines[1];
  EXPECT_EQ(csv.find(id), std::string::npos);
  json full =
      Ok(Http("GET", file + "?revealReason=%E6%8A%A5%E9%80%81%E9%93%B6%E8%A1%8C", {}, reviewer_));
  EXPECT_EQ(full["fullIdNumbers"], true);
  ASSERT_TRUE(absl::Base64Unescape(full.value("content", ""), &csv)) << full;
  EXPECT_NE(csv.find(id), std::string::npos);
  const Headers auditor = stack_->AuthHeaders("e2e-auditor", {"auditor"}, "340722");
  json trail = Ok(Http("GET", "/v1/affairs/id-views?actor=e2e-reviewer", {}, &auditor));
  ASSERT_FALSE(trail["views"].empty()) << trail;
  EXPECT_EQ(trail["views"][0]["method"], "ExportSubsidyBankFile") << trail;
  EXPECT_EQ(Http("GET", file, {}, clerk_).status, 403);
}

// The platform's death signal, across departments and real processes: a cremation recorded in
// affairs reaches assistance through the outbox, the relay and Redis Streams; the person's 低保
// ends from the month after death and the next disbursement does not pay them.
TEST_F(AffairsE2eTest, ACremationEndsTheDibaoAndTheSubsidiesAcrossDepartments) {
  const std::string id = Id("19480101", true, 8);
  const std::string village = "340722100077";
  const Headers a_clerk = {
      {"Authorization", civil::testing::Bearer(*keys_, "a-clerk", {"assistance.clerk"}, "340722")}};
  const Headers a_reviewer = {
      {"Authorization",
       civil::testing::Bearer(*keys_, "a-reviewer", {"assistance.reviewer"}, "340722")}};
  json standard = {{"standard",
                    {{"programme", "PROGRAMME_DIBAO"},
                     {"area", "AREA_RURAL"},
                     {"regionPrefix", "340722"},
                     {"effectiveFrom", "2020-01-01"},
                     {"monthlyFen", 60000},
                     {"reason", "e2e"}}}};
  HttpResponse set = Http("POST", "/v1/assistance/standards", standard, &a_reviewer);
  ASSERT_TRUE(set.status == 200 || set.status == 409) << set.body;
  const std::string enrolment_id =
      EnrolInDibao(id, "赵某", village, {90, 88, 86, 75}, a_clerk, a_reviewer);
  ASSERT_FALSE(enrolment_id.empty()) << Logs();

  // Social affairs grants the living subsidy (assistance confirms the 低保 enrolment).
  json person = {{"name", "赵某"},
                 {"idNumber", id},
                 {"regionCode", village},
                 {"category", "DISABILITY_CATEGORY_PHYSICAL"},
                 {"grade", 2},
                 {"certifiedDate", "2020-01-01"},
                 {"longTermCare", false}};
  json registered = Ok(Http("POST", "/v1/affairs/disabled-persons", person))["person"];
  json living = Ok(Http(
      "POST",
      "/v1/affairs/disabled-persons/" + registered["personId"].get<std::string>() + "/subsidies",
      {{"kind", "SUBSIDY_KIND_LIVING"}}))["subsidy"];
  ASSERT_EQ(living["status"], "SUBSIDY_STATUS_ACTIVE") << living.dump();

  // The death, 32 days ago (always in an earlier month than today).
  const std::string died = DaysAgo(32);
  json cremation = {{"name", "赵某"},
                    {"idNumber", id},
                    {"dateOfDeath", died},
                    {"cremationDate", DaysAgo(30)},
                    {"funeralHome", "枞阳县殡仪馆"},
                    {"regionCode", village}};
  ASSERT_EQ(Http("POST", "/v1/affairs/cremations", cremation).status, 200) << Logs();
  const auto recorded = std::chrono::steady_clock::now();
  json enrolment;
  for (int i = 0; i < 100; ++i) {
    enrolment = json::parse(
        Http("GET", "/v1/assistance/enrolments/" + enrolment_id, nullptr, &a_reviewer).body,
        nullptr, false)["enrolment"];
    if (enrolment.value("status", "") == "ENROLMENT_STATUS_ENDED") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto elapsed = std::chrono::steady_clock::now() - recorded;
  ASSERT_EQ(enrolment.value("status", ""), "ENROLMENT_STATUS_ENDED") << enrolment.dump() << Logs();
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_EQ(enrolment["exitReason"], "EXIT_REASON_DEATH");
  EXPECT_EQ(enrolment["endMonth"], died.substr(0, 7));  // the month of death is the last paid
  json stopped = Ok(Http("GET", "/v1/affairs/subsidies/" + living["subsidyId"].get<std::string>()));
  EXPECT_EQ(stopped["subsidy"]["status"], "SUBSIDY_STATUS_STOPPED") << stopped.dump();

  // This month's disbursement for the village pays nobody; the month of death was still paid.
  const std::string this_month = FormatDay(Today()).substr(0, 7);
  json now_run = json::parse(
      Http("POST", "/v1/assistance/disbursements",
           {{"programme", "PROGRAMME_DIBAO"}, {"month", this_month}, {"regionPrefix", village}},
           &a_reviewer)
          .body,
      nullptr, false);
  EXPECT_EQ(now_run["batch"].value("payments", "0"), "0") << now_run.dump();
  json death_month = json::parse(Http("POST", "/v1/assistance/disbursements",
                                      {{"programme", "PROGRAMME_DIBAO"},
                                       {"month", died.substr(0, 7)},
                                       {"regionPrefix", village}},
                                      &a_reviewer)
                                     .body,
                                 nullptr, false);
  EXPECT_EQ(death_month["batch"].value("payments", "0"), "1") << death_month.dump();
}

// A death is a fact about a person, whichever department records it: a reviewer ends a
// member's 低保 in assistance for death (decided 2023-03-10, last month paid March); the
// PersonDeceased that assistance publishes reaches affairs, which stops the person's
// severe-disability care subsidy after March and ends the marriage. The April run pays nothing.
// A cremation recorded later with an earlier date of death moves the stop earlier.
TEST_F(AffairsE2eTest, ADibaoExitForDeathStopsTheCareSubsidyAndEndsTheMarriage) {
  const std::string id = Id("19450101", true, 9);
  const std::string wife = Id("19470101", false, 9);
  const std::string village = "340722100088";
  // Callers of their own, so that the rate limits the other tests used up do not apply.
  const Headers clerk = stack_->AuthHeaders("e2e-clerk-9", {"affairs.clerk"}, "340722");
  const Headers reviewer = stack_->AuthHeaders("e2e-reviewer-9", {"affairs.reviewer"}, "340722");
  const Headers a_clerk = stack_->AuthHeaders("a-clerk-9", {"assistance.clerk"}, "340722");
  const Headers a_reviewer = stack_->AuthHeaders("a-reviewer-9", {"assistance.reviewer"}, "340722");
  json standard = {{"standard",
                    {{"programme", "PROGRAMME_DIBAO"},
                     {"area", "AREA_RURAL"},
                     {"regionPrefix", "340722"},
                     {"effectiveFrom", "2020-01-01"},
                     {"monthlyFen", 60000},
                     {"reason", "e2e"}}}};
  HttpResponse set = Http("POST", "/v1/assistance/standards", standard, &a_reviewer);
  ASSERT_TRUE(set.status == 200 || set.status == 409) << set.body;
  // Enrolled in 低保 from February 2023 (approved 2023-01-16 after the 7-day notice).
  const absl::CivilDay today = Today();
  auto ago = [&](absl::CivilDay day) { return static_cast<int>(today - day); };
  const std::string enrolment_id =
      EnrolInDibao(id, "孙某", village,
                   {ago(absl::CivilDay(2023, 1, 4)), ago(absl::CivilDay(2023, 1, 6)),
                    ago(absl::CivilDay(2023, 1, 8)), ago(absl::CivilDay(2023, 1, 16))},
                   a_clerk, a_reviewer);
  ASSERT_FALSE(enrolment_id.empty()) << Logs();

  // Affairs: grade 1 needing long-term care, the care subsidy from January 2023, and a marriage.
  json person = {{"name", "孙某"},
                 {"idNumber", id},
                 {"regionCode", village},
                 {"category", "DISABILITY_CATEGORY_PHYSICAL"},
                 {"grade", 1},
                 {"certifiedDate", "2020-01-01"},
                 {"longTermCare", true}};
  json registered = Ok(Http("POST", "/v1/affairs/disabled-persons", person, &clerk))["person"];
  json care = Ok(Http(
      "POST",
      "/v1/affairs/disabled-persons/" + registered["personId"].get<std::string>() + "/subsidies",
      {{"kind", "SUBSIDY_KIND_CARE"}, {"applicationDate", "2023-01-05"}}, &clerk))["subsidy"];
  ASSERT_EQ(care["status"], "SUBSIDY_STATUS_ACTIVE") << care.dump();
  json care_standard = {{"kind", "SUBSIDY_KIND_CARE"},
                        {"regionPrefix", village},
                        {"effectiveMonth", "2023-01"},
                        {"monthlyFen", 10000}};
  ASSERT_EQ(Http("POST", "/v1/affairs/subsidy-standards", care_standard, &reviewer).status, 200);
  json married = Ok(
      Http("POST", "/v1/affairs/marriages", Marriage(id, wife, "1970-05-01", "J-E2E-9"), &clerk));
  const std::string marriage_path =
      "/v1/affairs/marriages/" + married["marriage"]["marriageId"].get<std::string>();

  // February is paid.
  json february = Ok(Http(
      "POST", "/v1/affairs/subsidy-payment-runs",
      {{"kind", "SUBSIDY_KIND_CARE"}, {"month", "2023-02"}, {"regionPrefix", village}}, &reviewer));
  EXPECT_EQ(february["paid"], 1) << february.dump();

  // Assistance: the reviewer ends the 低保 for death, decided 2023-03-10, last month paid March.
  json exited = Ok(Http("POST", "/v1/assistance/enrolments/" + enrolment_id + ":exit",
                        {{"reason", "EXIT_REASON_DEATH"},
                         {"effectiveMonth", "2023-04"},
                         {"note", "死亡"},
                         {"decidedOn", "2023-03-10"}},
                        &a_reviewer));
  ASSERT_EQ(exited["enrolment"]["status"], "ENROLMENT_STATUS_ENDED") << exited.dump();

  // The death reaches affairs through assistance's outbox, relay and stream.
  const std::string subsidy_path = "/v1/affairs/subsidies/" + care["subsidyId"].get<std::string>();
  json subsidy;
  for (int i = 0; i < 60; ++i) {
    subsidy =
        json::parse(Http("GET", subsidy_path, nullptr, &clerk).body, nullptr, false)["subsidy"];
    if (subsidy.value("status", "") == "SUBSIDY_STATUS_STOPPED") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(subsidy.value("status", ""), "SUBSIDY_STATUS_STOPPED") << subsidy.dump() << Logs();
  EXPECT_EQ(subsidy["endMonth"], "2023-04");  // the first month no longer paid

  // April's run pays that person nothing, nor May's.
  json april = Ok(Http(
      "POST", "/v1/affairs/subsidy-payment-runs",
      {{"kind", "SUBSIDY_KIND_CARE"}, {"month", "2023-04"}, {"regionPrefix", village}}, &reviewer));
  EXPECT_EQ(april.value("due", 0), 0) << april.dump();
  EXPECT_EQ(april.value("paid", 0), 0) << april.dump();
  json may = Ok(Http(
      "POST", "/v1/affairs/subsidy-payment-runs",
      {{"kind", "SUBSIDY_KIND_CARE"}, {"month", "2023-05"}, {"regionPrefix", village}}, &reviewer));
  EXPECT_EQ(may.value("paid", 0), 0) << may.dump();

  // The marriage ended on the day the person was known dead by, and the widow may marry again.
  json marriage = Ok(Http("GET", marriage_path, nullptr, &clerk))["marriage"];
  EXPECT_EQ(marriage["status"], "MARRIAGE_STATUS_ENDED_BY_DEATH") << marriage.dump();
  EXPECT_EQ(marriage["endDate"], "2023-03-10");

  // The cremation record then gives the day itself, earlier: 2023-02-20. One death, the earlier
  // date wins, and the subsidy now stops after February: March is not paid either.
  json cremation = {{"name", "孙某"},
                    {"idNumber", id},
                    {"dateOfDeath", "2023-02-20"},
                    {"cremationDate", "2023-02-22"},
                    {"funeralHome", "枞阳县殡仪馆"},
                    {"regionCode", village}};
  ASSERT_EQ(Http("POST", "/v1/affairs/cremations", cremation, &clerk).status, 200) << Logs();
  subsidy = Ok(Http("GET", subsidy_path, nullptr, &clerk))["subsidy"];
  EXPECT_EQ(subsidy["endMonth"], "2023-03") << subsidy.dump();
  json march = Ok(Http(
      "POST", "/v1/affairs/subsidy-payment-runs",
      {{"kind", "SUBSIDY_KIND_CARE"}, {"month", "2023-03"}, {"regionPrefix", village}}, &reviewer));
  EXPECT_EQ(march.value("due", 0), 0) << march.dump();
  EXPECT_EQ(march.value("paid", 0), 0) << march.dump();
}

// Under TLS (the affairs_e2e_test_mtls run): the ports the gateway and assistance reach over
// mTLS refuse plaintext and a TLS client without a certificate of the CA, while the suite's
// other tests pass through the gateway. Without TLS there is nothing to refuse.
TEST_F(AffairsE2eTest, UnderTlsThePortsRefuseCallersWithoutAClientCertificate) {
  if (!stack_->tls()) GTEST_SKIP() << "plaintext run (CIVIL_E2E_TLS=1 runs it)";
  auto connects = [](const std::string& address, std::shared_ptr<grpc::ChannelCredentials> c) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(address, c, args)
        ->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(3));
  };
  const std::string dir = stack_->tls_dir();
  auto read = [&](TlsFiles files) {
    absl::StatusOr<TlsConfig> tls = ReadTlsFiles(files);
    EXPECT_TRUE(tls.ok()) << tls.status();
    return ChannelCredentials(tls.ok() ? *tls : TlsConfig{});
  };
  for (const char* service : {"affairs", "assistance"}) {
    const std::string address = stack_->grpc_address(service);
    EXPECT_FALSE(connects(address, grpc::InsecureChannelCredentials())) << service;
    EXPECT_FALSE(connects(address, read({"", "", dir + "/ca.pem", ""}))) << service;
    EXPECT_TRUE(
        connects(address, read({dir + "/gateway.pem", dir + "/gateway.key", dir + "/ca.pem", ""})))
        << service;
  }
}

TEST_F(AffairsE2eTest, ZzShutsDownGracefullyOnSigterm) {
  EXPECT_EQ(affairs_->Stop(SIGTERM, true), 0) << Logs();
  EXPECT_EQ(Http("GET", "/v1/affairs/summary?periodStart=2023-01-01").status, 503);
}

}  // namespace
}  // namespace civil::affairs
