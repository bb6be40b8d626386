// End to end: the real socialorg_server and gateway binaries over a real PostgreSQL and Redis;
// HTTP/JSON through the gateway with bearer tokens. An organisation is registered (a reviewer
// approves), inspected, changed (approved) and deregistered (approved); the summary counts it;
// bad input is refused with 400 naming the field and writes nothing. A foundation's branch is
// closed (maker ≠ checker), listed closed and counted. A social group's overdue report and
// inspection are on the year's worklist as of a day, and its approved deregistration closes its
// open branch. An industry association is registered as one, signs its yearly credit commitment
// (once) and is counted in the summary. A refused registration is upheld on reconsideration
// (issue 18): its event is pending review again, the refusal kept in the event's history, and
// approved.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/id_number.h"
#include "tests/socialorg/credit_codes.h"
#include "tests/support/gateway_e2e_test.h"
#include "tests/support/test_ids.h"

namespace civil::socialorg {
namespace {

using json = nlohmann::json;
using civil::affairs::testing::Id;
using civil::socialorg::testing::Code;
using civil::socialorg::testing::WrongCheck;
using civil::testing::HttpResponse;
using Headers = std::map<std::string, std::string>;

class SocialorgE2eTest : public civil::testing::GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("socialorg", CIVIL_SOCIALORG_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    clerk_ = stack_->AuthHeaders("e2e-clerk", {"socialorg.clerk"}, "340722");
    reviewer_ = stack_->AuthHeaders("e2e-reviewer", {"socialorg.reviewer"}, "340722");
    leadership_ = stack_->AuthHeaders("e2e-leader", {"leadership"}, "340722");
    ASSERT_TRUE(stack_->Ready());
  }

  inline static Headers clerk_, reviewer_, leadership_;
};

TEST_F(SocialorgE2eTest, RegisteredInspectedChangedDeregisteredAndCounted) {
  const absl::CivilDay today = Today();
  const int last_year = static_cast<int>(today.year()) - 1;
  const std::string established = FormatDay(absl::CivilDay(last_year, 3, 1));
  json registration = {{"name", "枞阳县志愿者协会"},
                       {"creditCode", Code('1', 4242)},
                       {"kind", "ORGANISATION_KIND_SOCIAL_GROUP"},
                       {"supervisingUnit", "枞阳县民政局"},
                       {"domicile", "枞阳县枞阳镇"},
                       {"legalRepresentativeName", "王某"},
                       {"legalRepresentativeIdNumber", Id("19750505", true, 5)},
                       {"registeredCapitalFen", "3000000"},
                       {"regionCode", "340722100"},
                       {"businessScope", "志愿服务"},
                       {"establishmentDate", established},
                       {"documents", {"成立登记申请书", "章程"}}};

  // Bad input: a wrong check character, a kind digit contradicting the kind; 400 naming the
  // field, nothing written.
  json bad = registration;
  bad["creditCode"] = WrongCheck(Code('1', 4242));
  HttpResponse r = Http("POST", "/v1/socialorg/organisations", clerk_, bad);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("credit_code: wrong check character"), std::string::npos) << r.body;
  bad = registration;
  bad["kind"] = "ORGANISATION_KIND_FOUNDATION";
  r = Http("POST", "/v1/socialorg/organisations", clerk_, bad);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("credit_code: position 2 is 1 (SOCIAL_GROUP) but the kind is FOUNDATION"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Ok(Http("GET", "/v1/socialorg/organisations", clerk_))
                .value("organisations", json::array())
                .size(),
            0u);
  EXPECT_EQ(Http("GET", "/v1/socialorg/organisations", {}).status, 401);

  // Registered: pending until a reviewer approves the establishment.
  json registered = Ok(Http("POST", "/v1/socialorg/organisations", clerk_, registration));
  const std::string id = registered["organisation"]["organisationId"];
  EXPECT_EQ(registered["organisation"]["status"], "ORGANISATION_STATUS_PENDING_ESTABLISHMENT");
  const std::string establishment = registered["establishmentEventId"];
  EXPECT_EQ(
      Http("POST", "/v1/socialorg/events/" + establishment + ":approve", clerk_, json::object())
          .status,
      403);
  Ok(Http("POST", "/v1/socialorg/events/" + establishment + ":approve", reviewer_, json::object()));
  const std::string path = "/v1/socialorg/organisations/" + id;
  json got = Ok(Http("GET", path, clerk_));
  EXPECT_EQ(got["organisation"]["status"], "ORGANISATION_STATUS_REGISTERED");
  EXPECT_EQ(got["organisation"]["establishedDate"], established);
  EXPECT_EQ(got["organisation"].value("legalRepresentativeIdNumber", ""), "");

  // Inspected for last year.
  json inspected = Ok(Http("POST", path + "/inspections", clerk_,
                           {{"year", last_year}, {"result", "INSPECTION_RESULT_QUALIFIED"}}));
  EXPECT_EQ(inspected["inspection"]["year"], last_year);

  // A change of domicile, approved.
  json change =
      Ok(Http("POST", path + "/changes", clerk_,
              {{"documents", {"变更登记申请书"}}, {"change", {{"domicile", "枞阳县会宫镇"}}}}));
  Ok(Http("POST", "/v1/socialorg/events/" + std::string(change["event"]["eventId"]) + ":approve",
          reviewer_, json::object()));
  EXPECT_EQ(Ok(Http("GET", path, clerk_))["organisation"]["domicile"], "枞阳县会宫镇");

  // Deregistered after liquidation, approved; nothing further is taken.
  json dereg = Ok(Http("POST", path + "/deregistrations", clerk_,
                       {{"documents", {"注销登记申请书"}},
                        {"liquidation", "清算组清算报告"},
                        {"liquidationDate", FormatDay(today)}}));
  Ok(Http("POST", "/v1/socialorg/events/" + std::string(dereg["event"]["eventId"]) + ":approve",
          reviewer_, json::object()));
  EXPECT_EQ(Ok(Http("GET", path, clerk_))["organisation"]["status"],
            "ORGANISATION_STATUS_DEREGISTERED");
  r = Http("POST", path + "/changes", clerk_,
           {{"documents", {"变更登记申请书"}}, {"change", {{"name", "新名称"}}}});
  EXPECT_EQ(r.status, 400) << r.body;  // FAILED_PRECONDITION
  EXPECT_NE(r.body.find("it takes no further events"), std::string::npos) << r.body;

  // An incubation centre set up this year.
  Ok(Http("POST", "/v1/socialorg/incubation-centres", clerk_,
          {{"name", "新华社区社会组织孵化服务中心"},
           {"regionCode", "340722100001"},
           {"establishedDate", FormatDay(absl::CivilDay(today.year(), 1, 1))}}));

  // The summary from the start of last year to today.
  const std::string period = "?periodStart=" + FormatDay(absl::CivilDay(last_year, 1, 1)) +
                             "&periodEnd=" + FormatDay(today);
  json summary = Ok(Http("GET", "/v1/socialorg/summary" + period, leadership_));
  EXPECT_EQ(summary["incubationCentresEstablished"], 1) << summary;
  EXPECT_EQ(summary["lines"].back(), "完成新华社区社会组织孵化服务中心成立工作") << summary;
  EXPECT_EQ(summary["newlyRegistered"], 1) << summary;
  EXPECT_EQ(summary["deregistered"], 1) << summary;
  EXPECT_EQ(summary["inspectionsCompleted"], 1) << summary;
  EXPECT_EQ(summary["inspectionsSocialGroups"], 1) << summary;
  EXPECT_EQ(summary["lines"][0],
            "依法办理社会组织注销1家、批准新成立社会组织1家、换届、换证备案0家")
      << summary;
  EXPECT_EQ(summary["lines"][1], "已完成年检1家,其中社会团体1家,民办非企业0家") << summary;
  EXPECT_EQ(Http("GET", "/v1/socialorg/summary" + period, clerk_).status, 403);
}

TEST_F(SocialorgE2eTest, AStationIsAcceptedAndItsTaskListCompletedAndCounted) {
  const absl::CivilDay today = Today();
  const int year = static_cast<int>(today.year());
  const std::string established = FormatDay(today - 200);

  // Bad input: a village code is no station's region; 400 naming the field, nothing written.
  HttpResponse r = Http("POST", "/v1/socialorg/stations", clerk_,
                        {{"name", "村社工室"}, {"regionCode", "340722100201"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("region_code: must be a 6/9-digit region code"), std::string::npos)
      << r.body;
  EXPECT_EQ(
      Ok(Http("GET", "/v1/socialorg/stations:count", leadership_))["counts"].value("stations", 0),
      0);

  json station = Ok(Http("POST", "/v1/socialorg/stations", clerk_,
                         {{"name", "枞阳镇社工站"},
                          {"regionCode", "340722100"},
                          {"establishedDate", established}}))["station"];
  const std::string id = station["stationId"];
  EXPECT_EQ(station["level"], "STATION_LEVEL_TOWNSHIP");
  const std::string path = "/v1/socialorg/stations/" + id;

  // Acceptance is the reviewer's; a failed one needs what is wanting.
  EXPECT_EQ(
      Http("POST", path + "/acceptances", clerk_, {{"result", "ACCEPTANCE_RESULT_PASSED"}}).status,
      403);
  r = Http("POST", path + "/acceptances", reviewer_, {{"result", "ACCEPTANCE_RESULT_FAILED"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("notes: a failed acceptance needs what is wanting"), std::string::npos)
      << r.body;
  json accepted = Ok(Http("POST", path + "/acceptances", reviewer_,
                          {{"result", "ACCEPTANCE_RESULT_PASSED"},
                           {"acceptedDate", FormatDay(today - 10)}}))["station"];
  EXPECT_EQ(accepted["accepted"], true);

  // The task list of the year: one task completed with its evidence.
  r = Http("POST", path + "/tasks", clerk_,
           {{"year", year},
            {"title", "走访困难群众"},
            {"dueDate", FormatDay(absl::CivilDay(year + 1, 1, 10))}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("due_date: must be within the year"), std::string::npos) << r.body;
  json task = Ok(Http("POST", path + "/tasks", clerk_,
                      {{"year", year},
                       {"title", "走访困难群众"},
                       {"dueDate", FormatDay(absl::CivilDay(year, 12, 31))}}));
  const std::string task_id = task["taskId"];
  json done = Ok(Http("POST", "/v1/socialorg/station-tasks/" + task_id + ":complete", clerk_,
                      {{"evidence", "走访记录表52份"}}))["station"];
  EXPECT_EQ(done["tasks"][0]["completed"], true);
  EXPECT_EQ(done["tasks"][0]["completedDate"], FormatDay(today));

  json counts = Ok(Http("GET", "/v1/socialorg/stations:count", leadership_))["counts"];
  EXPECT_EQ(counts["stations"], 1) << counts;
  EXPECT_EQ(counts["townshipsAccepted"], 1) << counts;
  EXPECT_EQ(counts["tasks"], 1) << counts;
  EXPECT_EQ(counts["tasksCompleted"], 1) << counts;
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

// A foundation's branch is closed through the gateway: filed by a clerk, refused to the same
// person as reviewer, approved by a reviewer; listed CLOSED and counted.
TEST_F(SocialorgE2eTest, ABranchIsClosedApprovedListedAndCounted) {
  const absl::CivilDay today = Today();
  const std::string established = FormatDay(today - 60);
  json registration = {{"name", "枞阳县助学基金会"},
                       {"creditCode", Code('3', 4343)},
                       {"kind", "ORGANISATION_KIND_FOUNDATION"},
                       {"supervisingUnit", "枞阳县民政局"},
                       {"domicile", "枞阳县雨坛镇"},
                       {"legalRepresentativeName", "张某"},
                       {"legalRepresentativeIdNumber", Id("19800101", false, 8)},
                       {"registeredCapitalFen", "8000000"},
                       {"regionCode", "340722102"},
                       {"businessScope", "助学"},
                       {"establishmentDate", established},
                       {"documents", {"成立登记申请书"}}};
  json registered = Ok(Http("POST", "/v1/socialorg/organisations", clerk_, registration));
  const std::string id = registered["organisation"]["organisationId"];
  Ok(Http("POST",
          "/v1/socialorg/events/" + std::string(registered["establishmentEventId"]) + ":approve",
          reviewer_, json::object()));
  json branch = Ok(Http("POST", "/v1/socialorg/organisations/" + id + "/branches", clerk_,
                        {{"name", "雨坛助学分会"},
                         {"principal", "李某"},
                         {"scope", "助学"},
                         {"establishedDate", FormatDay(today - 30)}}));
  const std::string branch_id = branch["branch"]["branchId"];
  ASSERT_FALSE(branch_id.empty()) << branch;

  HttpResponse bad = Http("POST", "/v1/socialorg/branches/" + branch_id + ":close", clerk_,
                          {{"documents", {"决议"}}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("reason: "), std::string::npos) << bad.body;
  json filed = Ok(Http("POST", "/v1/socialorg/branches/" + branch_id + ":close", clerk_,
                       {{"closureDate", FormatDay(today - 2)},
                        {"documents", {"理事会决议"}},
                        {"reason", "业务并入本会"}}));
  EXPECT_EQ(filed["branch"]["status"], "BRANCH_STATUS_CLOSING") << filed;
  const std::string closure = filed["closure"]["closureId"];
  const Headers same_person = stack_->AuthHeaders("e2e-clerk", {"socialorg.reviewer"}, "340722");
  EXPECT_EQ(Http("POST", "/v1/socialorg/branch-closures/" + closure + ":approve", same_person,
                 json::object())
                .status,
            403);
  json approved = Ok(Http("POST", "/v1/socialorg/branch-closures/" + closure + ":approve",
                          reviewer_, json::object()));
  EXPECT_EQ(approved["branch"]["status"], "BRANCH_STATUS_CLOSED") << approved;

  json listed = Ok(Http("GET", "/v1/socialorg/organisations/" + id + "/branches", reviewer_));
  ASSERT_EQ(listed["branches"].size(), 1u) << listed;
  EXPECT_EQ(listed["branches"][0]["closedDate"], FormatDay(today - 2));
  json counted =
      Ok(Http("GET", "/v1/socialorg/branches:count?regionPrefix=340722102", leadership_));
  EXPECT_EQ(counted["established"], 1) << counted;
  EXPECT_EQ(counted["closed"], 1);
  EXPECT_EQ(counted.value("open", 0), 0);
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

// Through the gateway: the overdue-supervision worklist of a year names what is missing and its
// deadline, as of a day, and refuses bad input with 400/403 naming the field; the organisation's
// deregistration, approved, closes its open branch on its date (listed CLOSED with the event's id,
// counted closed), no branch is recorded for it afterwards, and it leaves the worklist.
TEST_F(SocialorgE2eTest, TheOverdueWorklistAndTheBranchesClosedByADeregistration) {
  const absl::CivilDay today = Today();
  const int year = static_cast<int>(today.year()) - 2;
  const std::string region = "340722106";
  json registration = {{"name", "枞阳县书法家协会"},
                       {"creditCode", Code('1', 4545)},
                       {"kind", "ORGANISATION_KIND_SOCIAL_GROUP"},
                       {"supervisingUnit", "枞阳县文联"},
                       {"domicile", "枞阳县汤沟镇"},
                       {"legalRepresentativeName", "陈某"},
                       {"legalRepresentativeIdNumber", Id("19700303", true, 9)},
                       {"registeredCapitalFen", "3000000"},
                       {"regionCode", region},
                       {"businessScope", "书法交流"},
                       {"establishmentDate", FormatDay(absl::CivilDay(year - 1, 3, 1))},
                       {"documents", {"成立登记申请书"}}};
  json registered = Ok(Http("POST", "/v1/socialorg/organisations", clerk_, registration));
  const std::string id = registered["organisation"]["organisationId"];
  Ok(Http("POST",
          "/v1/socialorg/events/" + std::string(registered["establishmentEventId"]) + ":approve",
          reviewer_, json::object()));
  const std::string path = "/v1/socialorg/organisations/" + id;
  json branch = Ok(Http("POST", path + "/branches", clerk_,
                        {{"name", "青少年书法分会"},
                         {"principal", "李某"},
                         {"scope", "青少年书法培训"},
                         {"establishedDate", FormatDay(absl::CivilDay(year - 1, 6, 1))}}));
  const std::string branch_id = branch["branch"]["branchId"];
  // The year's report, submitted late on 10 April of the next year; no inspection.
  Ok(Http("POST", path + "/annual-reports", clerk_,
          {{"year", year}, {"submittedDate", FormatDay(absl::CivilDay(year + 1, 4, 10))}}));

  const std::string worklist =
      "/v1/socialorg/supervision:overdue?regionPrefix=" + region + "&year=" + std::to_string(year);
  auto items = [&](const std::string& query, const Headers& as) {
    return Ok(Http("GET", worklist + query, as)).value("items", json::array());
  };
  EXPECT_EQ(items("&asOf=" + FormatDay(absl::CivilDay(year + 1, 3, 31)), clerk_).size(), 0u);
  json april = items("&asOf=" + FormatDay(absl::CivilDay(year + 1, 4, 1)), clerk_);
  ASSERT_EQ(april.size(), 1u) << april;
  EXPECT_EQ(april[0]["organisationId"], id);
  EXPECT_EQ(april[0]["missing"], "SUPERVISION_DUTY_ANNUAL_REPORT") << april;
  EXPECT_EQ(april[0]["deadline"], FormatDay(absl::CivilDay(year + 1, 3, 31)));
  EXPECT_EQ(april[0]["daysOverdue"], 1);
  json now = items("", reviewer_);  // as of today
  ASSERT_EQ(now.size(), 1u) << now;
  EXPECT_EQ(now[0]["missing"], "SUPERVISION_DUTY_INSPECTION") << now;
  EXPECT_EQ(now[0]["deadline"], FormatDay(absl::CivilDay(year + 1, 5, 31)));
  EXPECT_EQ(now[0]["year"], year);

  // Bad input: 400 naming the field; outside the scope or the roles, 403.
  HttpResponse r = Http(
      "GET",
      "/v1/socialorg/supervision:overdue?year=" + std::to_string(static_cast<int>(today.year())),
      clerk_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("year: must be from 1990"), std::string::npos) << r.body;
  r = Http("GET", worklist + "&asOf=" + FormatDay(today + 1), clerk_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("as_of: "), std::string::npos) << r.body;
  r = Http("GET",
           "/v1/socialorg/supervision:overdue?regionPrefix=340800&year=" + std::to_string(year),
           clerk_);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("region_prefix: "), std::string::npos) << r.body;
  EXPECT_EQ(Http("GET", worklist, leadership_).status, 403);

  // Deregistered, approved: the open branch is closed on the deregistration's date.
  json dereg = Ok(Http("POST", path + "/deregistrations", clerk_,
                       {{"documents", {"注销登记申请书"}},
                        {"liquidation", "清算组清算报告"},
                        {"liquidationDate", FormatDay(today)}}));
  const std::string event_id = dereg["event"]["eventId"];
  Ok(Http("POST", "/v1/socialorg/events/" + event_id + ":approve", reviewer_, json::object()));
  json listed = Ok(Http("GET", path + "/branches", reviewer_));
  ASSERT_EQ(listed["branches"].size(), 1u) << listed;
  EXPECT_EQ(listed["branches"][0]["branchId"], branch_id);
  EXPECT_EQ(listed["branches"][0]["status"], "BRANCH_STATUS_CLOSED") << listed;
  EXPECT_EQ(listed["branches"][0]["closedDate"], FormatDay(today));
  EXPECT_EQ(listed["branches"][0]["deregistrationEventId"], event_id);
  json counted =
      Ok(Http("GET", "/v1/socialorg/branches:count?regionPrefix=" + region, leadership_));
  EXPECT_EQ(counted["established"], 1) << counted;
  EXPECT_EQ(counted["closed"], 1) << counted;
  EXPECT_EQ(counted.value("open", 0), 0) << counted;
  r = Http("POST", path + "/branches", clerk_,
           {{"name", "新分会"}, {"principal", "李某"}, {"scope", "书法"}});
  EXPECT_EQ(r.status, 400) << r.body;  // FAILED_PRECONDITION
  EXPECT_NE(r.body.find("organisation_id: the organisation was deregistered"), std::string::npos)
      << r.body;
  // Deregistered by today, it owes nothing more.
  EXPECT_EQ(items("", clerk_).size(), 0u);
}

TEST_F(SocialorgE2eTest, AnIndustryAssociationSignsItsCreditCommitmentAndIsCounted) {
  const absl::CivilDay today = Today();
  const int year = static_cast<int>(today.year());
  const std::string region = "340722105";
  json registration = {{"name", "枞阳县茶叶行业协会"},
                       {"creditCode", Code('1', 4646)},
                       {"kind", "ORGANISATION_KIND_SOCIAL_GROUP"},
                       {"industryAssociation", true},
                       {"supervisingUnit", "枞阳县农业农村局"},
                       {"domicile", "枞阳县浮山镇"},
                       {"legalRepresentativeName", "陈某"},
                       {"legalRepresentativeIdNumber", Id("19700707", true, 9)},
                       {"registeredCapitalFen", "3000000"},
                       {"regionCode", region},
                       {"businessScope", "行业自律、诚信经营"},
                       {"establishmentDate", FormatDay(today - 90)},
                       {"documents", {"成立登记申请书", "章程"}}};
  // A foundation is no industry association: 400 naming the field, nothing written.
  json foundation = registration;
  foundation["kind"] = "ORGANISATION_KIND_FOUNDATION";
  foundation["creditCode"] = Code('3', 4748);
  HttpResponse r = Http("POST", "/v1/socialorg/organisations", clerk_, foundation);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("industry_association: only a social group"), std::string::npos) << r.body;
  const std::string only =
      "/v1/socialorg/organisations?industryAssociationsOnly=true&regionPrefix=" + region;
  EXPECT_EQ(Ok(Http("GET", only, clerk_)).value("organisations", json::array()).size(), 0u);

  json registered = Ok(Http("POST", "/v1/socialorg/organisations", clerk_, registration));
  const std::string id = registered["organisation"]["organisationId"];
  EXPECT_EQ(registered["organisation"]["industryAssociation"], true) << registered;
  Ok(Http("POST",
          "/v1/socialorg/events/" + std::string(registered["establishmentEventId"]) + ":approve",
          reviewer_, json::object()));
  json listed = Ok(Http("GET", only, clerk_));
  ASSERT_EQ(listed["organisations"].size(), 1u) << listed;
  EXPECT_EQ(listed["organisations"][0]["organisationId"], id);

  const std::string commitments = "/v1/socialorg/organisations/" + id + "/credit-commitments";
  r = Http("POST", commitments, clerk_,
           {{"year", year}, {"content", ""}, {"signedDate", FormatDay(today)}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("content: is required"), std::string::npos) << r.body;
  Ok(Http(
      "POST", commitments, clerk_,
      {{"year", year}, {"content", "诚信经营、规范收费承诺书"}, {"signedDate", FormatDay(today)}}));
  r = Http("POST", commitments, clerk_,
           {{"year", year}, {"content", "第二份"}, {"signedDate", FormatDay(today)}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(Ok(Http("GET", commitments, reviewer_))["commitments"].size(), 1u);

  const std::string period = "?periodStart=" + FormatDay(absl::CivilDay(year, 1, 1)) +
                             "&periodEnd=" + FormatDay(today) + "&regionPrefix=" + region;
  json summary = Ok(Http("GET", "/v1/socialorg/summary" + period, leadership_));
  EXPECT_EQ(summary["industryAssociations"], 1) << summary;
  EXPECT_EQ(summary["creditCommitmentsSigned"], 1) << summary;
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

// Issue 18 through the gateway: a registration refused (its establishment event rejected), the
// reconsideration (复核) against the event filed, on the open worklist, assigned, answered and
// upheld by a reviewer (a clerk may not decide it); no money moves, so it closes at once: the
// event is pending review again with the refusal kept in its history (ListEventHistory), the
// organisation pending establishment, and the review decides anew. Another township's clerk may
// neither file nor read it, nor read the event's history; a bad field
// is 400 naming it and files nothing; the summary counts the grievance. A township of its own
// (340722107), so that the other tests' figures do not meet this one's.
TEST_F(SocialorgE2eTest, ARefusedRegistrationUpheldOnReconsiderationIsReviewedAgain) {
  const absl::CivilDay today = Today();
  const std::string region = "340722107";
  const Headers elsewhere = stack_->AuthHeaders("e2e-clerk-108", {"socialorg.clerk"}, "340722108");
  json registered = Ok(Http("POST", "/v1/socialorg/organisations", clerk_,
                            {{"name", "枞阳县摄影家协会"},
                             {"creditCode", Code('1', 4949)},
                             {"kind", "ORGANISATION_KIND_SOCIAL_GROUP"},
                             {"supervisingUnit", "枞阳县文联"},
                             {"domicile", "枞阳县义津镇"},
                             {"legalRepresentativeName", "吴某"},
                             {"legalRepresentativeIdNumber", Id("19720808", true, 11)},
                             {"registeredCapitalFen", "3000000"},
                             {"regionCode", region},
                             {"businessScope", "摄影艺术交流"},
                             {"establishmentDate", FormatDay(today - 30)},
                             {"documents", {"成立登记申请书", "章程"}}}));
  const std::string org_id = registered["organisation"]["organisationId"];
  const std::string event_id = registered["establishmentEventId"];
  const std::string org_path = "/v1/socialorg/organisations/" + org_id;
  const json rejected = Ok(Http("POST", "/v1/socialorg/events/" + event_id + ":reject", reviewer_,
                                {{"reason", "章程不全"}, {"decisionDate", FormatDay(today - 20)}}));
  EXPECT_EQ(rejected["event"]["status"], "EVENT_STATUS_REJECTED") << rejected;
  EXPECT_EQ(Ok(Http("GET", org_path, clerk_))["organisation"]["status"],
            "ORGANISATION_STATUS_REFUSED");

  const std::string grievances = "/v1/socialorg/grievances";
  const std::string summary_path = "/v1/socialorg/summary?regionPrefix=" + region +
                                   "&periodStart=" + FormatDay(today - 30) +
                                   "&periodEnd=" + FormatDay(today);
  const json before = Ok(Http("GET", summary_path, leadership_));
  EXPECT_EQ(I64(before.value("grievances", json::object()), "received"), 0) << before;
  // The grievance ids a caller sees on the worklist `query`, in the township.
  auto listed = [&](const Headers& who, const std::string& query) {
    std::vector<std::string> ids;
    const json page = Ok(Http("GET", grievances + query, who));
    for (const json& g : page.value("grievances", json::array())) {
      if (g["regionCode"] == region) ids.push_back(g["grievanceId"]);
    }
    return ids;
  };
  const json filing = {{"kind", "RECONSIDERATION"},
                       {"caseKind", "LIFECYCLE_EVENT"},
                       {"caseId", event_id},
                       {"complainant", "枞阳县摄影家协会筹备组"},
                       {"category", "成立登记"},
                       {"details", "章程已按要求补正"},
                       {"receivedOn", FormatDay(today - 10)}};
  // Bad fields: 400 naming the field (404 for a case that does not exist); nothing is filed.
  ExpectBadGrievanceFilingsRefused(grievances, clerk_, filing, "CHILD",
                                   "ORGANISATION, LIFECYCLE_EVENT");
  json bad = filing;
  bad["kind"] = "GRIEVANCE_KIND_UNSPECIFIED";
  HttpResponse r = Http("POST", grievances, clerk_, bad);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Message(r), "kind: is required") << r.body;
  bad = filing;
  bad["caseId"] = org_id;  // an organisation's id is no event's
  r = Http("POST", grievances, clerk_, bad);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(Message(r), "case_id: no LIFECYCLE_EVENT with that id in socialorg") << r.body;
  // Another township's clerk may not file against the event (its region is its organisation's).
  r = Http("POST", grievances, elsewhere, filing);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Message(r).rfind("case_id: region 340722107 is outside your scope", 0), 0u) << r.body;
  EXPECT_TRUE(listed(clerk_, "?regionPrefix=" + region).empty());

  // Filed by the clerk: on the open worklist, and not on another township's.
  json grievance = Ok(Http("POST", grievances, clerk_, filing))["grievance"];
  const std::string grievance_id = grievance.value("grievanceId", "");
  ASSERT_FALSE(grievance_id.empty()) << grievance;
  EXPECT_EQ(grievance["status"], "RECEIVED") << grievance;
  EXPECT_EQ(grievance["caseKind"], "LIFECYCLE_EVENT") << grievance;
  EXPECT_EQ(grievance["regionCode"], region) << grievance;
  EXPECT_FALSE(grievance.value("deadline", "").empty()) << grievance;
  EXPECT_EQ(listed(clerk_, "?openOnly=true"), std::vector<std::string>{grievance_id});
  EXPECT_TRUE(Ok(Http("GET", grievances + "?openOnly=true", elsewhere))
                  .value("grievances", json::array())
                  .empty());
  const std::string gpath = grievances + "/" + grievance_id;
  r = Http("GET", gpath, elsewhere);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Message(r).rfind("grievance_id: region 340722107 is outside your scope", 0), 0u)
      << r.body;
  EXPECT_EQ(Http("POST", gpath + ":respond", elsewhere, {{"response", "越权答复"}}).status, 403);

  // Assigned and answered; a clerk may not decide it, a reviewer upholds it.
  const json decided = AnsweredThenUpheld(gpath, clerk_, reviewer_, "e2e-clerk",
                                          "经复查，补正后的章程符合要求", FormatDay(today - 5));
  // No money moves on a lifecycle event: closed at once, nothing for a second reviewer.
  EXPECT_EQ(decided["status"], "CLOSED") << decided;
  EXPECT_EQ(decided["outcome"], "UPHELD") << decided;
  EXPECT_EQ(decided["decidedBy"], "e2e-reviewer") << decided;
  EXPECT_EQ(decided.value("confirmedBy", ""), "") << decided;
  EXPECT_EQ(decided["closedOn"], FormatDay(today)) << decided;
  EXPECT_EQ(decided["reopened"], "event back to pending review") << decided;
  const Headers second = stack_->AuthHeaders("e2e-reviewer-2", {"socialorg.reviewer"}, "340722");
  r = Http("POST", gpath + ":confirm", second, json::object());
  EXPECT_EQ(r.status, 400) << r.body;  // FAILED_PRECONDITION: nothing to confirm
  EXPECT_NE(Message(r).find("CLOSED grievance has nothing to confirm"), std::string::npos)
      << r.body;

  // The event is pending review again and the organisation pending establishment; the event's
  // decision fields are cleared, and its history keeps the refusal (who, when, why) and the
  // reopening (who upheld it, when, which grievance).
  EXPECT_EQ(Ok(Http("GET", org_path, clerk_))["organisation"]["status"],
            "ORGANISATION_STATUS_PENDING_ESTABLISHMENT");
  json events = Ok(Http("GET", org_path + "/events", clerk_))["events"];
  ASSERT_EQ(events.size(), 1u) << events;
  EXPECT_EQ(events[0]["eventId"], event_id) << events;
  EXPECT_EQ(events[0]["status"], "EVENT_STATUS_PENDING") << events;
  EXPECT_EQ(events[0].value("reason", ""), "") << events;
  EXPECT_EQ(events[0].value("decidedBy", ""), "") << events;
  EXPECT_EQ(events[0]["recordedBy"], "e2e-clerk") << events;
  const std::string history_path = "/v1/socialorg/events/" + event_id + "/history";
  // The steps as "ACTION actor day note grievance", one per line.
  auto steps = [](const json& page) {
    std::string out;
    for (const json& h : page.value("history", json::array())) {
      out += h.value("action", "") + " " + h.value("actor", "") + " " + h.value("happenedOn", "") +
             " " + h.value("note", "") + " " + h.value("grievanceId", "") + "\n";
    }
    return out;
  };
  const std::string kept = "REJECTED e2e-reviewer " + FormatDay(today - 20) +
                           " 章程不全 \nREOPENED e2e-reviewer " + FormatDay(today) + "  " +
                           grievance_id + "\n";
  const json history = Ok(Http("GET", history_path, clerk_));
  EXPECT_EQ(steps(history), kept) << history;
  // Another township's clerk reads none of it: 403, the reason not in the body.
  r = Http("GET", history_path, elsewhere);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Message(r).rfind("region_code: region 340722107 is outside your scope", 0), 0u)
      << r.body;
  EXPECT_EQ(r.body.find("章程不全"), std::string::npos) << r.body;
  // Leadership does not read events; an unknown event is 404.
  EXPECT_EQ(Http("GET", history_path, leadership_).status, 403);
  EXPECT_EQ(Http("GET", "/v1/socialorg/events/00000000-0000-0000-0000-000000000000/history", clerk_)
                .status,
            404);

  // The grievance is closed with its steps, off the open worklist, still on the full one.
  const json closed = Ok(Http("GET", gpath, clerk_))["grievance"];
  EXPECT_EQ(closed["status"], "CLOSED") << closed;
  std::string actions;
  for (const json& h : closed.value("history", json::array())) {
    actions += h.value("action", "") + ",";
  }
  EXPECT_EQ(actions, "RECEIVED,ASSIGNED,RESPONDED,DECIDED,REOPENED,") << closed;
  EXPECT_EQ(closed["history"].back().value("note", ""), "event back to pending review") << closed;
  EXPECT_TRUE(listed(clerk_, "?openOnly=true").empty());
  EXPECT_EQ(listed(clerk_, ""), std::vector<std::string>{grievance_id});

  // The review decides anew (maker ≠ checker as before): registered.
  EXPECT_EQ(
      Http("POST", "/v1/socialorg/events/" + event_id + ":approve", clerk_, json::object()).status,
      403);
  Ok(Http("POST", "/v1/socialorg/events/" + event_id + ":approve", reviewer_, json::object()));
  EXPECT_EQ(Ok(Http("GET", org_path, clerk_))["organisation"]["status"],
            "ORGANISATION_STATUS_REGISTERED");
  // The approval is on the event; the history is as it was.
  EXPECT_EQ(steps(Ok(Http("GET", history_path, clerk_))), kept);
  // A second grievance upheld finds nothing rejected, and reopens nothing.
  json again = filing;
  again["receivedOn"] = FormatDay(today);
  const std::string second_id =
      Ok(Http("POST", grievances, clerk_, again))["grievance"].value("grievanceId", "");
  const std::string spath = grievances + "/" + second_id;
  Ok(Http("POST", spath + ":assign", clerk_, {{"assignee", "e2e-clerk"}}));
  Ok(Http("POST", spath + ":respond", clerk_, {{"response", "已重新审查"}}));
  r = Http("POST", spath + ":decide", reviewer_, {{"outcome", "UPHELD"}});
  EXPECT_EQ(r.status, 400) << r.body;  // FAILED_PRECONDITION
  EXPECT_EQ(Message(r), "case_id: the event is APPROVED, not rejected") << r.body;
  EXPECT_EQ(Ok(Http("GET", spath, clerk_))["grievance"]["status"], "RESPONDED");
  EXPECT_EQ(steps(Ok(Http("GET", history_path, clerk_))), kept);
  EXPECT_EQ(Ok(Http("GET", org_path, clerk_))["organisation"]["status"],
            "ORGANISATION_STATUS_REGISTERED");

  // The summary counts both grievances received in the period, the first closed in time.
  const json after = Ok(Http("GET", summary_path, leadership_));
  const json figures = after.value("grievances", json::object());
  EXPECT_EQ(I64(figures, "received"), 2) << after;
  EXPECT_EQ(I64(figures, "resolvedWithinDeadline"), 1) << after;
  EXPECT_EQ(I64(figures, "overdue"), 0) << after;
}

}  // namespace
}  // namespace civil::socialorg
