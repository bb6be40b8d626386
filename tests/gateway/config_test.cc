// Gateway settings (flags over environment over defaults, failing fast), backend addresses, the
// gRPC → HTTP status mapping, error bodies, JSON escaping and request ids.
#include "gateway/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/gateway.h"
#include "gateway/http_errors.h"

namespace civil::gateway {
namespace {

// The process environment for one parse: every gateway variable of the real environment removed,
// `vars` set; the previous environment restored afterwards. (CLI11 reads the variables itself,
// with getenv, so ParseConfig takes no lookup function.)
class ScopedEnvironment {
 public:
  explicit ScopedEnvironment(const std::map<std::string, std::string>& vars) {
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry = *e;
      std::string name = entry.substr(0, entry.find('='));
      if (name.rfind("CIVIL_GATEWAY_", 0) == 0 || name == "CIVIL_REDIS_ADDR") {
        saved_.emplace_back(name, entry.substr(name.size() + 1));
      }
    }
    for (const auto& [name, value] : saved_) unsetenv(name.c_str());
    for (const auto& [name, value] : vars) setenv(name.c_str(), value.c_str(), 1);
    set_ = vars;
  }
  ~ScopedEnvironment() {
    for (const auto& [name, value] : set_) unsetenv(name.c_str());
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::vector<std::pair<std::string, std::string>> saved_;
  std::map<std::string, std::string> set_;
};

// An environment given as a map, for BackendAddress.
EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](absl::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

absl::StatusOr<GatewayConfig> Parse(std::vector<const char*> args,
                                    std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "gateway");
  ScopedEnvironment scoped(env);
  return ParseConfig(static_cast<int>(args.size()), args.data());
}

TEST(ConfigTest, Defaults) {
  absl::StatusOr<GatewayConfig> c = Parse({"--descriptor-set", "/x.desc"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->descriptor_set, "/x.desc");
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->metrics_listen, "127.0.0.1:9100");
  EXPECT_EQ(c->threads, 2);
  EXPECT_EQ(c->deadline_ms, 10000);
  EXPECT_EQ(c->max_body_bytes, 1u << 20);
  EXPECT_FALSE(c->proto_field_names);
  EXPECT_TRUE(c->access_log);
  EXPECT_TRUE(c->backends.empty());
}

TEST(ConfigTest, FlagsOverrideEnvironment) {
  absl::StatusOr<GatewayConfig> c =
      Parse({"--listen=0.0.0.0:8081", "--threads", "4", "--backend", "a.v1.S=h:1", "--backend",
             "b.v1.T=h:2", "--json-names", "proto"},
            {{"CIVIL_GATEWAY_DESCRIPTOR_SET", "/env.desc"},
             {"CIVIL_GATEWAY_LISTEN", "127.0.0.1:9999"},
             {"CIVIL_GATEWAY_THREADS", "3"},
             {"CIVIL_GATEWAY_DEADLINE_MS", "1500"},
             {"CIVIL_GATEWAY_BACKENDS", "c.v1.U=h:3"},
             {"CIVIL_GATEWAY_METRICS_LISTEN", "off"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->descriptor_set, "/env.desc");
  EXPECT_EQ(c->listen, "0.0.0.0:8081");
  EXPECT_EQ(c->threads, 4);
  EXPECT_EQ(c->deadline_ms, 1500);
  EXPECT_EQ(c->metrics_listen, "off");
  EXPECT_TRUE(c->proto_field_names);
  using Backends = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c->backends, (Backends{{"a.v1.S", "h:1"}, {"b.v1.T", "h:2"}}));

  c = Parse({}, {{"CIVIL_GATEWAY_DESCRIPTOR_SET", "/env.desc"},
                 {"CIVIL_GATEWAY_BACKENDS", "c.v1.U=h:3, d.v1.V=[::1]:4"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->backends, (Backends{{"c.v1.U", "h:3"}, {"d.v1.V", "[::1]:4"}}));
}

TEST(ConfigTest, BadValuesFailNamingTheSetting) {
  struct Case {
    std::vector<const char*> args;
    std::map<std::string, std::string> env;
    std::string expect;
  };
  std::vector<Case> cases = {
      {{}, {}, "descriptor set"},
      {{"--descriptor-set", "x", "--threads", "0"}, {}, "--threads"},
      {{"--descriptor-set", "x", "--threads", "two"}, {}, "--threads"},
      {{"--descriptor-set", "x"}, {{"CIVIL_GATEWAY_THREADS", "abc"}}, "CIVIL_GATEWAY_THREADS"},
      {{"--descriptor-set", "x", "--listen", "8080"}, {}, "--listen"},
      {{"--descriptor-set", "x", "--listen", "host:99999"}, {}, "--listen"},
      {{"--descriptor-set", "x", "--metrics-listen", "nowhere"}, {}, "--metrics-listen"},
      {{"--descriptor-set", "x", "--deadline-ms", "-5"}, {}, "--deadline-ms"},
      {{"--descriptor-set", "x", "--backend", "no-equals"}, {}, "--backend"},
      {{"--descriptor-set", "x", "--backend", "a=h:1", "--backend", "a=h:2"}, {}, "twice"},
      {{"--descriptor-set", "x", "--json-names", "snake"}, {}, "--json-names"},
      {{"--descriptor-set", "x", "--access-log", "maybe"}, {}, "--access-log"},
      {{"--descriptor-set", "x", "--frobnicate", "1"}, {}, "--frobnicate"},
      {{"--descriptor-set", "x", "--threads"}, {}, "needs a value"},
      {{"--descriptor-set", "x", "stray"}, {}, "stray"},
      {{"--descriptor-set", "x"},
       {{"CIVIL_GATEWAY_ACCESS_LOG", "maybe"}},
       "CIVIL_GATEWAY_ACCESS_LOG"},
      {{"--descriptor-set", "x", "--fast-json", "maybe"}, {}, "--fast-json"},
      {{"--descriptor-set", "x"}, {{"CIVIL_GATEWAY_H2_UNARY", "nope"}}, "CIVIL_GATEWAY_H2_UNARY"},
      {{"--descriptor-set", "x"}, {{"CIVIL_GATEWAY_LISTEN", "8080"}}, "CIVIL_GATEWAY_LISTEN"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<GatewayConfig> config = Parse(c.args, c.env);
    ASSERT_FALSE(config.ok()) << c.expect;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(config.status().message().find(c.expect), absl::string_view::npos) << config.status();
  }
}

TEST(ConfigTest, IdentityLimitsAndTransportSettings) {
  absl::StatusOr<GatewayConfig> c =
      Parse({"--descriptor-set", "/x.desc",
             "--jwt-keys",       "a.pub",
             "--jwt-keys",       "kid2=/k/b.json",
             "--jwt-issuer",     "https://id",
             "--jwt-audience",   "civil-api",
             "--jwt-leeway-s",   "30",
             "--redis",          "127.0.0.1:6379",
             "--rate-limit",     "read.subject=5/10",
             "--rate-limit",     "write.ip=1.5/3",
             "--cors-origins",   "https://a.example,https://b.example/",
             "--gzip-min-bytes", "0",
             "--plaintext",      "--listen",
             "0.0.0.0:8080"},
            {{"CIVIL_GATEWAY_JWT_KEYS", "env.pub"}, {"CIVIL_REDIS_ADDR", "10.0.0.1:1"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->jwt_keys, (std::vector<std::string>{"a.pub", "kid2=/k/b.json"}));
  EXPECT_EQ(c->jwt_issuer, "https://id");
  EXPECT_EQ(c->jwt_leeway_s, 30);
  EXPECT_EQ(c->redis, "127.0.0.1:6379");
  EXPECT_EQ(c->read_subject.rate, 5);
  EXPECT_EQ(c->read_subject.burst, 10);
  EXPECT_EQ(c->write_ip.rate, 1.5);
  EXPECT_EQ(c->write_subject.burst, 20);  // default kept
  EXPECT_EQ(c->cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(c->gzip_min_bytes, 0);
  EXPECT_TRUE(c->plaintext);
  EXPECT_TRUE(CheckConfig(*c).ok());

  c = Parse({"--descriptor-set", "/x.desc", "--rate-limit", "off", "--auth", "off"});
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->rate_limit);
  EXPECT_TRUE(c->auth_off);
  EXPECT_FALSE(Parse({"--descriptor-set", "/x", "--rate-limit", "read.user=1/1"}).ok());
  EXPECT_FALSE(Parse({"--descriptor-set", "/x", "--rate-limit", "read.ip=0/1"}).ok());
  EXPECT_FALSE(Parse({"--descriptor-set", "/x", "--jwt-leeway-s", "3600"}).ok());
  EXPECT_FALSE(Parse({"--descriptor-set", "/x", "--auth", "maybe"}).ok());
  EXPECT_FALSE(Parse({"--descriptor-set", "/x", "--cors-origins", "app.example"}).ok());
  c = Parse({"--print-openapi", "--descriptor-set", "/x.desc"});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->print_openapi);
}

TEST(ConfigTest, TrustedProxiesFromFlagsOrEnvironment) {
  absl::StatusOr<GatewayConfig> c = Parse({"--descriptor-set", "/x.desc"});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->trusted_proxies.empty());  // default: X-Forwarded-For is not believed
  c = Parse({"--descriptor-set", "/x.desc"},
            {{"CIVIL_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,fd00::/8"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "192.0.2.7", "fd00::/8"}));
  // Flags replace the environment's list; the flag repeats.
  c = Parse({"--descriptor-set", "/x.desc", "--trusted-proxies", "127.0.0.1",
             "--trusted-proxies=172.16.0.0/12,::1"},
            {{"CIVIL_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"127.0.0.1", "172.16.0.0/12", "::1"}));
  for (const char* bad : {"10.0.0.0/33", "10.0.0.1/8", "proxy.example", "::1/129", "10.0.0.0/x"}) {
    absl::StatusOr<GatewayConfig> refused =
        Parse({"--descriptor-set", "/x.desc", "--trusted-proxies", bad});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.status().message().find("--trusted-proxies"), absl::string_view::npos)
        << refused.status();
  }
  absl::StatusOr<GatewayConfig> refused =
      Parse({"--descriptor-set", "/x.desc"}, {{"CIVIL_GATEWAY_TRUSTED_PROXIES", "nope"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("CIVIL_GATEWAY_TRUSTED_PROXIES"),
            absl::string_view::npos);
}

TEST(ConfigTest, FastPathSwitchesAreOnUnlessTurnedOff) {
  absl::StatusOr<GatewayConfig> c = Parse({"--descriptor-set", "/x.desc"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->fast_json);
  EXPECT_TRUE(c->h2_unary);
  c = Parse({"--descriptor-set", "/x.desc", "--fast-json=false", "--h2-unary", "false"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->fast_json);
  EXPECT_FALSE(c->h2_unary);
  c = Parse({"--descriptor-set", "/x.desc", "--h2-unary=true"},
            {{"CIVIL_GATEWAY_FAST_JSON", "false"}, {"CIVIL_GATEWAY_H2_UNARY", "false"}});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->fast_json);
  EXPECT_TRUE(c->h2_unary);  // the flag wins
}

TEST(ConfigTest, CheckConfigIsSecureByDefault) {
  GatewayConfig c;
  c.descriptor_set = "/x.desc";
  absl::Status s = CheckConfig(c);  // --auth=jwt without keys
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--jwt-keys"), absl::string_view::npos);
  c.jwt_keys = {"k.pub"};
  EXPECT_FALSE(CheckConfig(c).ok());  // no issuer / audience
  c.jwt_issuer = "i";
  c.jwt_audience = "a";
  EXPECT_TRUE(CheckConfig(c).ok());
  c.listen = "0.0.0.0:8080";  // plain HTTP off loopback needs TLS or --plaintext
  EXPECT_FALSE(CheckConfig(c).ok());
  c.plaintext = true;
  EXPECT_TRUE(CheckConfig(c).ok());
  c.tls_cert = "cert.pem";  // without the key
  EXPECT_FALSE(CheckConfig(c).ok());
  c.tls_key = "key.pem";
  EXPECT_TRUE(CheckConfig(c).ok());
  EXPECT_TRUE(IsLoopbackListen("[::1]:80"));
  EXPECT_TRUE(IsLoopbackListen("localhost:80"));
  EXPECT_FALSE(IsLoopbackListen("10.1.2.3:80"));
}

TEST(ConfigTest, Help) {
  absl::StatusOr<GatewayConfig> c = Parse({"--help"});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->help);
  EXPECT_NE(Usage().find("--descriptor-set"), std::string::npos);
  // Every option with its variable and default.
  EXPECT_NE(Usage().find("--threads N:INT in [1 - 256]=2 (Env:CIVIL_GATEWAY_THREADS)"),
            std::string::npos)
      << Usage();
  EXPECT_NE(Usage().find("(Env:CIVIL_GATEWAY_FAST_JSON)"), std::string::npos);
  EXPECT_NE(Usage().find("(Env:CIVIL_GATEWAY_H2_UNARY)"), std::string::npos);
}

TEST(BackendAddressTest, OverrideThenEnvironmentThenDepartmentDefault) {
  GatewayConfig config;
  config.backends = {{"civil.assistance.v1.HouseholdService", "10.0.0.1:7000"}};
  auto env = Env({{"CIVIL_ELDERCARE_ADDR", "eldercare:50052"}});
  EXPECT_EQ(*BackendAddress(config, "civil.assistance.v1.HouseholdService", env), "10.0.0.1:7000");
  EXPECT_EQ(*BackendAddress(config, "civil.eldercare.v1.AllowanceService", env), "eldercare:50052");
  EXPECT_EQ(*BackendAddress(config, "civil.assistance.v1.OtherService", env), "127.0.0.1:50051");
  EXPECT_EQ(*BackendAddress(config, "civil.childwelfare.v1.X", env), "127.0.0.1:50053");
  EXPECT_EQ(*BackendAddress(config, "civil.governance.v1.X", env), "127.0.0.1:50054");
  EXPECT_EQ(*BackendAddress(config, "civil.socialorg.v1.X", env), "127.0.0.1:50055");
  EXPECT_EQ(*BackendAddress(config, "civil.affairs.v1.X", env), "127.0.0.1:50056");
  EXPECT_EQ(*BackendAddress(config, "civil.report.v1.X", env), "127.0.0.1:50057");
  absl::StatusOr<std::string> unknown = BackendAddress(config, "bench.v1.EchoService", env);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("--backend bench.v1.EchoService="),
            absl::string_view::npos);
  EXPECT_NE(
      BackendAddress(config, "civil.parks.v1.X", env).status().message().find("CIVIL_PARKS_ADDR"),
      absl::string_view::npos);
}

TEST(HttpErrorsTest, GrpcGatewayStatusMapping) {
  const std::map<int, int> expected = {{0, 200},  {1, 499},  {2, 500},  {3, 400},  {4, 504},
                                       {5, 404},  {6, 409},  {7, 403},  {8, 429},  {9, 400},
                                       {10, 409}, {11, 400}, {12, 501}, {13, 500}, {14, 503},
                                       {15, 500}, {16, 401}, {99, 500}};
  for (const auto& [code, status] : expected) {
    EXPECT_EQ(HttpStatusFromGrpc(code), status) << code;
  }
}

TEST(HttpErrorsTest, ErrorBodyAndEscaping) {
  EXPECT_EQ(ErrorJson(5, "household \"h1\" not found"),
            R"({"code":5,"message":"household \"h1\" not found","details":[]})");
  std::string out;
  AppendJsonString("a\\b\n\x01 张三 \xff", &out);
  EXPECT_EQ(out, "\"a\\\\b\\n\\u0001 张三 \xEF\xBF\xBD\"");
}

TEST(RequestIdTest, KeepsASaneClientIdElseGeneratesAUuid) {
  EXPECT_EQ(RequestIdFor("abc-123"), "abc-123");
  for (absl::string_view bad :
       {absl::string_view(""), absl::string_view("has space"), absl::string_view("tab\there")}) {
    std::string id = RequestIdFor(bad);
    ASSERT_EQ(id.size(), 36u) << id;
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[14], '4');  // version 4
    EXPECT_NE(id, RequestIdFor(bad));
  }
  EXPECT_EQ(RequestIdFor(std::string(129, 'a')).size(), 36u);
}

TEST(MethodLabelTest, BoundedCardinality) {
  EXPECT_EQ(MethodLabel("GET"), "GET");
  EXPECT_EQ(MethodLabel("PATCH"), "PATCH");
  EXPECT_EQ(MethodLabel("BREW"), "OTHER");
}

}  // namespace
}  // namespace civil::gateway
