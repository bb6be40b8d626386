#include "services/common/config.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// Every variable these tests read or write. The fixture saves them, clears them before each test
// and puts the saved values back afterwards, so the tests neither see nor leak the environment.
const std::vector<std::string>& Variables() {
  static const auto* names = new std::vector<std::string>{
      "CIVIL_KITTEST_ADDR",
      "CIVIL_KITTEST_METRICS_ADDR",
      "CIVIL_KITTEST_PG_DSN",
      "CIVIL_REDIS_ADDR",
      "CIVIL_PII_KEY",
      "CIVIL_PG_POOL_SIZE",
      "CIVIL_PG_ACQUIRE_TIMEOUT_MS",
      "CIVIL_REDIS_POOL_SIZE",
      "CIVIL_REDIS_TIMEOUT_MS",
      "CIVIL_CACHE_TTL_SECONDS",
      "CIVIL_GRPC_THREADS",
      "CIVIL_SHUTDOWN_GRACE_MS",
      "CIVIL_JWT_KEYS",
      "CIVIL_JWT_ISSUER",
      "CIVIL_JWT_AUDIENCE",
      "CIVIL_SERVICE_KEYS",
      "CIVIL_KITTEST_SERVICE_KEY",
      "CIVIL_SERVICE_TOKEN_TTL_SECONDS",
      "CIVIL_CONFIG_TEST_A",
      "CIVIL_CONFIG_TEST_B",
      "CIVIL_CONFIG_TEST_C",
  };
  return *names;
}

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& name : Variables()) {
      const char* value = std::getenv(name.c_str());
      saved_.push_back(value == nullptr ? std::nullopt : std::optional<std::string>(value));
      ASSERT_EQ(unsetenv(name.c_str()), 0);
    }
  }

  void TearDown() override {
    for (size_t i = 0; i < saved_.size(); ++i) {
      const std::string& name = Variables()[i];
      if (saved_[i].has_value()) {
        setenv(name.c_str(), saved_[i]->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

  static void Set(const std::string& name, const std::string& value) {
    ASSERT_EQ(setenv(name.c_str(), value.c_str(), 1), 0);
  }

  // The four required variables of service "kittest".
  static void SetRequired() {
    Set("CIVIL_KITTEST_PG_DSN", "host=/tmp dbname=kittest");
    Set("CIVIL_REDIS_ADDR", "redis.internal:6380");
    Set("CIVIL_PII_KEY", kKey);
    Set("CIVIL_JWT_KEYS", WriteFile("idp.pub", "-----BEGIN PUBLIC KEY-----\n"));
  }

  // Writes `text` to `name` in a directory of this test binary's own; returns the path.
  static std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = Dir() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  static const std::string& Dir() {
    static const std::string dir = [] {
      std::string d = std::filesystem::temp_directory_path() /
                      ("civil_config_test_" + std::to_string(getpid()));
      std::filesystem::create_directories(d + "/services");
      return d;
    }();
    return dir;
  }

 private:
  std::vector<std::optional<std::string>> saved_;
};

// --- EnvReader -------------------------------------------------------------------------------

using EnvReaderTest = EnvTest;

TEST_F(EnvReaderTest, NothingReadIsOk) {
  EnvReader env;
  EXPECT_TRUE(env.Status().ok());
}

TEST_F(EnvReaderTest, Required) {
  Set("CIVIL_CONFIG_TEST_A", "value a");
  Set("CIVIL_CONFIG_TEST_B", "");  // empty counts as unset
  EnvReader env;
  EXPECT_EQ(env.Required("CIVIL_CONFIG_TEST_A"), "value a");
  EXPECT_TRUE(env.Status().ok());
  EXPECT_EQ(env.Required("CIVIL_CONFIG_TEST_B"), "");
  EXPECT_EQ(env.Required("CIVIL_CONFIG_TEST_C"), "");
  EXPECT_EQ(env.Status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(env.Status().message(),
            "configuration: CIVIL_CONFIG_TEST_B is required but not set; "
            "CIVIL_CONFIG_TEST_C is required but not set");
}

TEST_F(EnvReaderTest, String) {
  Set("CIVIL_CONFIG_TEST_A", "set");
  Set("CIVIL_CONFIG_TEST_B", "");
  EnvReader env;
  EXPECT_EQ(env.String("CIVIL_CONFIG_TEST_A", "fallback"), "set");
  EXPECT_EQ(env.String("CIVIL_CONFIG_TEST_B", "fallback"), "fallback");
  EXPECT_EQ(env.String("CIVIL_CONFIG_TEST_C", "fallback"), "fallback");
  EXPECT_TRUE(env.Status().ok());
}

TEST_F(EnvReaderTest, Int) {
  EnvReader env;
  EXPECT_EQ(env.Int("CIVIL_CONFIG_TEST_A", 8, 1, 10), 8);  // unset
  Set("CIVIL_CONFIG_TEST_A", "10");
  EXPECT_EQ(env.Int("CIVIL_CONFIG_TEST_A", 8, 1, 10), 10);
  Set("CIVIL_CONFIG_TEST_A", "1");
  EXPECT_EQ(env.Int("CIVIL_CONFIG_TEST_A", 8, 1, 10), 1);
  Set("CIVIL_CONFIG_TEST_A", "-3");
  EXPECT_EQ(env.Int("CIVIL_CONFIG_TEST_A", 0, -5, 5), -3);
  EXPECT_TRUE(env.Status().ok());
}

TEST_F(EnvReaderTest, IntOutOfRangeOrMalformedRecordsAnError) {
  for (const char* bad : {"0", "11", "ten", "5x", "5.0"}) {
    Set("CIVIL_CONFIG_TEST_A", bad);
    EnvReader env;
    EXPECT_EQ(env.Int("CIVIL_CONFIG_TEST_A", 8, 1, 10), 8) << bad;
    EXPECT_EQ(env.Status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(env.Status().message(),
              "configuration: CIVIL_CONFIG_TEST_A must be an integer from 1 to 10")
        << bad;
  }
}

TEST_F(EnvReaderTest, Bool) {
  EnvReader env;
  EXPECT_TRUE(env.Bool("CIVIL_CONFIG_TEST_A", true));  // unset
  EXPECT_FALSE(env.Bool("CIVIL_CONFIG_TEST_A", false));
  for (const char* yes : {"true", "TRUE", "True", "1", "yes", "YES"}) {
    Set("CIVIL_CONFIG_TEST_A", yes);
    EXPECT_TRUE(env.Bool("CIVIL_CONFIG_TEST_A", false)) << yes;
  }
  for (const char* no : {"false", "FALSE", "0", "no", "No"}) {
    Set("CIVIL_CONFIG_TEST_A", no);
    EXPECT_FALSE(env.Bool("CIVIL_CONFIG_TEST_A", true)) << no;
  }
  EXPECT_TRUE(env.Status().ok());
}

TEST_F(EnvReaderTest, BoolMalformedRecordsAnError) {
  Set("CIVIL_CONFIG_TEST_A", "maybe");
  EnvReader env;
  EXPECT_TRUE(env.Bool("CIVIL_CONFIG_TEST_A", true));
  EXPECT_EQ(env.Status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(env.Status().message(), "configuration: CIVIL_CONFIG_TEST_A must be true or false");
}

TEST_F(EnvReaderTest, CollectsEveryProblem) {
  Set("CIVIL_CONFIG_TEST_B", "x");
  Set("CIVIL_CONFIG_TEST_C", "perhaps");
  EnvReader env;
  env.Required("CIVIL_CONFIG_TEST_A");
  env.Int("CIVIL_CONFIG_TEST_B", 1, 1, 2);
  env.Bool("CIVIL_CONFIG_TEST_C", false);
  EXPECT_EQ(env.Status().message(),
            "configuration: CIVIL_CONFIG_TEST_A is required but not set; "
            "CIVIL_CONFIG_TEST_B must be an integer from 1 to 2; "
            "CIVIL_CONFIG_TEST_C must be true or false");
}

// --- SplitHostPort ---------------------------------------------------------------------------

TEST(SplitHostPortTest, Splits) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(SplitHostPort("redis:6379", &host, &port).ok());
  EXPECT_EQ(host, "redis");
  EXPECT_EQ(port, 6379);
  ASSERT_TRUE(SplitHostPort("10.0.0.7:1", &host, &port).ok());
  EXPECT_EQ(host, "10.0.0.7");
  EXPECT_EQ(port, 1);
  ASSERT_TRUE(SplitHostPort("[::1]:65535", &host, &port).ok());
  EXPECT_EQ(host, "[::1]");
  EXPECT_EQ(port, 65535);
}

TEST(SplitHostPortTest, RefusesMissingOrBadPorts) {
  for (const char* bad :
       {"redis", "redis:", ":6379", "redis:0", "redis:65536", "redis:-1", "redis:port", ""}) {
    std::string host = "unchanged";
    int port = 42;
    const absl::Status status = SplitHostPort(bad, &host, &port);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message(), std::string("address must be host:port, got \"") + bad + "\"");
    EXPECT_EQ(host, "unchanged");
    EXPECT_EQ(port, 42);
  }
}

// --- LoadServiceConfig -----------------------------------------------------------------------

using LoadServiceConfigTest = EnvTest;

TEST_F(LoadServiceConfigTest, Defaults) {
  SetRequired();
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->service, "kittest");
  EXPECT_EQ(config->grpc_addr, "127.0.0.1:50071");
  EXPECT_EQ(config->metrics_addr, "127.0.0.1:9471");
  EXPECT_EQ(config->pg_dsn, "host=/tmp dbname=kittest");
  EXPECT_EQ(config->redis_host, "redis.internal");
  EXPECT_EQ(config->redis_port, 6380);
  EXPECT_EQ(config->pii_key_hex, kKey);
  EXPECT_EQ(config->pg_pool_size, 8);
  EXPECT_EQ(config->pg_acquire_timeout, milliseconds(2000));
  EXPECT_EQ(config->redis_pool_size, 8);
  EXPECT_EQ(config->redis_timeout, milliseconds(200));
  EXPECT_EQ(config->cache_ttl, seconds(300));
  EXPECT_EQ(config->grpc_threads, 16);
  EXPECT_EQ(config->shutdown_grace, milliseconds(10000));
}

TEST_F(LoadServiceConfigTest, Overrides) {
  SetRequired();
  Set("CIVIL_KITTEST_ADDR", "0.0.0.0:6000");
  Set("CIVIL_KITTEST_METRICS_ADDR", "0.0.0.0:6001");
  Set("CIVIL_PG_POOL_SIZE", "32");
  Set("CIVIL_PG_ACQUIRE_TIMEOUT_MS", "750");
  Set("CIVIL_REDIS_POOL_SIZE", "4");
  Set("CIVIL_REDIS_TIMEOUT_MS", "50");
  Set("CIVIL_CACHE_TTL_SECONDS", "60");
  Set("CIVIL_GRPC_THREADS", "64");
  Set("CIVIL_SHUTDOWN_GRACE_MS", "0");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->grpc_addr, "0.0.0.0:6000");
  EXPECT_EQ(config->metrics_addr, "0.0.0.0:6001");
  EXPECT_EQ(config->pg_pool_size, 32);
  EXPECT_EQ(config->pg_acquire_timeout, milliseconds(750));
  EXPECT_EQ(config->redis_pool_size, 4);
  EXPECT_EQ(config->redis_timeout, milliseconds(50));
  EXPECT_EQ(config->cache_ttl, seconds(60));
  EXPECT_EQ(config->grpc_threads, 64);
  EXPECT_EQ(config->shutdown_grace, milliseconds(0));
}

TEST_F(LoadServiceConfigTest, ServiceNameIsUpperCasedInVariableNames) {
  SetRequired();
  Set("CIVIL_KITTEST_ADDR", "127.0.0.1:7000");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("KitTest", 1, 2);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->service, "KitTest");
  EXPECT_EQ(config->grpc_addr, "127.0.0.1:7000");
  EXPECT_EQ(config->metrics_addr, "127.0.0.1:2");
}

TEST_F(LoadServiceConfigTest, EveryMissingRequiredVariableIsNamed) {
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "configuration: CIVIL_KITTEST_PG_DSN is required but not set; "
            "CIVIL_REDIS_ADDR is required but not set; CIVIL_PII_KEY is required but not set; "
            "CIVIL_JWT_KEYS is required but not set");
}

TEST_F(LoadServiceConfigTest, KeysAreReadByKidFromTheirFiles) {
  SetRequired();
  Set("CIVIL_JWT_KEYS", WriteFile("old.pub", "old key") + ", " + WriteFile("new.pub", "new key"));
  Set("CIVIL_JWT_ISSUER", "https://idp.example");
  WriteFile("services/affairs.pub", "affairs key");
  WriteFile("services/assistance.2.pub", "assistance key");
  WriteFile("services/notes.txt", "not a key");
  Set("CIVIL_SERVICE_KEYS", Dir() + "/services");
  Set("CIVIL_KITTEST_SERVICE_KEY", WriteFile("kittest.key", "private"));
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 1, 2);
  ASSERT_TRUE(config.ok()) << config.status();
  const IdentityConfig& identity = config->identity;
  ASSERT_EQ(identity.user_keys.size(), 2u);
  EXPECT_EQ(identity.user_keys[0].kid, "old");
  EXPECT_EQ(identity.user_keys[1].text, "new key");
  EXPECT_EQ(identity.issuer, "https://idp.example");
  EXPECT_EQ(identity.audience, "civil-api");
  ASSERT_EQ(identity.service_keys.size(), 2u);
  EXPECT_EQ(identity.service_keys[0].kid, "affairs");
  EXPECT_EQ(identity.service_keys[1].kid, "assistance.2");
  EXPECT_EQ(identity.signing_key.kid, "kittest");
  EXPECT_EQ(identity.signing_key.text, "private");
  EXPECT_EQ(identity.service_token_ttl, std::chrono::seconds(300));
}

TEST_F(LoadServiceConfigTest, AMissingKeyFileIsNamed) {
  SetRequired();
  Set("CIVIL_JWT_KEYS", "/nonexistent/idp.pub");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 1, 2);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "configuration: CIVIL_JWT_KEYS: cannot read /nonexistent/idp.pub");
}

TEST_F(LoadServiceConfigTest, EmptyRequiredVariableCountsAsMissing) {
  SetRequired();
  Set("CIVIL_PII_KEY", "");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(), "configuration: CIVIL_PII_KEY is required but not set");
}

TEST_F(LoadServiceConfigTest, MalformedIntegerNamesTheVariable) {
  SetRequired();
  Set("CIVIL_PG_POOL_SIZE", "lots");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "configuration: CIVIL_PG_POOL_SIZE must be an integer from 1 to 512");
}

TEST_F(LoadServiceConfigTest, OutOfRangeIntegersNameTheirVariables) {
  SetRequired();
  Set("CIVIL_GRPC_THREADS", "0");
  Set("CIVIL_CACHE_TTL_SECONDS", "86401");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "configuration: CIVIL_CACHE_TTL_SECONDS must be an integer from 1 to 86400; "
            "CIVIL_GRPC_THREADS must be an integer from 1 to 1024");
}

TEST_F(LoadServiceConfigTest, MalformedRedisAddressNamesTheVariable) {
  SetRequired();
  Set("CIVIL_REDIS_ADDR", "redis.internal");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "configuration: CIVIL_REDIS_ADDR: address must be host:port, got \"redis.internal\"");
}

TEST_F(LoadServiceConfigTest, MalformedRedisAddressIsListedWithOtherProblems) {
  SetRequired();
  Set("CIVIL_REDIS_ADDR", "redis.internal:99999");
  Set("CIVIL_REDIS_POOL_SIZE", "-1");
  absl::StatusOr<ServiceConfig> config = LoadServiceConfig("kittest", 50071, 9471);
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "configuration: CIVIL_REDIS_POOL_SIZE must be an integer from 1 to 512; "
            "CIVIL_REDIS_ADDR: address must be host:port, got \"redis.internal:99999\"");
}

}  // namespace
}  // namespace civil
