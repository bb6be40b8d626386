// The gateway's console files and development sign-in (gateway/console.h), without a server.
#include "gateway/console.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "absl/strings/match.h"
#include "nlohmann/json.hpp"
#include "services/common/jwt.h"
#include "tests/gateway/token_helper.h"

namespace civil::gateway {
namespace {

TEST(ConsoleFileTest, MapsTheConsolePathsToFilesOfTheBuild) {
  EXPECT_EQ(ConsoleFile("/console/"), "index.html");
  EXPECT_EQ(ConsoleFile("/console/index.html"), "index.html");
  EXPECT_EQ(ConsoleFile("/console/assets/index-Ab_1.js"), "assets/index-Ab_1.js");
  EXPECT_TRUE(ConsoleFileImmutable("assets/index-Ab_1.js"));
  EXPECT_FALSE(ConsoleFileImmutable("index.html"));
}

TEST(ConsoleFileTest, RefusesPathsThatLeaveTheBuildDirectory) {
  for (const char* path : {"/console", "/consoles/x", "/docs/", "/console/../secret",
                           "/console/assets/../../x", "/console/.env", "/console/a/b/c.js",
                           "/console//etc", "/console/a%2f..", "/console/a\\b"}) {
    EXPECT_FALSE(ConsoleFile(path).has_value()) << path;
  }
}

class DevSignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/console-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    keys_ = civil::testing::WriteTestKeys(dir_);
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  absl::StatusOr<std::string> Mint(const std::string& body) {
    return DevSignInToken(body, keys_.private_pem, "dev", "civil-dev", "civil-api", 3600);
  }

  std::string dir_;
  civil::testing::TestKeys keys_;
};

TEST_F(DevSignInTest, MintsATokenTheVerifierAcceptsWithTheChosenRoleAndRegion) {
  absl::StatusOr<std::string> answer =
      Mint(R"({"subject":"clerk-zhang","roles":["assistance.clerk"],"region":"340722100"})");
  ASSERT_TRUE(answer.ok()) << answer.status();
  const nlohmann::json json = nlohmann::json::parse(*answer);
  EXPECT_EQ(json["expiresIn"], 3600);

  JwtKeySet keys;
  ASSERT_TRUE(keys.AddPem("dev", keys_.public_pem).ok());
  JwtVerifier verifier(std::move(keys), {.issuer = "civil-dev", .audience = "civil-api"});
  JwtResult verified = verifier.Verify(json["token"].get<std::string>());
  ASSERT_TRUE(verified.ok()) << verified.message;
  EXPECT_EQ(verified.principal->subject, "clerk-zhang");
  EXPECT_EQ(verified.principal->roles, std::vector<std::string>{"assistance.clerk"});
  EXPECT_EQ(verified.principal->region, "340722100");
  EXPECT_EQ(verified.principal->kid, "dev");
}

TEST_F(DevSignInTest, RefusesTheSystemRoleAndMalformedRequestsNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {"not json", "body"},
      {R"({"roles":["assistance.clerk"],"region":"340722"})", "subject"},
      {R"({"subject":"service:affairs","roles":["assistance.clerk"],"region":"340722"})",
       "subject"},
      {R"({"subject":"a","roles":[],"region":"340722"})", "roles"},
      {R"({"subject":"a","roles":["system"],"region":"340722"})", "roles"},
      {R"({"subject":"a","roles":["Assistance Clerk"],"region":"340722"})", "roles"},
      {R"({"subject":"a","roles":["leadership"],"region":"34x"})", "region"},
      {R"({"subject":"a","roles":["leadership"]})", "region"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::string> answer = Mint(c.body);
    ASSERT_FALSE(answer.ok()) << c.body;
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kInvalidArgument) << c.body;
    EXPECT_TRUE(absl::StartsWith(answer.status().message(), std::string(c.field) + ": "))
        << c.body << " → " << answer.status();
  }
  EXPECT_TRUE(Mint(R"({"subject":"a","roles":["leadership"],"region":"*"})").ok());
}

}  // namespace
}  // namespace civil::gateway
