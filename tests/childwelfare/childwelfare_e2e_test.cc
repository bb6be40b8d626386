// End to end: the real childwelfare_server and gateway binaries over a real PostgreSQL and Redis;
// HTTP/JSON through the gateway with bearer tokens. An orphan is identified (application,
// township check, county approval), paid two months, stopped by the 18th birthday by itself, paid
// a university stipend once, and the summary counts it all. A case approved more than a year ago is
// on the review worklist, overdue; its yearly review is prepared and decided by another person. A
// left-behind child is registered, visited by the village's director and off the quarter's
// worklist. Health packs and condolence money are distributed and counted in the summary; a run's
// bank file downloads with masked names and ID numbers, in full only for a reviewer's reason (and
// then in the ID-view trail). An application rejected at the township check is upheld on
// reconsideration (issue 18) and goes back to the check, the rejection kept in the case's
// history (GetChild), its note only for the child's own township.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/id_number.h"
#include "services/common/values.h"
#include "tests/support/gateway_e2e_test.h"
#include "tests/support/test_ids.h"

namespace civil::childwelfare {
namespace {

using json = nlohmann::json;
using civil::affairs::testing::Id;
using civil::testing::HttpResponse;
using Headers = std::map<std::string, std::string>;

class ChildWelfareE2eTest : public civil::testing::GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("childwelfare", CIVIL_CHILDWELFARE_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    clerk_ = stack_->AuthHeaders("e2e-clerk", {"childwelfare.clerk"}, "340722100");
    township_ = stack_->AuthHeaders("e2e-township", {"childwelfare.clerk"}, "340722100");
    reviewer_ = stack_->AuthHeaders("e2e-reviewer", {"childwelfare.reviewer"}, "340722");
    auditor_ = stack_->AuthHeaders("e2e-auditor", {"auditor"}, "340722");
    ASSERT_TRUE(stack_->Ready());
  }

  inline static Headers clerk_, township_, reviewer_, auditor_;
};

TEST_F(ChildWelfareE2eTest, IdentifiedPaidTwiceStoppedAt18ByItselfAndCounted) {
  const absl::CivilMonth now(Today());
  const absl::CivilMonth m1 = now - 2, m2 = now - 1;  // the two months paid
  // 18 on the 15th of the second month paid: paid through it, not the month after.
  const absl::CivilDay birth(m2.year() - 18, m2.month(), 15);
  char digits[9];
  std::snprintf(digits, sizeof digits, "%04d%02d%02d", static_cast<int>(birth.year()),
                birth.month(), birth.day());
  const std::string id = Id(digits, true, 3);
  const json application = {{"name", "小明"},
                            {"idNumber", id},
                            {"regionCode", "340722100001"},
                            {"category", "CATEGORY_ORPHAN_DISPERSED"},
                            {"father", "PARENT_SITUATION_DECEASED"},
                            {"mother", "PARENT_SITUATION_MISSING"},
                            {"guardianName", "王某"},
                            {"guardianRelation", "祖母"},
                            {"placement", "祖母家"},
                            {"applicationDate", FormatDay(absl::CivilDay(m1))}};

  // Bad input through the gateway: the field is named, nothing is written.
  std::string wrong = id;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  json bad_body = application;
  bad_body["idNumber"] = wrong;
  HttpResponse bad = Http("POST", "/v1/childwelfare/children", clerk_, bad_body);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("id_number: wrong check character"), std::string::npos) << bad.body;
  EXPECT_EQ(Http("GET", "/v1/childwelfare/children", {}).status, 401);

  json registered = Ok(Http("POST", "/v1/childwelfare/children", clerk_, application));
  const std::string child_id = registered["child"]["childId"];
  EXPECT_EQ(registered["child"]["status"], "CHILD_STATUS_PENDING_CHECK");
  EXPECT_EQ(registered["child"]["ageStopMonth"], FormatMonth(now));
  const std::string path = "/v1/childwelfare/children/" + child_id;
  // The clerk may not check their own application.
  EXPECT_EQ(Http("POST", path + ":check", clerk_, {{"passed", true}}).status, 403);
  json checked = Ok(Http("POST", path + ":check", township_,
                         {{"passed", true}, {"checkDate", FormatDay(absl::CivilDay(m1))}}));
  EXPECT_EQ(checked["child"]["status"], "CHILD_STATUS_PENDING_APPROVAL");
  json approved = Ok(Http("POST", path + ":approve", reviewer_,
                          {{"decisionDate", FormatDay(absl::CivilDay(m1) + 1)}}));
  EXPECT_EQ(approved["child"]["status"], "CHILD_STATUS_ACTIVE");

  // Two monthly runs; a repeated one pays nobody twice; the month after the birthday pays none.
  for (const absl::CivilMonth m : {m1, m2}) {
    json run = Ok(Http("POST", "/v1/childwelfare/allowance-payment-runs", reviewer_,
                       {{"month", FormatMonth(m)}, {"regionPrefix", "340722100"}}));
    EXPECT_EQ(run["paid"], 1) << run;
  }
  json rerun = Ok(Http("POST", "/v1/childwelfare/allowance-payment-runs", reviewer_,
                       {{"month", FormatMonth(m2)}}));
  EXPECT_EQ(rerun.value("paid", 0), 0) << rerun;
  EXPECT_EQ(rerun["alreadyPaid"], 1) << rerun;
  json after = Ok(Http("POST", "/v1/childwelfare/allowance-payment-runs", reviewer_,
                       {{"month", FormatMonth(now)}}));
  EXPECT_EQ(after.value("due", 0), 0) << after;

  // An orphan at university past the age stop: the stipend of the academic year, once.
  const int year = static_cast<int>(Today().year()) - 1;
  const std::string academic_year = std::to_string(year) + "-" + std::to_string(year + 1);
  json stipend = Ok(Http("POST", path + "/stipends", reviewer_,
                         {{"academicYear", academic_year}, {"university", "安徽大学"}}));
  EXPECT_EQ(stipend["stipend"]["amountFen"], "1000000") << stipend;
  EXPECT_EQ(Http("POST", path + "/stipends", reviewer_,
                 {{"academicYear", academic_year}, {"university", "安徽大学"}})
                .status,
            409);

  json got = Ok(Http("GET", path, clerk_));
  ASSERT_EQ(got["child"]["payments"].size(), 2u) << got;
  // The township's case worker saw the child's full name: the county's auditor finds that view
  // in the trail, with who, when, which child and why. The county reviewer sees it masked, and
  // that view leaves no row.
  EXPECT_EQ(got["child"]["name"], "小明") << got;
  const json county_view = Ok(Http("GET", path, reviewer_));
  EXPECT_NE(county_view["child"]["name"], "小明") << county_view;
  const json trail = Ok(Http("GET", "/v1/childwelfare/id-views?actor=e2e-clerk", auditor_));
  int seen = 0;
  for (const json& v : trail.value("views", json::array())) {
    if (v["method"] != "GetChild" || v["recordId"] != child_id) continue;
    ++seen;
    EXPECT_EQ(v["recordKind"], "child_name") << v;
    EXPECT_EQ(v["reason"], "本乡镇儿童个案工作 (township case work)") << v;
    EXPECT_EQ(v["regionCode"], "340722100001") << v;
    EXPECT_FALSE(v.value("viewedAt", "").empty()) << v;
  }
  EXPECT_EQ(seen, 1) << trail;
  const json reviewer_trail =
      Ok(Http("GET", "/v1/childwelfare/id-views?actor=e2e-reviewer", auditor_));
  for (const json& v : reviewer_trail.value("views", json::array())) {
    EXPECT_NE(v["method"], "GetChild") << v;
  }
  // A clerk may not read the trail.
  EXPECT_EQ(Http("GET", "/v1/childwelfare/id-views?actor=e2e-clerk", clerk_).status, 403);
  EXPECT_EQ(got["child"]["payments"][0]["month"], FormatMonth(m1));
  EXPECT_EQ(got["child"]["payments"][0]["amountFen"], "110000");
  EXPECT_EQ(got["child"]["payments"][1]["month"], FormatMonth(m2));

  // The summary of the two months: one orphan as of their end, 2,200 yuan paid.
  const std::string period = "?periodStart=" + FormatDay(absl::CivilDay(m1)) +
                             "&periodEnd=" + FormatDay(absl::CivilDay(now) - 1);
  json summary = Ok(Http("GET", "/v1/childwelfare/summary" + period, reviewer_));
  EXPECT_EQ(summary["orphanPersons"], 1) << summary;
  EXPECT_EQ(summary["orphanPaidFen"], "220000") << summary;
  EXPECT_EQ(summary["lines"][0], "孤儿基本生活保障对象1人,发放补助金额0.22万元") << summary;
  // Up to today the child is 18 and no longer counted; the money paid stays.
  json today = Ok(Http("GET",
                       "/v1/childwelfare/summary?periodStart=" + FormatDay(absl::CivilDay(m1)) +
                           "&periodEnd=" + FormatDay(Today()),
                       reviewer_));
  EXPECT_EQ(today.value("orphanPersons", 0), 0) << today;
  EXPECT_EQ(today["orphanPaidFen"], "220000") << today;
  EXPECT_EQ(today["stipendPersons"], 1) << today;
  EXPECT_EQ(today["stipendPaidFen"], "1000000") << today;
  EXPECT_EQ(today["lines"][2],
            "为在校孤儿大学生按照每人每学年1万元的标准,发放补助费用,共发放资金1万元,惠及1人")
      << today;
  EXPECT_EQ(Http("GET", "/v1/childwelfare/summary" + period, clerk_).status, 403);
}

TEST_F(ChildWelfareE2eTest, OverdueReviewPreparedDecidedByAnotherAndOffTheWorklist) {
  const absl::CivilDay applied = Today() - 400;
  const std::string id = Id("20160310", false, 7);
  json registered = Ok(Http("POST", "/v1/childwelfare/children", clerk_,
                            {{"name", "小红"},
                             {"idNumber", id},
                             {"regionCode", "340722100002"},
                             {"category", "CATEGORY_DE_FACTO_UNSUPPORTED"},
                             {"father", "PARENT_SITUATION_IMPRISONED"},
                             {"mother", "PARENT_SITUATION_LOST_CONTACT"},
                             {"guardianName", "李某"},
                             {"guardianRelation", "外祖父"},
                             {"placement", "外祖父家"},
                             {"applicationDate", FormatDay(applied)}}));
  const std::string child_id = registered["child"]["childId"];
  const std::string path = "/v1/childwelfare/children/" + child_id;
  Ok(Http("POST", path + ":check", township_,
          {{"passed", true}, {"checkDate", FormatDay(applied)}}));
  Ok(Http("POST", path + ":approve", reviewer_, {{"decisionDate", FormatDay(applied)}}));

  json due = Ok(Http("GET", "/v1/childwelfare/reviews-due?regionPrefix=340722100", clerk_));
  json* listed = nullptr;
  for (json& d : due["reviews"]) {
    if (d["childId"] == child_id) listed = &d;
  }
  ASSERT_NE(listed, nullptr) << due;
  EXPECT_EQ((*listed)["dueDate"],
            FormatDay(absl::CivilDay(applied.year() + 1, applied.month(), applied.day())))
      << due;
  EXPECT_EQ((*listed)["overdue"], true) << due;

  const json findings = {{"father", "PARENT_SITUATION_IMPRISONED"},
                         {"mother", "PARENT_SITUATION_LOST_CONTACT"},
                         {"guardianConfirmed", true},
                         {"placementConfirmed", true},
                         {"inSchool", true},
                         {"school", "枞阳县实验小学"},
                         {"findings", "外祖父照料,学习正常"},
                         {"proposed", "REVIEW_OUTCOME_CONTINUE"}};
  // Bad input through the gateway: the field is named, nothing is written.
  json bad_body = findings;
  bad_body["reviewDate"] = FormatDay(Today() + 1);
  HttpResponse bad = Http("POST", path + "/reviews", township_, bad_body);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("review_date:"), std::string::npos) << bad.body;
  bad_body = findings;
  bad_body["father"] = "PARENT_SITUATION_ABLE";
  bad = Http("POST", path + "/reviews", township_, bad_body);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("proposed:"), std::string::npos) << bad.body;
  EXPECT_EQ(Ok(Http("GET", path + "/reviews", clerk_)).value("reviews", json::array()).size(), 0u);

  json prepared = Ok(Http("POST", path + "/reviews", township_, findings));
  const std::string review_id = prepared["review"]["reviewId"];
  EXPECT_EQ(prepared["review"]["status"], "REVIEW_STATUS_PREPARED");
  const std::string decide = "/v1/childwelfare/reviews/" + review_id + ":decide";
  const Headers preparer_as_reviewer =
      stack_->AuthHeaders("e2e-township", {"childwelfare.reviewer"}, "340722");
  EXPECT_EQ(
      Http("POST", decide, preparer_as_reviewer, {{"outcome", "REVIEW_OUTCOME_CONTINUE"}}).status,
      403);
  json decided = Ok(Http("POST", decide, reviewer_, {{"outcome", "REVIEW_OUTCOME_CONTINUE"}}));
  EXPECT_EQ(decided["review"]["status"], "REVIEW_STATUS_DECIDED");
  EXPECT_EQ(decided["childStatus"], "CHILD_STATUS_ACTIVE");

  due = Ok(Http("GET", "/v1/childwelfare/reviews-due?regionPrefix=340722100", clerk_));
  for (const json& d : due.value("reviews", json::array())) EXPECT_NE(d["childId"], child_id);
}

TEST_F(ChildWelfareE2eTest, LeftBehindChildVisitedByTheVillageDirectorAndCounted) {
  const json registered = Ok(Http("POST", "/v1/childwelfare/care-children", clerk_,
                                  {{"name", "小军"},
                                   {"idNumber", Id("20170301", true, 9)},
                                   {"regionCode", "340722100003"},
                                   {"kind", "CARE_KIND_LEFT_BEHIND"},
                                   {"father", "WHEREABOUTS_MIGRANT_OUT_OF_PROVINCE"},
                                   {"mother", "WHEREABOUTS_MIGRANT_IN_PROVINCE"},
                                   {"carerName", "张某"},
                                   {"carerRelation", "祖父"},
                                   {"school", "枞阳县第二小学"}}));
  const std::string care_id = registered["child"]["careId"];
  const json worker = Ok(
      Http("POST", "/v1/childwelfare/care-workers", clerk_,
           {{"name", "赵主任"}, {"role", "WORKER_ROLE_DIRECTOR"}, {"regionCode", "340722100003"}}));
  const std::string worker_id = worker["worker"]["workerId"];

  auto on_worklist = [&] {
    const json due = Ok(Http("GET", "/v1/childwelfare/care-children:not-visited", clerk_));
    for (const json& c : due.value("children", json::array())) {
      if (c["careId"] == care_id) return true;
    }
    return false;
  };
  EXPECT_TRUE(on_worklist());

  // Bad input through the gateway: the field is named, nothing is written.
  const std::string visits = "/v1/childwelfare/care-children/" + care_id + "/visits";
  HttpResponse bad =
      Http("POST", visits, clerk_,
           {{"workerId", worker_id}, {"findings", "祖父照料"}, {"followUpNeeded", true}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("follow_up:"), std::string::npos) << bad.body;
  EXPECT_TRUE(on_worklist());

  const json visit = Ok(Http("POST", visits, clerk_,
                             {{"workerId", worker_id},
                              {"findings", "祖父照料,学习正常"},
                              {"followUpNeeded", true},
                              {"followUp", "联系学校关注心理状况"}}));
  EXPECT_EQ(visit["visit"]["visitDate"], FormatDay(Today()));
  EXPECT_FALSE(on_worklist());

  const json counts =
      Ok(Http("GET", "/v1/childwelfare/care-counts?regionPrefix=340722100003", clerk_));
  EXPECT_EQ(counts["leftBehind"], 1) << counts;
  EXPECT_EQ(counts["visited"], 1) << counts;
  EXPECT_EQ(counts["followUps"], 1) << counts;
  ASSERT_EQ(counts["villages"].size(), 1u) << counts;
  EXPECT_EQ(counts["villages"][0]["directors"], 1) << counts;
}

TEST_F(ChildWelfareE2eTest, CareDistributionsCountedAndTheBankFileMaskedUnlessAReviewerSaysWhy) {
  // A township of its own, so that the other tests' runs and figures do not meet this one's.
  const Headers clerk = stack_->AuthHeaders("e2e-clerk-3", {"childwelfare.clerk"}, "340722300");
  const Headers township =
      stack_->AuthHeaders("e2e-township-3", {"childwelfare.clerk"}, "340722300");
  const absl::CivilMonth paid(absl::CivilMonth(Today()) - 1);
  const std::string applied = FormatDay(absl::CivilDay(paid));
  const std::string id = Id("20150501", true, 21);
  const json orphan = Ok(Http("POST", "/v1/childwelfare/children", clerk,
                              {{"name", "张小明"},
                               {"idNumber", id},
                               {"regionCode", "340722300001"},
                               {"category", "CATEGORY_ORPHAN_DISPERSED"},
                               {"father", "PARENT_SITUATION_DECEASED"},
                               {"mother", "PARENT_SITUATION_DECEASED"},
                               {"guardianName", "王某"},
                               {"guardianRelation", "祖母"},
                               {"placement", "祖母家"},
                               {"applicationDate", applied}}));
  const std::string child_id = orphan["child"]["childId"];
  const std::string path = "/v1/childwelfare/children/" + child_id;
  Ok(Http("POST", path + ":check", township, {{"passed", true}, {"checkDate", applied}}));
  json approved = Ok(Http("POST", path + ":approve", reviewer_, {{"decisionDate", applied}}));
  EXPECT_EQ(approved["child"]["name"], "张*明") << approved;  // the county sees it masked
  const json care = Ok(Http("POST", "/v1/childwelfare/care-children", clerk,
                            {{"name", "李小红"},
                             {"idNumber", Id("20160601", false, 22)},
                             {"regionCode", "340722300001"},
                             {"kind", "CARE_KIND_LEFT_BEHIND"},
                             {"father", "WHEREABOUTS_MIGRANT_OUT_OF_PROVINCE"},
                             {"mother", "WHEREABOUTS_ABROAD"},
                             {"carerName", "李某"},
                             {"carerRelation", "祖父"},
                             {"registrationDate", applied}}));
  const std::string care_id = care["child"]["careId"];

  // Health packs at the township's event, condolence money to both children.
  const std::string distributions = "/v1/childwelfare/care-distributions";
  const json packs =
      Ok(Http("POST", distributions, clerk,
              {{"kind", "DISTRIBUTION_KIND_HEALTH_PACKS"},
               {"quantity", 807},
               {"regionCode", "340722300"},
               {"campaign", "社会散居孤儿、事实无人抚养儿童、农村留守儿童走访慰问活动"},
               {"giver", "县民政局"}}));
  EXPECT_EQ(packs["distribution"]["distributionDate"], FormatDay(Today())) << packs;
  json money = {
      {"kind", "DISTRIBUTION_KIND_CONDOLENCE_MONEY"},
      {"regionCode", "340722300"},
      {"campaign", "困难儿童慰问"},
      {"recipients",
       {{{"registry", "RECIPIENT_REGISTER_CHILD"}, {"id", child_id}, {"amountFen", 425000}},
        {{"registry", "RECIPIENT_REGISTER_CARE"}, {"id", care_id}, {"amountFen", 0}}}}};
  auto listed = [&] {
    return Ok(Http("GET", distributions + "?regionPrefix=340722300", clerk))
        .value("distributions", json::array())
        .size();
  };
  // Bad input names the field and writes nothing; another township is out of scope.
  HttpResponse bad = Http("POST", distributions, clerk, money);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("recipients[1].amount_fen:"), std::string::npos) << bad.body;
  json elsewhere = money;
  elsewhere["regionCode"] = "340722200";
  elsewhere["recipients"][1]["amountFen"] = 425000;
  EXPECT_EQ(Http("POST", distributions, clerk, elsewhere).status, 403);
  EXPECT_EQ(listed(), 1u);
  money["recipients"][1]["amountFen"] = 425000;
  const json given = Ok(Http("POST", distributions, clerk, money));
  EXPECT_EQ(given["distribution"]["totalFen"], "850000") << given;
  EXPECT_EQ(given["distribution"]["recipients"][0]["name"], "张小明") << given;
  EXPECT_EQ(listed(), 2u);
  const json seen_by_county = Ok(
      Http("GET", distributions + "?kind=DISTRIBUTION_KIND_CONDOLENCE_MONEY&regionPrefix=340722300",
           reviewer_));
  ASSERT_EQ(seen_by_county["distributions"].size(), 1u) << seen_by_county;
  EXPECT_EQ(seen_by_county["distributions"][0]["recipients"][1]["name"], "李*红");

  const json summary =
      Ok(Http("GET",
              "/v1/childwelfare/summary?regionPrefix=340722300&periodStart=" + applied +
                  "&periodEnd=" + FormatDay(Today()),
              reviewer_));
  EXPECT_EQ(summary["healthPacks"], "807") << summary;
  EXPECT_EQ(summary["condolenceChildren"], 2) << summary;
  EXPECT_EQ(summary["condolencePaidFen"], "850000") << summary;
  EXPECT_EQ(summary["lines"][3], "发放“健康包”807份,对生活困难的2名儿童发放慰问金0.85万元")
      << summary;

  // The month's run for the village, and its bank file.
  const json run = Ok(Http("POST", "/v1/childwelfare/allowance-payment-runs", reviewer_,
                           {{"month", FormatMonth(paid)}, {"regionPrefix", "340722300001"}}));
  ASSERT_EQ(run["paid"], 1) << run;
  const std::string bank_file =
      "/v1/childwelfare/allowance-payment-runs/" + run["runId"].get<std::string>() + "/bank-file";
  auto content = [](const json& file) {
    std::string csv;
    EXPECT_TRUE(absl::Base64Unescape(file["content"].get<std::string>(), &csv)) << file;
    return csv;
  };
  const json masked = Ok(Http("GET", bank_file, auditor_));
  EXPECT_EQ(masked.value("fullIdNumbers", false), false) << masked;
  EXPECT_EQ(masked["rows"], "1") << masked;
  std::string csv = content(masked);
  EXPECT_NE(csv.find(",张*明,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(id), std::string::npos) << csv;
  EXPECT_NE(csv.find(",1100.00," + FormatMonth(paid) + ",340722300001,孤儿基本生活费\r\n"),
            std::string::npos)
      << csv;
  // Full only for a reviewer who says why (报送银行代发), and recorded.
  const std::string reason = "?revealReason=%E6%8A%A5%E9%80%81%E9%93%B6%E8%A1%8C%E4%BB%A3%E5%8F%91";
  EXPECT_EQ(Http("GET", bank_file + reason, auditor_).status, 403);
  EXPECT_EQ(Http("GET", bank_file + "?regionPrefix=3407221", reviewer_).status, 400);
  const json views_before =
      Ok(Http("GET", "/v1/childwelfare/id-views?actor=e2e-reviewer", auditor_));
  EXPECT_EQ(views_before.value("views", json::array()).size(), 0u) << views_before;
  const json full = Ok(Http("GET", bank_file + reason, reviewer_));
  EXPECT_EQ(full["fullIdNumbers"], true) << full;
  csv = content(full);
  EXPECT_NE(csv.find(",张小明," + id + ","), std::string::npos) << csv;
  const json views = Ok(Http("GET", "/v1/childwelfare/id-views?actor=e2e-reviewer", auditor_));
  ASSERT_EQ(views["views"].size(), 1u) << views;
  EXPECT_EQ(views["views"][0]["method"], "ExportBankFile") << views;
  EXPECT_EQ(views["views"][0]["reason"], "报送银行代发") << views;
}

// Issue 18 through the gateway: a child's application rejected at the township check, the
// reconsideration (复核) filed, on the open worklist, assigned, answered and upheld by a reviewer
// (a clerk may not decide it); no money moves, so it closes at once and the application is back
// at the township check with the rejection kept in GetChild's history (its note for the child's
// township, withheld from the county), and the check and the approval decide again. Another
// township's clerk may neither file nor read it, nor read the case's history; a bad field is 400
// naming it and files nothing; the summary counts the grievance. A township of its own (340722400),
// so that the other tests' children and figures do not meet this one's.
TEST_F(ChildWelfareE2eTest, ARejectionUpheldOnReconsiderationGoesBackToTheCheckKeepingIt) {
  const Headers clerk = stack_->AuthHeaders("e2e-clerk-4", {"childwelfare.clerk"}, "340722400");
  const Headers township =
      stack_->AuthHeaders("e2e-township-4", {"childwelfare.clerk"}, "340722400");
  const Headers elsewhere = stack_->AuthHeaders("e2e-clerk-5", {"childwelfare.clerk"}, "340722500");
  const absl::CivilDay today = Today();
  const json registered = Ok(Http("POST", "/v1/childwelfare/children", clerk,
                                  {{"name", "周小雨"},
                                   {"idNumber", Id("20140405", false, 31)},
                                   {"regionCode", "340722400001"},
                                   {"category", "CATEGORY_ORPHAN_DISPERSED"},
                                   {"father", "PARENT_SITUATION_DECEASED"},
                                   {"mother", "PARENT_SITUATION_MISSING"},
                                   {"guardianName", "周某"},
                                   {"guardianRelation", "祖父"},
                                   {"placement", "祖父家"},
                                   {"applicationDate", FormatDay(today - 20)}}));
  const std::string child_id = registered["child"]["childId"];
  const std::string path = "/v1/childwelfare/children/" + child_id;
  const json rejected =
      Ok(Http("POST", path + ":check", township,
              {{"passed", false}, {"note", "母亲健在"}, {"checkDate", FormatDay(today - 19)}}));
  EXPECT_EQ(rejected["child"]["status"], "CHILD_STATUS_REJECTED") << rejected;
  EXPECT_EQ(rejected["child"]["checkNote"], "母亲健在") << rejected;

  const std::string grievances = "/v1/childwelfare/grievances";
  const std::string summary_path =
      "/v1/childwelfare/summary?regionPrefix=340722400&periodStart=" + FormatDay(today - 30) +
      "&periodEnd=" + FormatDay(today);
  const json before = Ok(Http("GET", summary_path, reviewer_));
  EXPECT_EQ(I64(before.value("grievances", json::object()), "received"), 0) << before;
  // The grievance ids a caller sees on the worklist `query`.
  auto listed = [&](const Headers& who, const std::string& query) {
    std::vector<std::string> ids;
    const json page = Ok(Http("GET", grievances + query, who));
    for (const json& g : page.value("grievances", json::array())) ids.push_back(g["grievanceId"]);
    return ids;
  };
  const json filing = {{"kind", "RECONSIDERATION"},
                       {"caseKind", "CHILD"},
                       {"caseId", child_id},
                       {"complainant", "周某"},
                       {"complainantPhone", "13900000000"},
                       {"category", "孤儿认定"},
                       {"details", "母亲已失踪多年，有派出所证明"},
                       {"receivedOn", FormatDay(today - 10)}};
  // Bad fields: 400 naming the field, and nothing is filed.
  ExpectBadGrievanceFilingsRefused(grievances, clerk, filing, "APPLICATION", "CHILD, ALLOWANCE");
  // Another township's clerk may not file against the child.
  HttpResponse r = Http("POST", grievances, elsewhere, filing);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Message(r).rfind("case_id: region 340722400001 is outside your scope", 0), 0u)
      << r.body;
  EXPECT_TRUE(listed(clerk, "").empty());
  EXPECT_TRUE(listed(reviewer_, "?regionPrefix=340722400").empty());

  // Filed by the clerk: on the township's open worklist, and no other township's.
  json grievance = Ok(Http("POST", grievances, clerk, filing))["grievance"];
  const std::string grievance_id = grievance.value("grievanceId", "");
  ASSERT_FALSE(grievance_id.empty()) << grievance;
  EXPECT_EQ(grievance["status"], "RECEIVED") << grievance;
  EXPECT_EQ(grievance["kind"], "RECONSIDERATION") << grievance;
  EXPECT_EQ(grievance["regionCode"], "340722400001") << grievance;
  EXPECT_FALSE(grievance.value("deadline", "").empty()) << grievance;
  EXPECT_EQ(listed(clerk, "?openOnly=true"), std::vector<std::string>{grievance_id});
  EXPECT_TRUE(listed(elsewhere, "?openOnly=true").empty());
  const std::string gpath = grievances + "/" + grievance_id;
  r = Http("GET", gpath, elsewhere);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Message(r).rfind("grievance_id: region 340722400001 is outside your scope", 0), 0u)
      << r.body;
  EXPECT_EQ(Http("POST", gpath + ":assign", elsewhere, {{"assignee", "e2e-clerk-5"}}).status, 403);

  // Assigned and answered by the township; a clerk may not decide it, a reviewer upholds it.
  const json decided =
      AnsweredThenUpheld(gpath, clerk, reviewer_, "e2e-clerk-4",
                         "经复查，母亲失踪属实，原审核依据不足", FormatDay(today - 5));
  // No money moves on a CHILD case: closed at once, nothing for a second reviewer to confirm.
  EXPECT_EQ(decided["status"], "CLOSED") << decided;
  EXPECT_EQ(decided["outcome"], "UPHELD") << decided;
  EXPECT_EQ(decided["decidedBy"], "e2e-reviewer") << decided;
  EXPECT_EQ(decided.value("confirmedBy", ""), "") << decided;
  EXPECT_EQ(decided["closedOn"], FormatDay(today)) << decided;
  EXPECT_EQ(decided["reopened"], "application back to the township check") << decided;
  const Headers second = stack_->AuthHeaders("e2e-reviewer-2", {"childwelfare.reviewer"}, "340722");
  r = Http("POST", gpath + ":confirm", second, json::object());
  EXPECT_EQ(r.status, 400) << r.body;  // FAILED_PRECONDITION: nothing to confirm
  EXPECT_NE(Message(r).find("CLOSED grievance has nothing to confirm"), std::string::npos)
      << r.body;

  // The application is back at the township check, its check fields cleared; GetChild's history
  // keeps the rejection (who, when, the note) and the reopening (who upheld it, when, which
  // grievance).
  const json reopened = Ok(Http("GET", path, clerk))["child"];
  EXPECT_EQ(reopened["status"], "CHILD_STATUS_PENDING_CHECK") << reopened;
  EXPECT_EQ(reopened.value("checkNote", ""), "") << reopened;
  EXPECT_EQ(reopened.value("checkedBy", ""), "") << reopened;
  EXPECT_EQ(reopened["applicationDate"], FormatDay(today - 20)) << reopened;
  EXPECT_EQ(reopened["recordedBy"], "e2e-clerk-4") << reopened;
  // The steps as "ACTION actor day note grievance[ withheld]", one per line.
  auto steps = [](const json& child) {
    std::string out;
    for (const json& h : child.value("history", json::array())) {
      out += h.value("action", "") + " " + h.value("actor", "") + " " + h.value("happenedOn", "") +
             " " + h.value("note", "") + " " + h.value("grievanceId", "") +
             (h.value("noteWithheld", false) ? " withheld" : "") + "\n";
    }
    return out;
  };
  // The township's case worker reads the note too.
  const std::string kept = "REJECTED e2e-township-4 " + FormatDay(today - 19) +
                           " 母亲健在 \nREOPENED e2e-reviewer " + FormatDay(today) + "  " +
                           grievance_id + "\n";
  EXPECT_EQ(steps(reopened), kept) << reopened;
  // The county's reviewer reads the steps without the note, which may tell about the family.
  const json county = Ok(Http("GET", path, reviewer_))["child"];
  EXPECT_EQ(steps(county), "REJECTED e2e-township-4 " + FormatDay(today - 19) +
                               "   withheld\nREOPENED e2e-reviewer " + FormatDay(today) + "  " +
                               grievance_id + "\n")
      << county;
  // Another township's clerk reads nothing of the case: 403, no history in the body.
  r = Http("GET", path, elsewhere);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.body.find("母亲健在"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("history"), std::string::npos) << r.body;

  // The grievance is closed with its steps, off the open worklist, still on the full one.
  const json closed = Ok(Http("GET", gpath, clerk))["grievance"];
  EXPECT_EQ(closed["status"], "CLOSED") << closed;
  std::string actions;
  for (const json& h : closed.value("history", json::array())) {
    actions += h.value("action", "") + ",";
  }
  EXPECT_EQ(actions, "RECEIVED,ASSIGNED,RESPONDED,DECIDED,REOPENED,") << closed;
  EXPECT_EQ(closed["history"].back().value("note", ""), "application back to the township check")
      << closed;
  EXPECT_TRUE(listed(clerk, "?openOnly=true").empty());
  EXPECT_EQ(listed(clerk, ""), std::vector<std::string>{grievance_id});

  // The check and the approval decide again: the child is identified.
  const json passed = Ok(Http("POST", path + ":check", township, {{"passed", true}}));
  EXPECT_EQ(passed["child"]["status"], "CHILD_STATUS_PENDING_APPROVAL") << passed;
  const json approved = Ok(Http("POST", path + ":approve", reviewer_, json::object()));
  EXPECT_EQ(approved["child"]["status"], "CHILD_STATUS_ACTIVE") << approved;
  // A second grievance upheld finds nothing to reopen, and writes nothing.
  json again = filing;
  again["receivedOn"] = FormatDay(today);
  const std::string second_id =
      Ok(Http("POST", grievances, clerk, again))["grievance"].value("grievanceId", "");
  const std::string spath = grievances + "/" + second_id;
  Ok(Http("POST", spath + ":assign", clerk, {{"assignee", "e2e-clerk-4"}}));
  Ok(Http("POST", spath + ":respond", clerk, {{"response", "已重新审核"}}));
  r = Http("POST", spath + ":decide", reviewer_, {{"outcome", "UPHELD"}});
  EXPECT_EQ(r.status, 400) << r.body;  // FAILED_PRECONDITION
  EXPECT_EQ(Message(r), "case_id: the case is ACTIVE, nothing to reopen") << r.body;
  EXPECT_EQ(Ok(Http("GET", spath, clerk))["grievance"]["status"], "RESPONDED");
  // The history is as it was: the new check and approval are the case's own fields.
  const json identified = Ok(Http("GET", path, clerk))["child"];
  EXPECT_EQ(steps(identified), kept) << identified;
  EXPECT_EQ(identified["checkedBy"], "e2e-township-4") << identified;

  // The summary counts both grievances received in the period, the first closed in time.
  const json after = Ok(Http("GET", summary_path, reviewer_));
  const json figures = after.value("grievances", json::object());
  EXPECT_EQ(I64(figures, "received"), 2) << after;
  EXPECT_EQ(I64(figures, "resolvedWithinDeadline"), 1) << after;
  EXPECT_EQ(I64(figures, "overdue"), 0) << after;
}

}  // namespace
}  // namespace civil::childwelfare
