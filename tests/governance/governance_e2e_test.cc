// End to end: the real governance_server and gateway binaries over a real PostgreSQL and Redis;
// HTTP/JSON through the gateway with bearer tokens. The region tree answers a lookup (and a
// merged village's code), a clerk creates a grid and imports a CSV with bad rows — a wrong ID
// check character, an unknown grid — then imports it again (nothing changes), a reviewer reviews
// one record, and the summary counts it. A residents' convention goes through its five steps, with
// a step out of order and a vote counting more votes than members present refused; a boundary
// line gets a tri-point marker with its board and the year's joint inspection, which the summary
// counts. A road name goes through approval, a late filing and its announcement, with a step out
// of order and a future date refused, and is listed late. A village's certificate list is published
// in two versions and read as in force on two days.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "nlohmann/json.hpp"
#include "services/common/id_number.h"
#include "tests/support/gateway_e2e_test.h"
#include "tests/support/test_ids.h"

namespace civil::governance {
namespace {

using json = nlohmann::json;
using civil::affairs::testing::Id;
using civil::testing::HttpResponse;
using Headers = std::map<std::string, std::string>;

class GovernanceE2eTest : public civil::testing::GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("governance", CIVIL_GOVERNANCE_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    clerk_ = stack_->AuthHeaders("e2e-clerk", {"governance.clerk"}, "340722");
    reviewer_ = stack_->AuthHeaders("e2e-reviewer", {"governance.reviewer"}, "340722");
    ASSERT_TRUE(stack_->Ready());
  }

  inline static Headers clerk_, reviewer_;
};

TEST_F(GovernanceE2eTest, TreeGridImportReimportReviewSummary) {
  // The region tree: a seeded village, then a merged one answering the village it joined.
  json village = Ok(Http("GET", "/v1/governance/regions/340722102201", clerk_));
  EXPECT_EQ(village["region"]["name"], "龙虎村") << village;
  EXPECT_EQ(village["region"]["kind"], "REGION_KIND_VILLAGE");
  EXPECT_EQ(village["region"]["parentCode"], "340722102");
  json towns = Ok(Http("GET", "/v1/governance/regions?parentCode=340722&pageSize=100", clerk_));
  EXPECT_EQ(towns["regions"].size(), 16u) << towns;
  Ok(Http("POST", "/v1/governance/regions/340722102202:merge", reviewer_,
          {{"intoCode", "340722102201"}}));
  json merged = Ok(Http("GET", "/v1/governance/regions/340722102202", clerk_));
  EXPECT_EQ(merged["region"]["code"], "340722102201") << merged;
  EXPECT_EQ(merged["mergedFrom"][0]["mergeDate"], FormatDay(Today()));

  // Bad input is named and writes nothing; no token, no answer.
  HttpResponse bad = Http("POST", "/v1/governance/grids", clerk_,
                          {{"villageCode", "340722102"}, {"name", "镇网格"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("village_code: "), std::string::npos) << bad.body;
  EXPECT_EQ(Http("GET", "/v1/governance/grids", {}).status, 401);

  // A grid in 龙虎村.
  json grid = Ok(Http("POST", "/v1/governance/grids", clerk_,
                      {{"villageCode", "340722102201"}, {"name", "第一网格"}}));
  const std::string grid_code = grid["grid"]["gridCode"];
  const std::string grid_id = grid["grid"]["gridId"];
  EXPECT_EQ(grid_code, "340722102201001");

  // The CSV: two good rows, a wrong check character (row 4), an unknown grid (row 5).
  std::string wrong = Id("19800404", true, 4);
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  const std::string csv =
      "grid_code,name,id_number,address,household,tags\n" + grid_code + ",王某," +
      Id("19500101", true, 1) + ",龙虎村1组3号,H01,低保户\n" + grid_code + ",\"李某, 大\"," +
      Id("19620202", false, 2) + ",龙虎村2组8号,H02,\n" + grid_code + ",错号," + wrong +
      ",龙虎村3组1号,,\n" + "340722102201999,无格," + Id("19710303", true, 3) + ",龙虎村4组2号,,\n";
  json first =
      Ok(Http("POST", "/v1/governance/resident-records:importCsv", clerk_, {{"csv", csv}}));
  EXPECT_EQ(I64(first, "rows"), 4) << first;
  EXPECT_EQ(I64(first, "created"), 2) << first;
  EXPECT_EQ(I64(first, "rejected"), 2) << first;
  ASSERT_EQ(first["errors"].size(), 2u) << first;
  EXPECT_EQ(I64(first["errors"][0], "row"), 4);
  EXPECT_EQ(first["errors"][0]["field"], "id_number");
  EXPECT_EQ(first["errors"][0]["problem"], "wrong check character");
  EXPECT_EQ(I64(first["errors"][1], "row"), 5);
  EXPECT_EQ(first["errors"][1]["field"], "grid_code");

  // The same file again: the same report, nothing created.
  json again =
      Ok(Http("POST", "/v1/governance/resident-records:importCsv", clerk_, {{"csv", csv}}));
  EXPECT_EQ(I64(again, "created"), 0) << again;
  EXPECT_EQ(I64(again, "unchanged"), 2) << again;
  EXPECT_EQ(I64(again, "rejected"), 2) << again;

  // The reviewer's worklist of the grid; one record reviewed.
  json worklist = Ok(
      Http("GET",
           "/v1/governance/resident-records?gridId=" + grid_id + "&status=RECORD_STATUS_SUBMITTED",
           reviewer_));
  ASSERT_EQ(worklist["records"].size(), 2u) << worklist;
  EXPECT_EQ(worklist["records"][1]["name"], "李某, 大");
  const std::string record_id = worklist["records"][0]["recordId"];
  json reviewed = Ok(Http("POST", "/v1/governance/resident-records/" + record_id + ":review",
                          reviewer_, {{"decision", "RECORD_STATUS_REVIEWED"}}));
  EXPECT_EQ(reviewed["record"]["status"], "RECORD_STATUS_REVIEWED") << reviewed;
  // The clerk sees the ID number masked.
  json seen = Ok(Http("GET", "/v1/governance/resident-records/" + record_id, clerk_));
  const std::string id = Id("19500101", true, 1);
  EXPECT_EQ(seen["record"]["idNumber"], id.substr(0, 6) + "********" + id.substr(14)) << seen;

  // A record collected 20 days ago, imported with its day, and a page of the worklist decided
  // at once dated 10 days ago: the other record, submitted today, is refused (a review may not
  // precede its submission) and stays in the worklist. A malformed batch is named and decides
  // nothing.
  const std::string day20 = FormatDay(Today() - 20), day10 = FormatDay(Today() - 10);
  json dated =
      Ok(Http("POST", "/v1/governance/resident-records:importCsv", clerk_,
              {{"csv", "grid_code,name,id_number,address,submit_date\n" + grid_code + ",张某," +
                           Id("19550505", true, 5) + ",龙虎村5组1号," + day20 + "\n"}}));
  EXPECT_EQ(I64(dated, "created"), 1) << dated;
  json pending = Ok(
      Http("GET",
           "/v1/governance/resident-records?gridId=" + grid_id + "&status=RECORD_STATUS_SUBMITTED",
           reviewer_));
  ASSERT_EQ(pending["records"].size(), 2u) << pending;
  json ids = json::array();
  std::string dated_id;
  for (const json& r : pending["records"]) {
    ids.push_back(r["recordId"]);
    if (r["submitDate"] == day20) dated_id = r["recordId"];
  }
  ASSERT_FALSE(dated_id.empty()) << pending;
  HttpResponse empty = Http("POST", "/v1/governance/resident-records:reviewBatch", reviewer_,
                            {{"decision", "RECORD_STATUS_REVIEWED"}});
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_NE(empty.body.find("record_ids: is required"), std::string::npos) << empty.body;
  json batch =
      Ok(Http("POST", "/v1/governance/resident-records:reviewBatch", reviewer_,
              {{"recordIds", ids}, {"decision", "RECORD_STATUS_REVIEWED"}, {"reviewDate", day10}}));
  EXPECT_EQ(I64(batch, "decided"), 1) << batch;
  ASSERT_EQ(batch["refused"].size(), 1u) << batch;
  EXPECT_NE(batch["refused"][0]["recordId"], dated_id) << batch;
  EXPECT_EQ(batch["refused"][0]["code"], 9) << batch;  // FAILED_PRECONDITION
  json decided = Ok(Http("GET", "/v1/governance/resident-records/" + dated_id, clerk_));
  EXPECT_EQ(decided["record"]["status"], "RECORD_STATUS_REVIEWED") << decided;
  EXPECT_EQ(decided["record"]["reviewDate"], day10) << decided;

  // The summary: two records reviewed; the seeded communities have no notices yet.
  const std::string period =
      "?periodStart=" + FormatDay(Today() - 30) + "&periodEnd=" + FormatDay(Today());
  json summary = Ok(Http("GET", "/v1/governance/summary" + period, reviewer_));
  EXPECT_EQ(I64(summary, "recordsReviewed"), 2) << summary;
  EXPECT_EQ(I64(summary, "recordsSubmitted"), 3) << summary;
  EXPECT_EQ(summary.value("communities", 0), 33) << summary;  // 34 seeded, one merged today
  EXPECT_EQ(summary.value("communitiesWithNotices", 0), 0) << summary;
  EXPECT_EQ(summary["lines"][0], "完成网格化2条基础信息审核工作") << summary;
  EXPECT_EQ(Http("GET", "/v1/governance/summary" + period, clerk_).status, 403);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

// A residents' convention of a community through its five steps over HTTP, with a vote that
// counts more votes than members present (refused, naming the field, nothing written) and a step
// out of order; then the excellent-rules selection of the year.
TEST_F(GovernanceE2eTest, AResidentsConventionThroughItsFiveSteps) {
  json started = Ok(Http("POST", "/v1/governance/village-rules", clerk_,
                         {{"villageCode", "340722100001"},
                          {"kind", "RULE_KIND_RESIDENTS_CONVENTION"},
                          {"title", "居民公约（修订）"}}));
  const std::string id = started["rule"]["ruleId"];
  ASSERT_FALSE(id.empty()) << started;
  const std::string target = "/v1/governance/village-rules/" + id + ":step";
  auto step = [&](const std::string& name, json extra = json::object()) {
    extra["step"] = name;
    extra["document"] = name + " 文件";
    return Http("POST", target, clerk_, extra);
  };

  HttpResponse early = step("RULE_STEP_DRAFT");
  EXPECT_EQ(early.status, 400) << early.body;  // FAILED_PRECONDITION
  EXPECT_NE(early.body.find("step: DRAFT is out of order"), std::string::npos) << early.body;

  Ok(step("RULE_STEP_COLLECT_OPINIONS"));
  Ok(step("RULE_STEP_DRAFT"));
  Ok(step("RULE_STEP_LEGAL_REVIEW"));
  json counts = {{"membersTotal", 40},
                 {"membersPresent", 30},
                 {"votesFor", 25},
                 {"votesAgainst", 4},
                 {"votesAbstain", 2}};
  HttpResponse bad = step("RULE_STEP_VOTE", {{"vote", counts}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("members_present: 30 members present but 31 votes cast"),
            std::string::npos)
      << bad.body;
  json still = Ok(Http("GET", "/v1/governance/village-rules/" + id, clerk_));
  EXPECT_EQ(still["rule"]["completedStep"], "RULE_STEP_LEGAL_REVIEW") << still;
  EXPECT_EQ(still["rule"]["steps"].size(), 3u);

  counts["votesAbstain"] = 1;
  json voted = Ok(step("RULE_STEP_VOTE", {{"vote", counts}}));
  EXPECT_EQ(voted["recorded"]["passed"], true) << voted;
  json filed = Ok(step("RULE_STEP_FILE_AND_PUBLISH"));
  EXPECT_EQ(filed["rule"]["completedStep"], "RULE_STEP_FILE_AND_PUBLISH") << filed;
  EXPECT_EQ(filed["rule"]["completedDate"], FormatDay(Today()));
  EXPECT_EQ(filed["rule"]["steps"].size(), 5u);

  const int year = static_cast<int>(Today().year());
  Ok(Http("POST", "/v1/governance/village-rules/" + id + ":selectExcellent", reviewer_,
          {{"year", year}}));
  json excellent =
      Ok(Http("GET", "/v1/governance/excellent-rules?year=" + std::to_string(year), clerk_));
  ASSERT_EQ(excellent["selections"].size(), 1u) << excellent;
  EXPECT_EQ(excellent["selections"][0]["rule"]["ruleId"], id);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

// A boundary line with a tri-point marker and its board, and the line's joint inspection of the
// year; the summary counts both. A second inspection of the same year is refused.
TEST_F(GovernanceE2eTest, ABoundaryInspectionIsCountedByTheSummary) {
  json line = Ok(
      Http("POST", "/v1/governance/boundary-lines", clerk_,
           {{"townshipCode", "340722103"}, {"neighbour", "庐江县"}, {"name", "枞阳—庐江线(e2e)"}}));
  const std::string id = line["line"]["lineId"];
  ASSERT_FALSE(id.empty()) << line;
  json marker = Ok(Http("POST", "/v1/governance/boundary-lines/" + id + "/markers", clerk_,
                        {{"code", "E2E-三-01"},
                         {"latitude", 30.95},
                         {"longitude", 117.25},
                         {"kind", "MARKER_KIND_TRI_POINT"},
                         {"status", "MARKER_STATUS_INTACT"},
                         {"placedDate", "2010-05-01"}}));
  const std::string marker_id = marker["marker"]["markerId"];
  Ok(Http("POST", "/v1/governance/boundary-markers/" + marker_id + ":installBoard", clerk_,
          json::object()));
  const int year = static_cast<int>(Today().year());
  json inspection = {{"year", year}, {"archiveRef", "界线联检-E2E"}};
  Ok(Http("POST", "/v1/governance/boundary-lines/" + id + "/inspections", clerk_, inspection));
  EXPECT_EQ(Http("POST", "/v1/governance/boundary-lines/" + id + "/inspections", clerk_, inspection)
                .status,
            409);
  HttpResponse bad = Http("POST", "/v1/governance/boundary-lines/" + id + "/markers", clerk_,
                          {{"code", "E2E-02"},
                           {"latitude", 95},
                           {"longitude", 117},
                           {"kind", "MARKER_KIND_SINGLE"},
                           {"status", "MARKER_STATUS_INTACT"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("latitude: "), std::string::npos) << bad.body;

  const std::string day = FormatDay(Today());
  json summary = Ok(Http("GET",
                         "/v1/governance/summary?periodStart=" + std::to_string(year) +
                             "-01-01&periodEnd=" + day + "&regionPrefix=340722103",
                         reviewer_));
  EXPECT_EQ(summary["boundaryLinesInspected"], 1) << summary;
  EXPECT_EQ(summary["neighboursInspected"][0], "庐江县");
  EXPECT_EQ(summary["triPointMarkersWithBoards"], 1);
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

// A road name applied for, approved by a reviewer, filed late (after its 15 days) and not yet
// announced: a filing before the approval and a future date are refused; the late list shows the
// filing as late and, once its 15 days pass, the announcement as overdue.
TEST_F(GovernanceE2eTest, ARoadNameApprovedFiledLateAndListed) {
  const absl::CivilDay today = Today();
  json applied = Ok(Http("POST", "/v1/governance/place-names", clerk_,
                         {{"proposedName", "e2e大道"},
                          {"kind", "PLACE_KIND_ROAD"},
                          {"regionCode", "340722100"},
                          {"applicant", "县住房和城乡建设局"},
                          {"applicationDate", FormatDay(today - 40)}}));
  const std::string id = applied["placeName"]["nameId"];
  ASSERT_FALSE(id.empty()) << applied;
  const std::string base = "/v1/governance/place-names/" + id;

  HttpResponse early = Http("POST", base + ":file", clerk_, {{"document", "备案"}});
  EXPECT_EQ(early.status, 400) << early.body;  // FAILED_PRECONDITION
  EXPECT_NE(early.body.find("step: FILING is out of order; the next step is APPROVAL"),
            std::string::npos)
      << early.body;
  HttpResponse future = Http("POST", base + ":approve", reviewer_,
                             {{"document", "批复"}, {"approvalDate", FormatDay(today + 1)}});
  EXPECT_EQ(future.status, 400) << future.body;
  EXPECT_NE(future.body.find("approval_date: "), std::string::npos) << future.body;

  Ok(Http("POST", base + ":approve", reviewer_,
          {{"document", "枞政地名批复"}, {"approvalDate", FormatDay(today - 35)}}));
  json filed = Ok(Http("POST", base + ":file", clerk_,
                       {{"document", "市地名办备案"}, {"filingDate", FormatDay(today - 16)}}));
  EXPECT_EQ(filed["late"], true) << filed;
  EXPECT_EQ(filed["placeName"]["step"], "NAMING_STEP_FILING");
  EXPECT_EQ(filed["placeName"]["announcementDueDate"], FormatDay(today - 1));

  json late = Ok(Http("GET", "/v1/governance/late-place-names?regionPrefix=340722100", reviewer_));
  ASSERT_EQ(late["steps"].size(), 2u) << late;
  EXPECT_EQ(late["steps"][0]["step"], "NAMING_STEP_FILING");
  EXPECT_EQ(late["steps"][0]["doneDate"], FormatDay(today - 16));
  EXPECT_EQ(late["steps"][1]["step"], "NAMING_STEP_ANNOUNCEMENT");
  EXPECT_EQ(late["steps"][1]["overdue"], true);

  json announced = Ok(Http("POST", base + ":announce", clerk_, {{"document", "县政府网站"}}));
  EXPECT_EQ(announced["late"], true) << announced;
  EXPECT_EQ(announced["placeName"]["step"], "NAMING_STEP_ANNOUNCEMENT");
}

}  // namespace
}  // namespace civil::governance

namespace civil::governance {
namespace {

// A village's certificate list through the gateway: a bad entry is refused naming it, a version
// in force today is returned with the certificates it may and may not issue, a later version
// takes over from its day.
TEST_F(GovernanceE2eTest, AVillagesCertificateListInForce) {
  const absl::CivilDay today = Today();
  const std::string base = "/v1/governance/communities/340722100002/certificate-lists";
  HttpResponse bad =
      Http("POST", base, reviewer_,
           {{"document", "清单"}, {"items", {{{"name", "居住证明"}, {"mayIssue", true}}}}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("items[0].legal_basis: "), std::string::npos) << bad.body;
  Ok(Http("POST", base, reviewer_,
          {{"effectiveDate", FormatDay(today - 10)},
           {"document", "村证明事项清单"},
           {"items",
            {{{"name", "居住证明"}, {"mayIssue", true}, {"legalBasis", "《居住证暂行条例》"}},
             {{"name", "亲属关系证明"}, {"legalBasis", "省证明事项清理，已取消"}}}}}));
  Ok(Http("POST", base, reviewer_,
          {{"effectiveDate", FormatDay(today + 10)},
           {"document", "村证明事项清单（修订）"},
           {"items", {{{"name", "居住证明"}, {"legalBasis", "改由派出所出具"}}}}}));
  json now = Ok(Http("GET", "/v1/governance/communities/340722100002/certificate-list", clerk_));
  EXPECT_EQ(now["list"]["effectiveDate"], FormatDay(today - 10)) << now;
  EXPECT_EQ(now["list"]["supersededDate"], FormatDay(today + 10));
  EXPECT_EQ(now["list"]["mayIssue"][0]["name"], "居住证明");
  EXPECT_EQ(now["list"]["mayNotIssue"][0]["name"], "亲属关系证明");
  json later = Ok(
      Http("GET",
           "/v1/governance/communities/340722100002/certificate-list?asOf=" + FormatDay(today + 10),
           clerk_));
  EXPECT_EQ(later["list"]["mayNotIssue"][0]["legalBasis"], "改由派出所出具") << later;
  EXPECT_FALSE(later["list"].contains("mayIssue"));
}

}  // namespace
}  // namespace civil::governance
