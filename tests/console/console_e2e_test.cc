// The web console end to end in a real browser: every department's server and the gateway (which
// serves the built console under /console/ and, as under `make run`, the development sign-in),
// then tests/console/console_e2e.cjs — Playwright driving Debian's Chromium — through a clerk's
// and a reviewer's day: a household registered (a wrong ID check character refused beside the
// field), its 低保 application investigated, published, approved, paid and counted on the
// dashboard, and a clerk of another township refused the case. axe-core checks every page; the
// screenshots of every page are the test's artefacts (CIVIL_CONSOLE_ARTIFACTS).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/support/e2e_stack.h"

namespace {

constexpr char kChromium[] = "/usr/bin/chromium";

// Runs `command` through the shell; returns its exit status, its output (stdout and stderr) in
// `output`.
int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output->append(buffer.data(), n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

TEST(ConsoleE2eTest, ClerkAndReviewerTakeAHouseholdFromRegistrationToTheDashboard) {
  const std::string prefix = CIVIL_CONSOLE_PREFIX;
  ASSERT_TRUE(std::filesystem::exists(kChromium))
      << kChromium << " is missing: make deps installs Debian's chromium";
  ASSERT_TRUE(std::filesystem::exists(prefix + "/dist/index.html"))
      << "the console is not built (target gateway_console)";
  ASSERT_TRUE(std::filesystem::exists(prefix + "/node_modules/playwright-core/package.json"))
      << "the console's npm packages are not installed (target gateway_console)";

  std::unique_ptr<civil::testing::E2eStack> stack =
      civil::testing::E2eStack::Builder()
          .Service("assistance", CIVIL_ASSISTANCE_SERVER,
                   {{"CIVIL_ASSISTANCE_SEED_STANDARDS", CIVIL_SEED_STANDARDS}})
          .Service("affairs", CIVIL_AFFAIRS_SERVER)
          .Service("eldercare", CIVIL_ELDERCARE_SERVER)
          .Service("childwelfare", CIVIL_CHILDWELFARE_SERVER)
          .Service("socialorg", CIVIL_SOCIALORG_SERVER)
          .Service("governance", CIVIL_GOVERNANCE_SERVER)
          .Service("report", CIVIL_REPORT_SERVER)
          .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET,
                   {.args = {"--rate-limit", "off", "--console-dir", prefix + "/dist"},
                    .dev_sign_in = true})
          .Start();
  ASSERT_TRUE(stack->Ready());

  std::filesystem::remove_all(CIVIL_CONSOLE_ARTIFACTS);
  std::filesystem::create_directories(CIVIL_CONSOLE_ARTIFACTS);
  const std::string command =
      "CONSOLE_URL=" + Quoted("http://127.0.0.1:" + std::to_string(stack->http_port())) +
      " CONSOLE_ARTIFACTS=" + Quoted(CIVIL_CONSOLE_ARTIFACTS) + " CHROMIUM=" + Quoted(kChromium) +
      " NODE_PATH=" + Quoted(prefix + "/node_modules") + " node " + Quoted(CIVIL_CONSOLE_SCRIPT);
  std::string output;
  const int status = RunCommand(command, &output);
  std::cout << output;
  EXPECT_EQ(status, 0) << "the browser test failed (its output above)\n" << stack->Logs();
  EXPECT_NE(output.find("console e2e: passed"), std::string::npos);
}

}  // namespace
