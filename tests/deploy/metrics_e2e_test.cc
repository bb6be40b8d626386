// deploy_metrics_e2e: nothing on a dashboard or in a rule points at a series that does not exist.
// Starts the whole platform as the e2e tests do (the six departments, report, the exchange and the
// gateway as real processes over real PostgreSQL and Redis), makes a few calls through the gateway
// so that every process has served, scrapes every /metrics port, and checks each series name that
// tests/deploy/metric_names.py finds in deploy/prometheus/rules and deploy/grafana/dashboards
// against the exposition: exported by some process, and by the named component when the query
// names its job. Also runs the images' HEALTHCHECK (deploy/docker/healthcheck.sh) against the
// running processes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "services/common/clock.h"
#include "services/common/values.h"
#include "tests/support/e2e_stack.h"
#include "tests/support/test_ids.h"

namespace civil::deploy {
namespace {

using civil::testing::HttpResponse;

const std::vector<std::string> kComponents = {"assistance", "eldercare", "childwelfare",
                                              "governance", "socialorg", "affairs",
                                              "report",     "exchange"};

// Output of a shell command; its exit status in *status.
std::string Shell(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int rc = pclose(pipe);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

// The names a Prometheus exposition offers: every sample's name, and every family declared by a
// `# TYPE` line with its histogram/summary sample names (a labelled family that has not seen its
// first label values yet still declares itself).
std::set<std::string> ExportedNames(const std::string& exposition) {
  std::set<std::string> names;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (absl::ConsumePrefix(&line, "# TYPE ")) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      if (parts.size() != 2) continue;
      names.insert(parts[0]);
      if (parts[1] == "histogram" || parts[1] == "summary") {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) names.insert(parts[0] + suffix);
      }
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const size_t end = line.find_first_of("{ ");
    names.insert(std::string(line.substr(0, end)));
  }
  return names;
}

class MetricsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = civil::testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Service("eldercare", CIVIL_ELDERCARE_SERVER)
                 .Service("childwelfare", CIVIL_CHILDWELFARE_SERVER)
                 .Service("governance", CIVIL_GOVERNANCE_SERVER)
                 .Service("socialorg", CIVIL_SOCIALORG_SERVER)
                 .Service("affairs", CIVIL_AFFAIRS_SERVER)
                 .Service("report", CIVIL_REPORT_SERVER)
                 .Service("exchange", CIVIL_EXCHANGE_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET,
                          {.args = {"--rate-limit", "off"}, .metrics = true})
                 .Start();
    ASSERT_TRUE(stack_->Ready());
  }
  static void TearDownTestSuite() { stack_.reset(); }

  inline static std::unique_ptr<civil::testing::E2eStack> stack_;
};

TEST_F(MetricsE2eTest, EverySeriesOfTheRulesAndDashboardsIsExported) {
  // Traffic: the work summary asks every department; a list; a refused token (auth rejections).
  const auto leader = stack_->AuthHeaders("ops-leader", {"leadership"}, "340722");
  HttpResponse summary = stack_->Http(
      "GET", "/v1/reports/work-summary?period_start=2023-01-01&period_end=2023-06-30&format=md", "",
      leader);
  ASSERT_EQ(summary.status, 200) << summary.body << stack_->Logs();
  const auto clerk = stack_->AuthHeaders("ops-clerk", {"assistance.clerk"}, "340722");
  ASSERT_EQ(stack_->Http("GET", "/v1/assistance/households?regionPrefix=340722", "", clerk).status,
            200);
  // A cremation: a death report in affairs, an event consumed by assistance.
  const auto reviewer = stack_->AuthHeaders("ops-funeral-reviewer", {"affairs.reviewer"}, "340722");
  const auto funeral = stack_->AuthHeaders("ops-funeral-clerk", {"affairs.clerk"}, "340722");
  ASSERT_EQ(stack_
                ->Http("POST", "/v1/affairs/funeral-fee-schedules",
                       R"({"regionPrefix":"340722","effectiveFrom":"2020-01-01","items":[)"
                       R"({"code":"CREMATION","name":"遗体火化","amountFen":"60000"}]})",
                       reviewer)
                .status,
            200)
      << stack_->Logs();
  const absl::CivilDay today = Today();
  const std::string cremation = absl::StrCat(
      R"({"name":"王某","idNumber":")", civil::affairs::testing::Id("19400315", true, 3),
      R"(","dateOfDeath":")", FormatDay(today - 11), R"(","cremationDate":")",
      FormatDay(today - 10), R"(","funeralHome":"枞阳县殡仪馆","regionCode":"340722100001"})");
  ASSERT_EQ(stack_->Http("POST", "/v1/affairs/cremations", cremation, funeral).status, 200)
      << stack_->Logs();
  EXPECT_EQ(stack_
                ->Http("GET", "/v1/assistance/households?regionPrefix=340722", "",
                       {{"Authorization", "Bearer not-a-token"}})
                .status,
            401);

  std::map<std::string, std::set<std::string>> by_job;  // "civil-assistance" → names
  std::set<std::string> all;
  auto scrape = [&](const std::string& job, int port) {
    HttpResponse r = civil::testing::HttpRequest(port, "GET", "/metrics");
    ASSERT_EQ(r.status, 200) << job << stack_->Logs();
    by_job[job] = ExportedNames(r.body);
    all.insert(by_job[job].begin(), by_job[job].end());
  };
  for (const std::string& name : kComponents) scrape("civil-" + name, stack_->metrics_port(name));
  scrape("civil-gateway", stack_->gateway_metrics_port());

  int status = -1;
  const std::string wanted = Shell(
      absl::StrCat(CIVIL_PYTHON3, " ", CIVIL_SOURCE_DIR, "/tests/deploy/metric_names.py"), &status);
  ASSERT_EQ(status, 0) << wanted;
  int checked = 0;
  for (absl::string_view line : absl::StrSplit(wanted, '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(line, ' ');
    ++checked;
    if (parts.size() == 1) {
      EXPECT_TRUE(all.count(parts[0])) << parts[0] << " is exported by no process";
    } else {
      ASSERT_TRUE(by_job.count(parts[1])) << "a query names job " << parts[1];
      EXPECT_TRUE(by_job[parts[1]].count(parts[0]))
          << parts[0] << " is queried for " << parts[1] << " but that process does not export it";
    }
  }
  // The rules and dashboards name dozens of series; an empty list would prove nothing.
  EXPECT_GT(checked, 50) << wanted;
}

TEST_F(MetricsE2eTest, TheImagesHealthcheckAnswersForRunningProcessesOnly) {
  const std::string script = absl::StrCat(CIVIL_SOURCE_DIR, "/deploy/docker/healthcheck.sh");
  const std::string path = absl::StrCat("PATH=", CIVIL_CIVILCTL_DIR, ":/usr/bin:/bin ");
  int status = -1;
  for (const std::string& name : {std::string("assistance"), std::string("report")}) {
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(c));
    Shell(absl::StrCat("env ", path, "CIVIL_COMPONENT=", name, " CIVIL_", upper,
                       "_ADDR=0.0.0.0:", stack_->grpc_port(name), " ", script, " >/dev/null 2>&1"),
          &status);
    EXPECT_EQ(status, 0) << name;
  }
  Shell(absl::StrCat("env ", path, "CIVIL_COMPONENT=gateway CIVIL_GATEWAY_LISTEN=0.0.0.0:",
                     stack_->http_port(), " ", script, " >/dev/null 2>&1"),
        &status);
  EXPECT_EQ(status, 0) << "gateway";
  // A port nobody serves on is unhealthy.
  Shell(absl::StrCat("env ", path, "CIVIL_COMPONENT=affairs CIVIL_AFFAIRS_ADDR=0.0.0.0:1 ", script,
                     " >/dev/null 2>&1"),
        &status);
  EXPECT_NE(status, 0);
}

// The runbook's dead-letter commands against a running service: listed with an operator's token,
// refused without the role.
TEST_F(MetricsE2eTest, CivilctlListsDeadLettersForAnOperatorOnly) {
  const std::string civilctl = absl::StrCat(CIVIL_CIVILCTL_DIR, "/civilctl");
  auto token_file = [&](const std::string& subject, std::vector<std::string> roles) {
    const std::string path = absl::StrCat(stack_->dir().path(), "/", subject, ".token");
    std::ofstream(path) << std::string(
        absl::StripPrefix(stack_->Bearer(subject, std::move(roles), "*"), "Bearer "));
    return path;
  };
  int status = -1;
  const std::string listed =
      Shell(absl::StrCat(civilctl, " dead-letters ", stack_->grpc_address("assistance"),
                         " --token-file ", token_file("ops-operator", {"operator"}), " 2>&1"),
            &status);
  EXPECT_EQ(status, 0) << listed;
  EXPECT_TRUE(absl::StrContains(listed, "0 dead letter(s)")) << listed;
  const std::string refused =
      Shell(absl::StrCat(civilctl, " dead-letters ", stack_->grpc_address("assistance"),
                         " --token-file ", token_file("ops-clerk", {"assistance.clerk"}), " 2>&1"),
            &status);
  EXPECT_EQ(status, 1) << refused;
}

// The migration Job's mode: CIVIL_MIGRATE_ONLY=true applies the migrations to a fresh database,
// prepares the service's role, and exits 0 without serving.
TEST_F(MetricsE2eTest, MigrateOnlyAppliesTheMigrationsAndExits) {
  std::map<std::string, std::string> env = stack_->service_env("assistance");
  const std::string dsn = stack_->postgres().CreateDatabase("civil_migrate_only");
  env["CIVIL_ASSISTANCE_PG_DSN"] = dsn;
  env["CIVIL_MIGRATE_ONLY"] = "true";
  const int port = civil::testing::FreePort();
  env["CIVIL_ASSISTANCE_ADDR"] = absl::StrCat("127.0.0.1:", port);
  env["CIVIL_ASSISTANCE_METRICS_ADDR"] = absl::StrCat("127.0.0.1:", civil::testing::FreePort());
  civil::testing::Process job({CIVIL_ASSISTANCE_SERVER}, env,
                              absl::StrCat(stack_->dir().path(), "/migrate-only.log"));
  EXPECT_EQ(job.Stop(0, /*wait=*/true), 0) << "exit status";
  EXPECT_FALSE(civil::testing::WaitForPort(port, 100)) << "a migration job serves nothing";
  pqxx::connection c(dsn);
  pqxx::nontransaction txn(c);
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM pg_tables WHERE tablename = 'households'")[0].as<int>(),
            1);
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM pg_roles WHERE rolname = 'civil_migrate_only_app'")[0]
                .as<int>(),
            1);
}

}  // namespace
}  // namespace civil::deploy
