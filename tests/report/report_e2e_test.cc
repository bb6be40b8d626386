// End-to-end test of the work summary: the real gateway in front of the real department servers
// (assistance, affairs, eldercare, childwelfare, socialorg, governance) and the report, each with
// its own database. A cremation recorded through affairs's API reaches the
// Markdown document, and governance's figures (nothing reviewed yet) are said; bad input is refused
// naming the parameter.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "services/common/clock.h"
#include "services/common/id_number.h"
#include "services/common/values.h"
#include "tests/support/gateway_e2e_test.h"
#include "tests/support/test_ids.h"

namespace civil::report {
namespace {

using json = nlohmann::json;
using civil::affairs::testing::Id;
using civil::testing::HttpResponse;
using Headers = std::map<std::string, std::string>;

class ReportE2eTest : public civil::testing::GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Service("affairs", CIVIL_AFFAIRS_SERVER)
                 .Service("eldercare", CIVIL_ELDERCARE_SERVER)
                 .Service("childwelfare", CIVIL_CHILDWELFARE_SERVER)
                 .Service("socialorg", CIVIL_SOCIALORG_SERVER)
                 .Service("governance", CIVIL_GOVERNANCE_SERVER)
                 .Service("report", CIVIL_REPORT_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    leader_ = stack_->AuthHeaders("e2e-leader", {"leadership"}, "340722");
    township_ = stack_->AuthHeaders("e2e-township", {"leadership"}, "340722100");
    affairs_clerk_ = stack_->AuthHeaders("e2e-funeral-clerk", {"affairs.clerk"}, "340722");
    affairs_reviewer_ = stack_->AuthHeaders("e2e-funeral-reviewer", {"affairs.reviewer"}, "340722");
    ASSERT_TRUE(stack_->Ready());
  }

  inline static Headers leader_, township_, affairs_clerk_, affairs_reviewer_;
};

TEST_F(ReportE2eTest, TheWorkSummaryInMarkdownFromTheRealDepartments) {
  const absl::CivilDay today = Today();
  Ok(Http("POST", "/v1/affairs/funeral-fee-schedules", affairs_reviewer_,
          {{"regionPrefix", "340722"},
           {"effectiveFrom", "2020-01-01"},
           {"items", {{{"code", "CREMATION"}, {"name", "遗体火化"}, {"amountFen", "60000"}}}}}));
  Ok(Http("POST", "/v1/affairs/cremations", affairs_clerk_,
          {{"name", "王某"},
           {"idNumber", Id("19400315", true, 3)},
           {"dateOfDeath", FormatDay(today - 11)},
           {"cremationDate", FormatDay(today - 10)},
           {"funeralHome", "枞阳县殡仪馆"},
           {"regionCode", "340722100001"}}));

  const std::string period =
      "period_start=" + FormatDay(today - 200) + "&period_end=" + FormatDay(today);
  json r = Ok(Http("GET", "/v1/reports/work-summary?" + period + "&format=md", leader_));
  ASSERT_TRUE(r.is_object());
  const std::string md = r.value("document", "");
  EXPECT_EQ(r.value("contentType", ""), "text/markdown; charset=utf-8");
  EXPECT_TRUE(absl::StartsWith(md, "# ")) << md;
  EXPECT_TRUE(absl::StrContains(md, "## 一、")) << md;
  EXPECT_TRUE(absl::StrContains(md,
                                "(四)社会事务工作有序开展,为民服务能力明显提升。一是持续深化殡葬"
                                "领域改革。"))
      << md;
  EXPECT_TRUE(absl::StrContains(md, "全县累计火化遗体1具")) << md;
  // The departments that have nothing in the period answered: their sentences whose figures are
  // all 0 are not said (the seed says nothing of a programme without caseload).
  EXPECT_FALSE(absl::StrContains(md, "享有高龄津贴0人")) << md;
  EXPECT_FALSE(absl::StrContains(md, "社会组织注销0家")) << md;
  EXPECT_FALSE(absl::StrContains(md, "完成网格化0条")) << md;
  EXPECT_TRUE(
      absl::StrContains(md, "(五)社会组织管理不断规范,社工事业健康良性发展。本期无相关数据。"))
      << md;
  EXPECT_FALSE(absl::StrContains(md, "数据暂缺")) << md;
  EXPECT_FALSE(absl::StrContains(md, "社会事务数据暂缺")) << md;
  EXPECT_TRUE(absl::StrContains(md, "## 二、")) << md;
  EXPECT_TRUE(absl::EndsWith(md, "枞阳县民政局  \n" + std::to_string(today.year()) + "年" +
                                     std::to_string(today.month()) + "月" +
                                     std::to_string(today.day()) + "日\n"))
      << md;
  // Every department answered: the (empty, so omitted) list of missing ones.
  EXPECT_FALSE(r.contains("missingDepartments")) << r.dump();
  bool cremations = false;
  for (const json& f : r["figures"]) {
    if (f["department"] == "affairs" && f["measure"] == "cremations") {
      cremations = true;
      EXPECT_EQ(f["value"], "1");
      EXPECT_EQ(f["unit"], "具");
    }
  }
  EXPECT_TRUE(cremations) << r.dump();

  // The township's own report: asked for the township, the cremation in its village counts.
  json own = Ok(Http("GET", "/v1/reports/work-summary?" + period + "&format=md", township_));
  EXPECT_TRUE(absl::StrContains(own.value("document", ""), "全乡(镇)累计火化遗体1具"))
      << own.dump();

  // 环比 and 同比: the ten days after the cremation, compared with the ten days that hold it.
  json compared = Ok(Http("GET",
                          "/v1/reports/work-summary?period_start=" + FormatDay(today - 9) +
                              "&period_end=" + FormatDay(today) + "&format=md&compare=true",
                          leader_));
  EXPECT_EQ(compared.value("previousStart", ""), FormatDay(today - 19));
  EXPECT_EQ(compared.value("previousEnd", ""), FormatDay(today - 10));
  EXPECT_EQ(compared.value("yearAgoEnd", ""),
            FormatDay(absl::CivilDay(today.year() - 1, today.month(),
                                     today.month() == 2 && today.day() == 29 ? 28 : today.day())));
  EXPECT_TRUE(absl::StrContains(compared.value("document", ""),
                                "## 附:主要数据环比、同比\n\n火化遗体0具,环比下降100.0%。"))
      << compared.value("document", "");
  bool compared_cremations = false;
  for (const json& f : compared["figures"]) {
    if (f.value("measure", "") != "cremations") continue;
    compared_cremations = true;
    EXPECT_EQ(f.value("previousValue", ""), "1") << f;
    EXPECT_EQ(f.value("hasPrevious", false), true) << f;
    EXPECT_EQ(f.value("hasYearAgo", false), true) << f;
  }
  EXPECT_TRUE(compared_cremations) << compared.dump();

  // The same report as a Word file, converted by pandoc: a ZIP whose document holds the title.
  json word = Ok(Http("GET", "/v1/reports/work-summary?" + period + "&format=docx", leader_));
  EXPECT_EQ(word.value("contentType", ""),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  std::string docx;
  ASSERT_TRUE(absl::Base64Unescape(word.value("documentFile", ""), &docx)) << word.dump();
  ASSERT_GT(docx.size(), 1000u);
  EXPECT_EQ(docx.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(docx.find("word/document.xml"), std::string::npos);

  // A month by name: the 月报's title.
  char month[8];
  std::snprintf(month, sizeof month, "%04d-%02d", static_cast<int>(today.year()), today.month());
  json monthly = Ok(
      Http("GET", std::string("/v1/reports/work-summary?period=") + month + "&format=md", leader_));
  EXPECT_TRUE(absl::StartsWith(
      monthly.value("document", ""),
      absl::StrCat("# ", today.year(), "年", today.month(), "月工作总结和下月工作安排")))
      << monthly.value("document", "");
}

TEST_F(ReportE2eTest, BadInputIsRefusedNamingTheParameter) {
  HttpResponse r = Http(
      "GET", "/v1/reports/work-summary?period_start=2023-06-30&period_end=2023-01-01&format=md",
      leader_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(absl::StrContains(r.body, "period_end")) << r.body;
  r = Http("GET",
           "/v1/reports/work-summary?period_start=2023-01-01&period_end=2023-06-30&format=pdf",
           leader_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(absl::StrContains(r.body, "format: must be json, md, html or docx")) << r.body;
  r = Http("GET", "/v1/reports/work-summary?period=2023-Q5&format=md", leader_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(absl::StrContains(r.body, "period: must be a month")) << r.body;
  r = Http("GET",
           "/v1/reports/work-summary?period_start=2023-01-01&period_end=2023-06-30&format=md"
           "&region_prefix=340722200",
           township_);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(absl::StrContains(r.body, "region_prefix")) << r.body;
  EXPECT_EQ(
      Http("GET", "/v1/reports/work-summary?period_start=2023-01-01&period_end=2023-06-30", {})
          .status,
      401);
}

}  // namespace
}  // namespace civil::report
