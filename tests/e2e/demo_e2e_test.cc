// The county generator of issue #16 end to end: the six departments, the report and the gateway
// as real processes; tools/county_datagen.py builds 枞阳县's first half of 2023 at a small scale
// through the gateway only (its tokens are this stack's), and writes the figures its plan must
// produce. The work summary of 2023-01-01 … 2023-06-30 (format=json and md) must carry each of
// them: one assertion per planned figure, and each planned sentence in the Markdown document.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "tests/support/gateway_e2e_test.h"

namespace civil::testing {
namespace {

using json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

// Small enough for CI on a loaded machine (a few thousand requests), large enough that every
// planned figure is non-zero.
constexpr char kScale[] = "0.02";
constexpr char kPeriod[] = "period_start=2023-01-01&period_end=2023-06-30";

class DemoE2eTest : public GatewayE2eTest {
 protected:
  static void SetUpTestSuite() {
    stack_ = E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Service("affairs", CIVIL_AFFAIRS_SERVER)
                 .Service("eldercare", CIVIL_ELDERCARE_SERVER)
                 .Service("childwelfare", CIVIL_CHILDWELFARE_SERVER)
                 .Service("socialorg", CIVIL_SOCIALORG_SERVER)
                 .Service("governance", CIVIL_GOVERNANCE_SERVER)
                 .Service("report", CIVIL_REPORT_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
                 .Start();
    ASSERT_TRUE(stack_->Ready());
    leader_ = stack_->AuthHeaders("e2e-leader", {"leadership"}, "340722");
  }

  // Runs the generator against the stack's gateway; the plan's expectations, or null.
  static json Generate(const std::string& dir) {
    json tokens = json::object();
    // The generator's callers (tools/county_datagen.py ROLES): name → role; two clerks of
    // childwelfare, since the township's check is another person's.
    const std::vector<std::pair<std::string, std::string>> callers = {
        {"assistance.clerk", "assistance.clerk"},
        {"assistance.reviewer", "assistance.reviewer"},
        {"affairs.clerk", "affairs.clerk"},
        {"affairs.reviewer", "affairs.reviewer"},
        {"eldercare.clerk", "eldercare.clerk"},
        {"eldercare.reviewer", "eldercare.reviewer"},
        {"childwelfare.clerk", "childwelfare.clerk"},
        {"childwelfare.township", "childwelfare.clerk"},
        {"childwelfare.reviewer", "childwelfare.reviewer"},
        {"socialorg.clerk", "socialorg.clerk"},
        {"socialorg.reviewer", "socialorg.reviewer"},
        {"governance.clerk", "governance.clerk"},
        {"governance.reviewer", "governance.reviewer"},
        {"leadership", "leadership"}};
    for (const auto& [name, role] : callers) {
      tokens[name] = MintTestToken(stack_->keys(), "datagen-" + name, {role}, "340722", 3 * 3600);
    }
    const std::string tokens_path = dir + "/tokens.json", expect_path = dir + "/expect.json";
    std::ofstream(tokens_path) << tokens.dump();
    const std::string command =
        absl::StrCat("/usr/bin/python3 ", CIVIL_COUNTY_DATAGEN,
                     " --gateway http://127.0.0.1:", stack_->http_port(), " --scale ", kScale,
                     " --workers 8 --tokens ", tokens_path, " --expect ", expect_path, " 2>", dir,
                     "/datagen.log");
    const int rc = std::system(command.c_str());
    std::ifstream log(dir + "/datagen.log");
    std::stringstream text;
    text << log.rdbuf();
    std::cerr << text.str();
    EXPECT_EQ(rc, 0) << command << "\n" << text.str() << stack_->Logs();
    if (rc != 0) return nullptr;
    std::ifstream in(expect_path);
    return json::parse(in, nullptr, false);
  }

  inline static Headers leader_;
};

TEST_F(DemoE2eTest, TheWorkSummaryCarriesEveryFigureTheGeneratorPlanned) {
  char pattern[] = "/tmp/civil-demo-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const json expect = Generate(pattern);
  ASSERT_TRUE(expect.is_object()) << "no expectations from the generator";
  ASSERT_GE(expect["figures"].size(), 60u) << expect.dump();

  const json summary =
      Ok(Http("GET", absl::StrCat("/v1/reports/work-summary?", kPeriod, "&format=json"), leader_));
  EXPECT_FALSE(summary.contains("missingDepartments")) << summary.dump();
  // proto3 JSON leaves a zero value out.
  std::map<std::string, std::string> got;
  for (const json& f : summary.value("figures", json::array())) {
    got[f.value("department", "") + "/" + f.value("measure", "")] = f.value("value", "0");
  }
  for (const auto& [figure, value] : expect["figures"].items()) {
    ASSERT_TRUE(got.count(figure)) << figure << " is not in the work summary";
    EXPECT_EQ(got[figure], value.get<std::string>()) << figure;
  }

  const json md =
      Ok(Http("GET", absl::StrCat("/v1/reports/work-summary?", kPeriod, "&format=md"), leader_));
  const std::string document = md.value("document", "");
  ASSERT_TRUE(absl::StartsWith(document, "# 2023年上半年工作总结和下半年工作安排")) << document;
  for (const json& line : expect["lines"]) {
    EXPECT_TRUE(absl::StrContains(document, line.get<std::string>()))
        << line.get<std::string>() << "\nnot in\n"
        << document;
  }
  std::cerr << document;
  if (!HasFailure()) std::filesystem::remove_all(pattern);  // kept for a failure's post-mortem
}

}  // namespace
}  // namespace civil::testing
