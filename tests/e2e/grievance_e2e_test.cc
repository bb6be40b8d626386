// End to end through the gateway: a rejected 低保 application, the applicant's reconsideration
// request (复核) upheld by a reviewer, the application back to investigation, and the enrolment
// that follows. The real assistance_server (with the county's seed standards) and gateway over a
// real PostgreSQL and Redis; HTTP/JSON with bearer tokens minted with a test key. Dates count
// back from today, so the test passes on whatever day it runs.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/clock.h"
#include "tests/support/e2e_stack.h"

namespace civil::assistance {
namespace {

using json = nlohmann::json;
using Headers = std::map<std::string, std::string>;
using civil::testing::HttpResponse;

constexpr char kVillage[] = "340722100401";

std::string IdNumberBornOn(absl::CivilDay birth, int serial) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  const std::string body = absl::StrFormat("340722%04d%02d%02d%03d", birth.year(), birth.month(),
                                           birth.day(), serial % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return body + kCheck[sum % 11];
}

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

class GrievanceE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER,
                          {{"CIVIL_ASSISTANCE_SEED_STANDARDS", CIVIL_SEED_STANDARDS}})
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    clerk_ = new Headers(stack_->AuthHeaders("clerk-zhao", {"assistance.clerk"}, "340722100"));
    reviewer_ =
        new Headers(stack_->AuthHeaders("reviewer-qian", {"assistance.reviewer"}, "340722"));
    ASSERT_TRUE(stack_->Ready());
  }
  static void TearDownTestSuite() {
    delete clerk_;
    delete reviewer_;
    stack_.reset();
  }

  static json Ok(const HttpResponse& r, const std::string& what) {
    EXPECT_EQ(r.status, 200) << what << " → " << r.body << stack_->Logs();
    json body = json::parse(r.body, nullptr, false);
    return body.is_discarded() ? json::object() : body;
  }
  static HttpResponse Call(const Headers& who, const std::string& method, const std::string& target,
                           const json& body = nullptr) {
    return stack_->Http(method, target, body.is_null() ? "" : body.dump(), who);
  }

  inline static std::unique_ptr<civil::testing::E2eStack> stack_;
  inline static Headers* clerk_ = nullptr;
  inline static Headers* reviewer_ = nullptr;
};

TEST_F(GrievanceE2eTest, RejectedApplicationUpheldOnReconsiderationIsEnrolled) {
  const absl::CivilDay today = civil::Today();
  const absl::CivilDay submitted = today - 60;
  json household = Ok(Call(*clerk_, "POST", "/v1/assistance/households",
                           {{"regionCode", kVillage},
                            {"area", "AREA_RURAL"},
                            {"members",
                             {{{"name", "申请人"},
                               {"idNumber", IdNumberBornOn(absl::CivilDay(1962, 4, 5), 401)},
                               {"relation", "RELATION_HEAD"}}}}}),
                      "create household")["household"];
  json application = Ok(Call(*clerk_, "POST", "/v1/assistance/applications",
                             {{"programme", "PROGRAMME_DIBAO"},
                              {"householdId", household.value("householdId", "")},
                              {"submittedOn", Day(submitted)}}),
                        "create application")["application"];
  const std::string id = application.value("applicationId", "");
  const std::string path = "/v1/assistance/applications/" + id;
  Ok(Call(*clerk_, "POST", path + ":investigate",
          {{"householdMonthlyIncomeFen", "0"},
           {"assetsWithinLimits", true},
           {"visitNote", "入户核查"},
           {"investigatedOn", Day(submitted + 1)}}),
     "investigate");
  Ok(Call(*reviewer_, "POST", path + ":reject",
          {{"reason", "家庭财产超标"}, {"decidedOn", Day(submitted + 5)}}),
     "reject");

  // One contract for every department (/v1/{department}/grievances): another department's clerk
  // may not file in assistance, and no department is named "nosuch".
  const json filing = {{"kind", "RECONSIDERATION"},
                       {"caseKind", "APPLICATION"},
                       {"caseId", id},
                       {"complainant", "申请人"},
                       {"category", "低保认定"},
                       {"receivedOn", Day(submitted + 10)}};
  const Headers elder = stack_->AuthHeaders("clerk-sun", {"eldercare.clerk"}, "340722100");
  HttpResponse refused = Call(elder, "POST", "/v1/assistance/grievances", filing);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("requires one of the roles: assistance.clerk, assistance.reviewer"),
            std::string::npos)
      << refused.body;
  const Headers auditor = stack_->AuthHeaders("auditor-li", {"auditor"}, "340722");
  EXPECT_EQ(Call(auditor, "GET", "/v1/nosuch/grievances").status, 404);
  EXPECT_EQ(Call(*clerk_, "POST", "/v1/nosuch/grievances", filing).status, 403);

  // The applicant asks for reconsideration; the clerk files, assigns and answers it.
  json grievance = Ok(Call(*clerk_, "POST", "/v1/assistance/grievances",
                           {{"kind", "RECONSIDERATION"},
                            {"caseKind", "APPLICATION"},
                            {"caseId", id},
                            {"complainant", "申请人"},
                            {"category", "低保认定"},
                            {"details", "车辆已于申请前过户"},
                            {"receivedOn", Day(submitted + 10)}}),
                      "create grievance")["grievance"];
  const std::string gpath = "/v1/assistance/grievances/" + grievance.value("grievanceId", "");
  EXPECT_EQ(grievance.value("status", ""), "RECEIVED");
  EXPECT_TRUE(grievance.value("workingDays", false));
  EXPECT_FALSE(grievance.value("deadline", "").empty());
  // It is on the open worklist.
  json open = Ok(Call(*clerk_, "GET", "/v1/assistance/grievances?openOnly=true"), "worklist");
  ASSERT_EQ(open.value("grievances", json::array()).size(), 1u) << open.dump();
  Ok(Call(*clerk_, "POST", gpath + ":assign", {{"assignee", "clerk-zhao"}}), "assign");
  Ok(Call(*clerk_, "POST", gpath + ":respond",
          {{"response", "经复查，车辆已过户，财产符合条件"}, {"respondedOn", Day(submitted + 14)}}),
     "respond");
  // A clerk may not decide it.
  EXPECT_EQ(Call(*clerk_, "POST", gpath + ":decide", {{"outcome", "UPHELD"}}).status, 403);
  json decided = Ok(Call(*reviewer_, "POST", gpath + ":decide",
                         {{"outcome", "UPHELD"}, {"decidedOn", Day(submitted + 15)}}),
                    "decide")["grievance"];
  EXPECT_EQ(decided.value("status", ""), "CLOSED");
  EXPECT_EQ(decided.value("outcome", ""), "UPHELD");
  EXPECT_EQ(decided.value("reopened", ""), "application back to investigation");

  // Back to investigation, with the rejection kept in the history.
  json reopened = Ok(Call(*clerk_, "GET", path), "get application")["application"];
  EXPECT_EQ(reopened.value("status", ""), "APPLICATION_STATUS_SUBMITTED") << reopened.dump();
  std::string actions;
  for (const json& h : reopened.value("history", json::array())) {
    actions += h.value("action", "") + ",";
  }
  EXPECT_NE(actions.find("REJECTED,REOPENED,"), std::string::npos) << actions;

  // Investigation, notice and approval as for any application: the household is enrolled.
  Ok(Call(*clerk_, "POST", path + ":investigate",
          {{"householdMonthlyIncomeFen", "0"},
           {"assetsWithinLimits", true},
           {"visitNote", "复查入户"},
           {"investigatedOn", Day(submitted + 20)}}),
     "investigate again");
  Ok(Call(*clerk_, "POST", path + ":publish", {{"noticeStart", Day(submitted + 21)}}), "publish");
  json approved = Ok(
      Call(*reviewer_, "POST", path + ":approve", {{"decidedOn", Day(submitted + 28)}}), "approve");
  const json enrolment = approved.value("enrolment", json::object());
  EXPECT_FALSE(enrolment.value("enrolmentId", "").empty()) << approved.dump();
  EXPECT_EQ(enrolment.value("status", ""), "ENROLMENT_STATUS_ACTIVE") << approved.dump();

  // The grievance is closed with its steps, and off the open worklist.
  json closed = Ok(Call(*clerk_, "GET", gpath), "get grievance")["grievance"];
  EXPECT_EQ(closed.value("history", json::array()).size(), 5u) << closed.dump();
  open = Ok(Call(*clerk_, "GET", "/v1/assistance/grievances?openOnly=true"), "worklist");
  EXPECT_EQ(open.value("grievances", json::array()).size(), 0u) << open.dump();
}

}  // namespace
}  // namespace civil::assistance
