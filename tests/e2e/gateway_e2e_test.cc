// End to end through the real gateway binary in front of the real assistance_server (over a real
// PostgreSQL and Redis): bearer tokens minted with a test key, a two-principal matrix over the
// routes that take an ID, mass assignment, 429 under a burst, idempotent replay, 413, a slow
// backend (504) and a killed one (503).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/support/e2e_stack.h"
#include "tests/support/process_state.h"

namespace civil {
namespace {

using testing::WaitUntilStopped;
using json = nlohmann::json;
using testing::HttpRequest;
using testing::HttpResponse;

std::string IdNumber(int serial) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  char body[18];
  std::snprintf(body, sizeof body, "3407221980%04d%03d", 615, serial % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

// Township A (3407221010xx) and township B (3407221020xx) of one county.
constexpr char kRegionA[] = "340722101001";
constexpr char kPrefixA[] = "340722101";
constexpr char kPrefixB[] = "340722102";

class GatewayE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET,
                          {.args = {"--max-body-bytes", "65536", "--deadline-ms", "5000",
                                    "--rate-limit", "read.subject=2/20", "--rate-limit",
                                    "read.ip=1000/2000", "--rate-limit", "write.ip=1000/2000"},
                           .metrics = true})
                 .Start();
    service_ = &stack_->service("assistance");
    metrics_port_ = stack_->gateway_metrics_port();
    ASSERT_TRUE(stack_->Ready());
  }

  static void TearDownTestSuite() { stack_.reset(); }

  static std::string Logs(size_t tail_bytes = 16384) { return stack_->Logs(tail_bytes); }

  // A token for `subject`; empty `roles` and region = no token at all when `subject` is empty.
  static std::map<std::string, std::string> As(const std::string& subject,
                                               std::vector<std::string> roles,
                                               const std::string& region) {
    if (subject.empty()) return {};
    return stack_->AuthHeaders(subject, roles, region);
  }

  static HttpResponse Http(const std::string& method, const std::string& target,
                           const std::string& body, std::map<std::string, std::string> headers) {
    return stack_->Http(method, target, body, headers);
  }

  static std::string CreateHousehold(int serial, const std::string& region,
                                     const std::map<std::string, std::string>& who) {
    json body = {
        {"regionCode", region},
        {"area", "AREA_RURAL"},
        {"members",
         {{{"name", "王大"}, {"idNumber", IdNumber(serial)}, {"relation", "RELATION_HEAD"}}}}};
    HttpResponse r = Http("POST", "/v1/assistance/households", body.dump(), who);
    EXPECT_EQ(r.status, 200) << r.body << Logs();
    if (r.status != 200) return "";
    return json::parse(r.body)["household"]["householdId"];
  }

  inline static std::unique_ptr<testing::E2eStack> stack_;
  // The parts of the stack the tests below use by name.
  inline static testing::Process* service_ = nullptr;  // assistance_server
  inline static int metrics_port_ = 0;                 // the gateway's /metrics
};

TEST_F(GatewayE2eTest, TwoPrincipalMatrixNeverLeaksAcrossTownships) {
  auto clerk_a = As("clerk-a", {"assistance.clerk"}, kPrefixA);
  const std::string household = CreateHousehold(101, kRegionA, clerk_a);
  ASSERT_FALSE(household.empty());
  HttpResponse created =
      Http("POST", "/v1/assistance/applications",
           json{{"programme", "PROGRAMME_DIBAO"}, {"householdId", household}}.dump(), clerk_a);
  ASSERT_EQ(created.status, 200) << created.body << Logs();
  const std::string app = json::parse(created.body)["application"]["applicationId"];
  const std::string missing = "00000000-0000-4000-8000-000000000000";

  struct Principal {
    std::string name;
    std::map<std::string, std::string> headers;
    bool may_read_a;  // may see township A's application
  };
  // The header a client might add to widen its scope is dropped by the gateway.
  auto clerk_b = As("clerk-b", {"assistance.clerk"}, kPrefixB);
  clerk_b["Grpc-Metadata-X-Civil-Region"] = "*";
  clerk_b["Grpc-Metadata-X-Civil-Roles"] = "admin";
  const std::vector<Principal> principals = {
      {"clerk of A", clerk_a, true},
      {"clerk of B", clerk_b, false},
      {"reviewer of B", As("reviewer-b", {"assistance.reviewer"}, kPrefixB), false},
      {"auditor of B", As("auditor-b", {"auditor"}, kPrefixB), false},
      {"no region", As("nobody", {"assistance.clerk", "assistance.reviewer"}, ""), false},
      {"no token", {}, false},
  };
  struct IdRoute {
    std::string method;
    std::string path;
    std::string body;
  };
  const std::vector<IdRoute> routes = {
      {"GET", "/v1/assistance/applications/" + app, ""},
      {"POST", "/v1/assistance/applications/" + app + ":investigate",
       R"({"householdMonthlyIncomeFen":"10000","assetsWithinLimits":true,"visitNote":"x"})"},
      {"POST", "/v1/assistance/applications/" + app + ":publish", "{}"},
      {"POST", "/v1/assistance/applications/" + app + ":object", R"({"note":"x"})"},
      {"POST", "/v1/assistance/applications/" + app + ":approve", "{}"},
      {"POST", "/v1/assistance/applications/" + app + ":reject", R"({"reason":"x"})"},
  };
  for (const Principal& p : principals) {
    for (const IdRoute& route : routes) {
      HttpResponse r = Http(route.method, route.path, route.body, p.headers);
      SCOPED_TRACE(p.name + ": " + route.method + " " + route.path + " → " +
                   std::to_string(r.status) + " " + r.body);
      if (p.headers.empty()) {
        EXPECT_EQ(r.status, 401);
        continue;
      }
      if (!p.may_read_a) {
        EXPECT_TRUE(r.status == 403 || r.status == 404 || r.status == 400) << "never 2xx";
        EXPECT_NE(r.status / 100, 2);
        EXPECT_EQ(r.body.find(household), std::string::npos) << "no data of township A";
      }
    }
    // A missing ID is 404 (or 403 before the lookup), never 200.
    HttpResponse r = Http("GET", "/v1/assistance/applications/" + missing, "", p.headers);
    EXPECT_NE(r.status, 200) << p.name;
  }
  // The clerk of A does see it; the reviewer of A may decide on it.
  HttpResponse got = Http("GET", "/v1/assistance/applications/" + app, "", clerk_a);
  EXPECT_EQ(got.status, 200) << got.body;
  // Lists are scoped: B's clerk never sees A's application.
  HttpResponse listed = Http("GET", "/v1/assistance/applications", "", clerk_b);
  EXPECT_EQ(listed.body.find(app), std::string::npos) << listed.body;
  listed =
      Http("GET", std::string("/v1/assistance/applications?regionPrefix=") + kPrefixA, "", clerk_b);
  EXPECT_NE(listed.status, 200) << listed.body;
}

TEST_F(GatewayE2eTest, MassAssignmentIsRejectedNamingTheField) {
  auto clerk_a = As("clerk-mass", {"assistance.clerk"}, kPrefixA);
  const std::string household = CreateHousehold(102, kRegionA, clerk_a);
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, json>>{{"status", "APPLICATION_STATUS_APPROVED"},
                                                 {"monthlyAmountFen", "999999"},
                                                 {"submittedBy", "the-director"},
                                                 {"decidedOn", "2024-01-01"}}) {
    json body = {{"programme", "PROGRAMME_DIBAO"}, {"householdId", household}, {field, value}};
    HttpResponse r = Http("POST", "/v1/assistance/applications", body.dump(), clerk_a);
    EXPECT_EQ(r.status, 400) << field << ": " << r.body;
    EXPECT_NE(r.body.find(field), std::string::npos) << r.body;
  }
  // Nothing was created by those.
  HttpResponse listed = Http("GET", "/v1/assistance/applications", "", clerk_a);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find(household), std::string::npos);
}

TEST_F(GatewayE2eTest, IdempotencyKeyReplaysTheFirstResponse) {
  auto clerk = As("clerk-idem", {"assistance.clerk"}, kPrefixA);
  clerk["Idempotency-Key"] = "create-household-7f3a";
  json body = {{"regionCode", kRegionA},
               {"area", "AREA_RURAL"},
               {"members",
                {{{"name", "李四"}, {"idNumber", IdNumber(103)}, {"relation", "RELATION_HEAD"}}}}};
  HttpResponse first = Http("POST", "/v1/assistance/households", body.dump(), clerk);
  ASSERT_EQ(first.status, 200) << first.body;
  HttpResponse second = Http("POST", "/v1/assistance/households", body.dump(), clerk);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.headers["idempotent-replayed"], "true");
  body["area"] = "AREA_URBAN";
  EXPECT_EQ(Http("POST", "/v1/assistance/households", body.dump(), clerk).status, 422);
}

TEST_F(GatewayE2eTest, BurstGets429WithRetryAfter) {
  auto auditor = As("auditor-burst", {"auditor"}, "*");
  std::set<int> statuses;
  std::string retry_after;
  for (int i = 0; i < 40; ++i) {
    HttpResponse r = Http("GET", "/v1/assistance/applications?pageSize=1", "", auditor);
    statuses.insert(r.status);
    if (r.status == 429) retry_after = r.headers["retry-after"];
  }
  EXPECT_TRUE(statuses.count(200)) << Logs();
  EXPECT_TRUE(statuses.count(429));
  EXPECT_FALSE(retry_after.empty());
}

TEST_F(GatewayE2eTest, MetricsCountRejectionsByReason) {
  Http("GET", "/v1/assistance/applications", "", {});  // no token
  Http("GET", "/v1/assistance/applications", "", {{"Authorization", "Bearer x.y.z"}});
  Http("POST", "/v1/assistance/standards", "{}", As("clerk-m", {"assistance.clerk"}, kPrefixA));
  HttpResponse metrics = HttpRequest(metrics_port_, "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  auto value = [&](const std::string& series) {
    const std::string line = "\n" + series + " ";
    size_t at = metrics.body.find(line);
    return at == std::string::npos ? -1.0 : std::stod(metrics.body.substr(at + line.size()));
  };
  EXPECT_GE(value(R"(gateway_auth_rejections_total{reason="missing"})"), 1);
  EXPECT_GE(value(R"(gateway_auth_rejections_total{reason="malformed"})"), 1);
  EXPECT_GE(value(R"(gateway_auth_rejections_total{reason="forbidden"})"), 1);
  EXPECT_EQ(value("gateway_redis_up"), 1);
  EXPECT_GE(value("http_requests_in_flight"), 0);
  EXPECT_NE(metrics.body.find("gateway_backend_responses_total{grpc_code=\"0\""),
            std::string::npos);
}

TEST_F(GatewayE2eTest, BodyOverTheLimitIs413) {
  auto clerk = As("clerk-413", {"assistance.clerk"}, kPrefixA);
  HttpResponse r = Http("POST", "/v1/assistance/households",
                        "{\"regionCode\":\"" + std::string(70000, '1') + "\"}", clerk);
  EXPECT_EQ(r.status, 413);
}

// One access-log line per request, with the field names operators read (never the path values,
// the query or the token); the start-up line names the JSON and unary-call paths in use, which
// follow CIVIL_E2E_GATEWAY_FLAGS (the <suite>_library_paths ctest entries turn both off).
TEST_F(GatewayE2eTest, AccessLogLinesAndTheFastPathsInUse) {
  auto clerk = As("clerk-log", {"assistance.clerk"}, kPrefixA);
  HttpResponse r = Http("GET", "/v1/assistance/households?regionPrefix=340722101", "", [&] {
    auto h = clerk;
    h["X-Request-Id"] = "e2e-access-log";
    return h;
  }());
  EXPECT_EQ(r.status, 200) << r.body;
  std::string line;
  // The access log is written in batches; the backend logs its own line with the same request
  // id (the id travels with the call), so the gateway's line is told apart by its component.
  for (int i = 0; i < 100 && line.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::istringstream log(Logs(1 << 20));
    for (std::string l; std::getline(log, l);) {
      if (l.find("\"e2e-access-log\"") != std::string::npos &&
          l.find("\"component\":\"gateway\"") != std::string::npos) {
        line = l;
      }
    }
  }
  ASSERT_FALSE(line.empty()) << Logs();
  json entry = json::parse(line);
  EXPECT_EQ(entry["msg"], "http_request");
  EXPECT_EQ(entry["level"], "info");
  EXPECT_EQ(entry["component"], "gateway");
  EXPECT_EQ(entry["method"], "GET");
  EXPECT_EQ(entry["route"], "/v1/assistance/households");
  EXPECT_EQ(entry["status"], 200);
  EXPECT_EQ(entry["grpc_code"], 0);
  EXPECT_EQ(entry["client_ip"], "127.0.0.1");
  EXPECT_EQ(entry["subject"], "clerk-log");
  EXPECT_TRUE(entry["duration_ms"].is_number()) << line;
  EXPECT_TRUE(entry["ts"].is_string()) << line;
  EXPECT_EQ(line.find("340722101\""), std::string::npos) << "query value logged: " << line;

  const char* flags = std::getenv("CIVIL_E2E_GATEWAY_FLAGS");
  const bool library_paths =
      flags != nullptr && std::string(flags).find("--fast-json=false") != std::string::npos;
  const std::string logs = Logs(1 << 20);
  EXPECT_NE(logs.find(library_paths ? "JSON protobuf only, unary calls gRPC generic stub"
                                    : "JSON fast, unary calls nghttp2"),
            std::string::npos)
      << logs;
}

TEST_F(GatewayE2eTest, SlowBackendIs504ThenKilledBackendIs503) {
  auto auditor = As("auditor-slow", {"auditor"}, "*");
  // A frozen backend: the call waits for the client's (shorter) deadline.
  kill(service_->pid(), SIGSTOP);
  ASSERT_TRUE(WaitUntilStopped(service_->pid()));
  HttpResponse slow = Http("GET", "/v1/assistance/applications?pageSize=1", "", [&] {
    auto h = auditor;
    h["X-Request-Timeout"] = "500ms";
    return h;
  }());
  kill(service_->pid(), SIGCONT);
  EXPECT_EQ(slow.status, 504) << slow.body;
  EXPECT_NE(slow.body.find(R"("code":4)"), std::string::npos);

  service_->Stop(SIGKILL);
  HttpResponse dead = Http("GET", "/v1/assistance/applications?pageSize=1", "", auditor);
  EXPECT_EQ(dead.status, 503) << dead.body;
  EXPECT_NE(dead.body.find(R"("code":14)"), std::string::npos);
}

}  // namespace
}  // namespace civil
