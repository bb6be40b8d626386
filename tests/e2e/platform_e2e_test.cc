// End to end: the real binaries (assistance_server, gateway) started by the test over a real
// PostgreSQL and Redis; HTTP/JSON to the gateway, gRPC health and reflection, /metrics.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <future>
#include <memory>
#include <regex>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/support/e2e_stack.h"

namespace civil {
namespace {

using json = nlohmann::json;
using testing::HttpRequest;
using testing::HttpResponse;

std::string IdNumber(int serial, int year = 1975) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  char body[18];
  std::snprintf(body, sizeof body, "340722%04d0615%03d", year, serial % 1000);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

std::string HouseholdJson(const std::string& region, const std::string& head_id) {
  return json{
      {"regionCode", region},
      {"area", "AREA_RURAL"},
      {"members", {{{"name", "王大"}, {"idNumber", head_id}, {"relation", "RELATION_HEAD"}}}}}
      .dump();
}

// Calls a unary method with raw protobuf bytes through a generic stub.
grpc::Status RawUnary(grpc::Channel* channel, const std::string& method, const std::string& in,
                      std::string* out) {
  grpc::GenericStub stub(channel->shared_from_this());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice slice(in);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) { done.set_value(s); });
  grpc::Status status = done.get_future().get();
  std::vector<grpc::Slice> slices;
  response.Dump(&slices);
  out->clear();
  for (auto& s : slices) out->append(reinterpret_cast<const char*>(s.begin()), s.size());
  return status;
}

class PlatformE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = testing::E2eStack::Builder()
                 .Service("assistance", CIVIL_ASSISTANCE_SERVER)
                 .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET,
                          {.args = {"--rate-limit", "off"}, .metrics = true, .redis = false})
                 .Start();
    pg_ = &stack_->postgres();
    logs_ = &stack_->dir();
    service_ = &stack_->service("assistance");
    gateway_ = &stack_->gateway();
    metrics_port_ = stack_->metrics_port("assistance");
    gateway_metrics_port_ = stack_->gateway_metrics_port();
    // One county-wide principal for every call of this test.
    auth_ = stack_->Bearer("e2e", {"assistance.clerk", "assistance.reviewer", "auditor"}, "340722");
    channel_ = new std::shared_ptr<grpc::Channel>(grpc::CreateChannel(
        stack_->grpc_address("assistance"), grpc::InsecureChannelCredentials()));
    ASSERT_TRUE(stack_->Ready());
  }

  static void TearDownTestSuite() {
    delete channel_;
    stack_.reset();
  }

  static std::string Logs() { return stack_->Logs(); }

  static HttpResponse Http(const std::string& method, const std::string& target,
                           const std::string& body = "",
                           std::map<std::string, std::string> headers = {}) {
    headers.emplace("Authorization", auth_);
    return stack_->Http(method, target, body, headers);
  }

  static int64_t Listed(const std::string& prefix) {
    int64_t n = 0;
    std::string token;
    do {
      HttpResponse r = Http("GET", "/v1/assistance/households?regionPrefix=" + prefix +
                                       "&pageSize=500&pageToken=" + token);
      EXPECT_EQ(r.status, 200) << r.body;
      json body = json::parse(r.body);
      n += body.value("households", json::array()).size();
      token = body.value("nextPageToken", "");
    } while (!token.empty());
    return n;
  }

  inline static std::unique_ptr<testing::E2eStack> stack_;
  // The parts of the stack the tests below use by name.
  inline static testing::PostgresServer* pg_ = nullptr;
  inline static const testing::TempDir* logs_ = nullptr;
  inline static testing::Process* service_ = nullptr;  // assistance_server
  inline static testing::Process* gateway_ = nullptr;
  inline static int metrics_port_ = 0;  // assistance_server's /metrics
  inline static int gateway_metrics_port_ = 0;
  inline static std::string auth_;  // the Authorization header of every call
  inline static std::shared_ptr<grpc::Channel>* channel_ = nullptr;
};

TEST_F(PlatformE2eTest, CreatesGetsAndListsAHouseholdThroughTheGateway) {
  HttpResponse created =
      Http("POST", "/v1/assistance/households", HouseholdJson("340722101001", IdNumber(1)),
           {{"x-request-id", "e2e-create-1"}});
  ASSERT_EQ(created.status, 200) << created.body << Logs();
  EXPECT_EQ(created.headers["x-request-id"], "e2e-create-1");
  EXPECT_EQ(created.headers["content-type"], "application/json");
  json household = json::parse(created.body)["household"];
  const std::string id = household["householdId"];
  EXPECT_EQ(household["area"], "AREA_RURAL");
  EXPECT_EQ(household["members"][0]["relation"], "RELATION_HEAD");
  EXPECT_EQ(household["members"][0]["idNumberMasked"], "340722********" + IdNumber(1).substr(14));
  EXPECT_EQ(household["members"][0]["birthDate"], "1975-06-15");
  EXPECT_EQ(household["version"], "1");  // int64 is a JSON string in proto3 JSON

  HttpResponse got = Http("GET", "/v1/assistance/households/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json::parse(got.body)["household"], household);

  HttpResponse listed = Http("GET", "/v1/assistance/households?regionPrefix=340722101&pageSize=1");
  ASSERT_EQ(listed.status, 200) << listed.body;
  json page = json::parse(listed.body);
  ASSERT_EQ(page["households"].size(), 1u);
  EXPECT_EQ(page["households"][0]["householdId"], id);
}

TEST_F(PlatformE2eTest, ReplacesMembersThroughTheGateway) {
  HttpResponse created =
      Http("POST", "/v1/assistance/households", HouseholdJson("340722101002", IdNumber(2)));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = json::parse(created.body)["household"]["householdId"];
  json members = {
      {"members",
       {{{"name", "王大"}, {"idNumber", IdNumber(2)}, {"relation", "RELATION_HEAD"}},
        {{"name", "王二"}, {"idNumber", IdNumber(3)}, {"relation", "RELATION_SPOUSE"}}}}};
  HttpResponse updated =
      Http("PUT", "/v1/assistance/households/" + id + "/members", members.dump());
  ASSERT_EQ(updated.status, 200) << updated.body;
  json household = json::parse(updated.body)["household"];
  EXPECT_EQ(household["members"].size(), 2u);
  EXPECT_EQ(household["version"], "2");
  // The cache was invalidated: a read sees the new members.
  HttpResponse got = Http("GET", "/v1/assistance/households/" + id);
  EXPECT_EQ(json::parse(got.body)["household"]["members"].size(), 2u);
}

TEST_F(PlatformE2eTest, BadInputIsRejectedNamingTheFieldAndWritesNothing) {
  const int64_t before = Listed("340722");
  struct Case {
    std::string body;
    int status;
    std::string message_has;
  };
  std::string long_name(70, 'a');
  std::vector<Case> cases = {
      {"{not json", 400, ""},
      {R"({"regionCode": 340722101003})", 400, "region_code"},
      {R"({"regionCode": "340722101003", "colour": "red"})", 400, "colour"},
      {R"({"regionCode": "340722101003", "area": "AREA_RURAL"})", 400, "members"},
      {HouseholdJson("340722101003",
                     IdNumber(4).substr(0, 17) + (IdNumber(4)[17] == '0' ? "1" : "0")),
       400, "members[0].id_number: wrong check character"},
      {HouseholdJson("340722101003", "340722197502300011"), 400, "members[0].id_number"},
      {HouseholdJson("34072210100", IdNumber(5)), 400, "region_code"},
      {R"({"regionCode": "340722101003", "area": "AREA_MARS", "members": []})", 400, "area"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Http("POST", "/v1/assistance/households", c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " → " << r.body;
    json error = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(error.is_discarded()) << r.body;
    EXPECT_EQ(error["code"], 3) << r.body;
    EXPECT_NE(error["message"].get<std::string>().find(c.message_has), std::string::npos)
        << c.body << " → " << r.body;
    EXPECT_TRUE(error.contains("details"));
  }
  // The same person twice across households: 409 naming the masked ID.
  ASSERT_EQ(
      Http("POST", "/v1/assistance/households", HouseholdJson("340722101003", IdNumber(6))).status,
      200);
  HttpResponse dup =
      Http("POST", "/v1/assistance/households", HouseholdJson("340722101004", IdNumber(6)));
  EXPECT_EQ(dup.status, 409);
  EXPECT_NE(dup.body.find("340722********" + IdNumber(6).substr(14)), std::string::npos)
      << dup.body;
  EXPECT_EQ(dup.body.find(IdNumber(6)), std::string::npos) << "clear ID number leaked";

  EXPECT_EQ(Http("GET", "/v1/assistance/households/not-a-uuid").status, 400);
  EXPECT_EQ(Http("GET", "/v1/assistance/households/00000000-0000-0000-0000-000000000000").status,
            404);
  HttpResponse unknown_route = Http("GET", "/v1/assistance/nothing-here");
  EXPECT_EQ(unknown_route.status, 404);
  EXPECT_EQ(json::parse(unknown_route.body)["code"], 5);
  EXPECT_EQ(Http("DELETE", "/v1/assistance/households").status, 405);
  EXPECT_EQ(Http("GET", "/v1/assistance/households?pageSize=abc").status, 400);
  EXPECT_EQ(Http("GET", "/v1/assistance/households?regionPrefix=3407").status, 400);
  std::string huge = R"({"regionCode": ")" + std::string(1100 * 1024, '1') + R"("})";
  EXPECT_EQ(Http("POST", "/v1/assistance/households", huge).status, 413);

  EXPECT_EQ(Listed("340722"), before + 1);  // only the one valid household
}

TEST_F(PlatformE2eTest, AnswersHealthAndReflection) {
  std::string out;
  // grpc.health.v1.HealthCheckRequest{} → HealthCheckResponse{status: SERVING(1)} = 08 01.
  ASSERT_TRUE(RawUnary(channel_->get(), "/grpc.health.v1.Health/Check", "", &out).ok());
  EXPECT_EQ(out, std::string("\x08\x01", 2));
  std::string named = "\x0a" + std::string(1, char(36)) + "civil.assistance.v1.HouseholdService";
  ASSERT_TRUE(RawUnary(channel_->get(), "/grpc.health.v1.Health/Check", named, &out).ok());
  EXPECT_EQ(out, std::string("\x08\x01", 2));

  // Reflection: ServerReflectionRequest{list_services: ""} on the bidi stream.
  grpc::GenericStub stub(*channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag;
  bool ok;
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  grpc::Slice slice(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  std::vector<grpc::Slice> slices;
  response.Dump(&slices);
  std::string bytes;
  for (auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_NE(bytes.find("civil.assistance.v1.HouseholdService"), std::string::npos);
  EXPECT_NE(bytes.find("grpc.health.v1.Health"), std::string::npos);
  context.TryCancel();
  grpc::Status finish;
  call->Finish(&finish, reinterpret_cast<void*>(4));
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST_F(PlatformE2eTest, MetricsAreParseableAndCountTheCalls) {
  for (int i = 0; i < 3; ++i) {
    Http("GET",
         "/v1/assistance/households/00000000-0000-0000-0000-00000000000" + std::to_string(i));
  }
  HttpResponse metrics = HttpRequest(metrics_port_, "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  std::smatch m;
  std::regex not_found(
      R"(grpc_server_handled_total\{[^}]*grpc_code="NotFound"[^}]*grpc_method="GetHousehold"[^}]*\} (\d+))");
  ASSERT_TRUE(std::regex_search(metrics.body, m, not_found)) << metrics.body.substr(0, 3000);
  EXPECT_GE(std::stoi(m[1]), 3);
  EXPECT_NE(metrics.body.find("grpc_server_started_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("grpc_server_handling_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("civil_pool_connections{pool=\"postgres\",state=\"in_use\"}"),
            std::string::npos);
  // promtool (Debian's prometheus package) is the reference parser for the exposition format.
  if (std::system("command -v promtool >/dev/null 2>&1") == 0) {
    const std::string path = logs_->path() + "/metrics.txt";
    FILE* f = std::fopen(path.c_str(), "w");
    std::fwrite(metrics.body.data(), 1, metrics.body.size(), f);
    std::fclose(f);
    EXPECT_EQ(std::system(("promtool check metrics < " + path + " >" + path + ".out 2>&1").c_str()),
              0);
  }
  HttpResponse gateway_metrics = HttpRequest(gateway_metrics_port_, "GET", "/metrics");
  ASSERT_EQ(gateway_metrics.status, 200);
  EXPECT_NE(gateway_metrics.body.find("http_requests_total"), std::string::npos);
  HttpResponse health = Http("GET", "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
}

TEST_F(PlatformE2eTest, ZyHealthFollowsPostgresAndRecovers) {
  std::string out;
  ASSERT_TRUE(RawUnary(channel_->get(), "/grpc.health.v1.Health/Check", "", &out).ok());
  EXPECT_EQ(out, std::string("\x08\x01", 2));
  pg_->Stop();
  // The readiness probe runs every second: NOT_SERVING (2) while PostgreSQL is down.
  bool not_serving = false;
  for (int i = 0; i < 50 && !not_serving; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    not_serving = RawUnary(channel_->get(), "/grpc.health.v1.Health/Check", "", &out).ok() &&
                  out == std::string("\x08\x02", 2);
  }
  EXPECT_TRUE(not_serving);
  // Reads of uncached data get 503 (UNAVAILABLE), not a hang or a crash.
  EXPECT_EQ(Http("GET", "/v1/assistance/households?regionPrefix=340722").status, 503);
  pg_->Start();
  bool serving = false;
  for (int i = 0; i < 50 && !serving; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    serving = RawUnary(channel_->get(), "/grpc.health.v1.Health/Check", "", &out).ok() &&
              out == std::string("\x08\x01", 2);
  }
  EXPECT_TRUE(serving);
  EXPECT_EQ(Http("GET", "/v1/assistance/households?regionPrefix=340722").status, 200);
}

// Runs last (gtest keeps declaration order): stopping the service ends the suite's backend.
TEST_F(PlatformE2eTest, ZzShutsDownGracefullyOnSigterm) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(service_->Stop(SIGTERM, true), 0) << Logs();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  EXPECT_NE(Logs().find("\"msg\":\"stopped\""), std::string::npos);
  // With the backend gone the gateway answers 503, not a hang or a crash.
  EXPECT_EQ(Http("GET", "/v1/assistance/households/00000000-0000-0000-0000-000000000000").status,
            503);
  EXPECT_EQ(gateway_->Stop(SIGTERM, true), 0) << Logs();
}

}  // namespace
}  // namespace civil
