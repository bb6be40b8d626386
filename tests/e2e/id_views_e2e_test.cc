// End to end: the ID-view audit trail (services/common/id_views.h) through the real gateway, with
// assistance_server and governance_server over a real PostgreSQL and Redis. A household's members
// are masked to everyone until a reviewer says why the full numbers are needed; that view is in
// assistance's trail, which an auditor lists by person, by actor and by period; a residents' record
// read the same way lands in governance's trail, reached through the same path with the other
// department's name. A clerk asking for full numbers, a bad date, a reason too short and an unknown
// department are refused with the field named, and write nothing.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "nlohmann/json.hpp"
#include "services/common/clock.h"
#include "services/common/id_number.h"
#include "tests/support/gateway_e2e_test.h"
#include "tests/support/test_ids.h"

namespace civil {
namespace {

using json = nlohmann::json;
using civil::affairs::testing::Id;
using civil::testing::HttpResponse;
using Headers = std::map<std::string, std::string>;

constexpr char kVillage[] = "340722102201";
// 核对银行账户, percent-encoded for a query string.
constexpr char kReason[] = "%E6%A0%B8%E5%AF%B9%E9%93%B6%E8%A1%8C%E8%B4%A6%E6%88%B7";

class IdViewsE2eTest : public civil::testing::GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Service("governance", CIVIL_GOVERNANCE_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    clerk_ = stack_->AuthHeaders("e2e-clerk", {"assistance.clerk", "governance.clerk"}, "340722");
    reviewer_ = stack_->AuthHeaders("e2e-reviewer", {"assistance.reviewer", "governance.reviewer"},
                                    "340722");
    auditor_ = stack_->AuthHeaders("e2e-auditor", {"auditor"}, "340722");
    other_auditor_ = stack_->AuthHeaders("e2e-auditor-2", {"auditor"}, "340722101");
    ASSERT_TRUE(stack_->Ready());
  }
  static json Views(const std::string& department, const std::string& query,
                    const Headers& as = auditor_) {
    json page = Ok(Http("GET", "/v1/" + department + "/id-views?" + query, as));
    return page.value("views", json::array());
  }

  inline static Headers clerk_, reviewer_, auditor_, other_auditor_;
};

TEST_F(IdViewsE2eTest, FullViewsAreGivenForAReasonAndListedByPersonActorAndPeriod) {
  const std::string head = Id("19500101", true, 1);
  const std::string spouse = Id("19520202", false, 2);
  json created =
      Ok(Http("POST", "/v1/assistance/households", clerk_,
              {{"regionCode", kVillage},
               {"area", "AREA_RURAL"},
               {"members",
                {{{"name", "王大"}, {"idNumber", head}, {"relation", "RELATION_HEAD"}},
                 {{"name", "李二"}, {"idNumber", spouse}, {"relation", "RELATION_SPOUSE"}}}}}));
  const std::string household = created["household"]["householdId"];
  const std::string path = "/v1/assistance/households/" + household;

  // Masked to everyone who does not say why, the reviewer included.
  for (const Headers* who : {&clerk_, &reviewer_}) {
    json masked = Ok(Http("GET", path, *who));
    ASSERT_EQ(masked["household"]["members"].size(), 2u) << masked;
    EXPECT_FALSE(masked["household"]["members"][0].contains("idNumber")) << masked;
    EXPECT_EQ(masked.dump().find(head), std::string::npos);
  }
  // A clerk's reason is refused; a reason of one character is no reason. Neither writes a row.
  HttpResponse refused = Http("GET", path + "?revealReason=" + kReason, clerk_);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("reveal_reason: full ID numbers are shown only to "
                              "assistance.reviewer"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(refused.body.find(head), std::string::npos);
  HttpResponse short_reason = Http("GET", path + "?revealReason=x", reviewer_);
  EXPECT_EQ(short_reason.status, 400) << short_reason.body;
  EXPECT_NE(short_reason.body.find("reveal_reason: "), std::string::npos) << short_reason.body;
  EXPECT_TRUE(Views("assistance", "").empty());

  // The reviewer says why: both members in clear, each in the trail first.
  json full = Ok(Http("GET", path + "?revealReason=" + kReason, reviewer_));
  ASSERT_EQ(full["household"]["members"].size(), 2u) << full;
  EXPECT_EQ(full["household"]["members"][0]["idNumber"], head);
  EXPECT_EQ(full["household"]["members"][1]["idNumber"], spouse);

  // By person: the head's one view, with who, what and why, never the number itself.
  json by_person = Views("assistance", "personIdNumber=" + head);
  ASSERT_EQ(by_person.size(), 1u) << by_person;
  const json& view = by_person[0];
  EXPECT_EQ(view["actor"], "e2e-reviewer");
  EXPECT_EQ(view["method"], "GetHousehold");
  EXPECT_EQ(view["recordKind"], "household");
  EXPECT_EQ(view["recordId"], household);
  EXPECT_EQ(view["regionCode"], kVillage);
  EXPECT_EQ(view["reason"], "核对银行账户");
  EXPECT_EQ(view["personMasked"], head.substr(0, 6) + "********" + head.substr(14));
  EXPECT_EQ(view["actorRoles"][0], "assistance.reviewer");
  EXPECT_EQ(by_person.dump().find(head), std::string::npos) << by_person;
  EXPECT_EQ(Views("assistance", "personIdNumber=" + Id("19600303", true, 3)).size(), 0u);

  // By actor and by period (days in China).
  EXPECT_EQ(Views("assistance", "actor=e2e-reviewer").size(), 2u);
  EXPECT_EQ(Views("assistance", "actor=e2e-clerk").size(), 0u);
  const std::string today = FormatDay(Today());
  const std::string yesterday = FormatDay(Today() - 1);
  EXPECT_EQ(Views("assistance", "fromDate=" + today + "&toDate=" + today).size(), 2u);
  EXPECT_EQ(Views("assistance", "toDate=" + yesterday).size(), 0u);
  EXPECT_EQ(Views("assistance", "fromDate=" + FormatDay(Today() + 1)).size(), 0u);
  // Pages of one, newest first, then the end.
  json first_page = Ok(Http("GET", "/v1/assistance/id-views?pageSize=1", auditor_));
  ASSERT_EQ(first_page["views"].size(), 1u) << first_page;
  ASSERT_TRUE(first_page.contains("nextPageToken")) << first_page;
  json second_page = Ok(Http("GET",
                             "/v1/assistance/id-views?pageSize=1&pageToken=" +
                                 first_page["nextPageToken"].get<std::string>(),
                             auditor_));
  ASSERT_EQ(second_page["views"].size(), 1u) << second_page;
  EXPECT_FALSE(second_page.contains("nextPageToken")) << second_page;
  EXPECT_NE(first_page["views"][0]["viewId"], second_page["views"][0]["viewId"]);

  // Bad filters are named; only auditors read the trail, and only of their region.
  HttpResponse bad_date = Http("GET", "/v1/assistance/id-views?fromDate=2023-02-30", auditor_);
  EXPECT_EQ(bad_date.status, 400) << bad_date.body;
  EXPECT_NE(bad_date.body.find("from_date: "), std::string::npos) << bad_date.body;
  HttpResponse reversed =
      Http("GET", "/v1/assistance/id-views?fromDate=" + today + "&toDate=" + yesterday, auditor_);
  EXPECT_EQ(reversed.status, 400) << reversed.body;
  EXPECT_NE(reversed.body.find("to_date: "), std::string::npos) << reversed.body;
  HttpResponse bad_id = Http("GET", "/v1/assistance/id-views?personIdNumber=340722", auditor_);
  EXPECT_EQ(bad_id.status, 400) << bad_id.body;
  EXPECT_NE(bad_id.body.find("person_id_number: "), std::string::npos) << bad_id.body;
  EXPECT_EQ(Http("GET", "/v1/assistance/id-views", clerk_).status, 403);
  EXPECT_EQ(Http("GET", "/v1/assistance/id-views", reviewer_).status, 403);
  EXPECT_EQ(Views("assistance", "", other_auditor_).size(), 0u);
  EXPECT_EQ(Http("GET", "/v1/nosuch/id-views", auditor_).status, 404);
}

TEST_F(IdViewsE2eTest, EachDepartmentKeepsItsOwnTrailBehindOnePath) {
  json grid = Ok(Http("POST", "/v1/governance/grids", clerk_,
                      {{"villageCode", kVillage}, {"name", "审计网格"}}));
  const std::string person = Id("19700707", true, 7);
  json submitted = Ok(Http("POST", "/v1/governance/resident-records", clerk_,
                           {{"record",
                             {{"gridCode", grid["grid"]["gridCode"]},
                              {"name", "赵某"},
                              {"idNumber", person},
                              {"address", "龙虎村5组1号"}}}}));
  const std::string record = submitted["record"]["recordId"];
  json masked = Ok(Http("GET", "/v1/governance/resident-records/" + record, reviewer_));
  EXPECT_NE(masked["record"]["idNumber"], person);
  json full = Ok(Http(
      "GET", "/v1/governance/resident-records/" + record + "?revealReason=" + kReason, reviewer_));
  EXPECT_EQ(full["record"]["idNumber"], person);

  // In governance's trail, not in assistance's.
  json views = Views("governance", "personIdNumber=" + person);
  ASSERT_EQ(views.size(), 1u) << views;
  EXPECT_EQ(views[0]["method"], "GetRecord");
  EXPECT_EQ(views[0]["recordKind"], "resident_record");
  EXPECT_EQ(views[0]["recordId"], record);
  EXPECT_EQ(Views("assistance", "personIdNumber=" + person).size(), 0u);
}

}  // namespace
}  // namespace civil
