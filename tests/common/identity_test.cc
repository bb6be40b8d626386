// The department's own check of its callers (services/common/identity.h): the forged-token
// matrix, service tokens and key rotation, on a verifier with the test keys (no servers).
#include "services/common/identity.h"

#include <grpcpp/test/server_context_test_spouse.h>

#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/jwt_sign.h"
#include "tests/support/call_as.h"

namespace civil {
namespace {

using json = nlohmann::json;
using testing::TestCaller;

const TestCaller kClerk{"clerk-1", "assistance.clerk", "340722100"};

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto verifier = CallVerifier::Create("assistance", testing::TestIdentity("assistance"));
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  // Authenticate on a call carrying `metadata`.
  absl::StatusOr<Caller> WithMetadata(const std::multimap<std::string, std::string>& metadata) {
    grpc::ServerContext context;
    grpc::testing::ServerContextTestSpouse spouse(&context);
    for (const auto& [key, value] : metadata) spouse.AddClientMetadata(key, value);
    return verifier_->Authenticate(context);
  }
  absl::StatusOr<Caller> WithToken(const std::string& token) {
    return WithMetadata({{"authorization", "Bearer " + token}});
  }

  static json Claims() {
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    return {{"iss", testing::kCallIssuer},
            {"aud", testing::kCallAudience},
            {"sub", "clerk-1"},
            {"roles", {"assistance.clerk"}},
            {"region", "340722100"},
            {"iat", now},
            {"exp", now + 600}};
  }
  static std::string Signed(const json& claims, const std::string& pem,
                            const std::string& kid = "dev") {
    auto token = SignRaw(json{{"alg", "ES256"}, {"typ", "JWT"}, {"kid", kid}}.dump(), claims.dump(),
                         "ES256", pem);
    EXPECT_TRUE(token.ok());
    return *token;
  }

  static void ExpectUnauthenticated(const absl::StatusOr<Caller>& caller, const char* what) {
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated) << what;
  }

  std::unique_ptr<CallVerifier> verifier_;
};

TEST_F(IdentityTest, AUsersTokenGivesTheCallerItsClaims) {
  absl::StatusOr<Caller> caller = WithToken(testing::UserToken(kClerk));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "clerk-1");
  EXPECT_EQ(caller->roles, std::vector<std::string>{"assistance.clerk"});
  EXPECT_EQ(caller->region_prefix, "340722100");
  EXPECT_FALSE(caller->service);
}

TEST_F(IdentityTest, ForgedMetadataAloneIsUnauthenticated) {
  // The call that used to be answered with every household of the county.
  ExpectUnauthenticated(
      WithMetadata(
          {{"x-civil-subject", "mallory"}, {"x-civil-roles", "admin"}, {"x-civil-region", "*"}}),
      "x-civil-* metadata");
  // Next to a valid token, the metadata changes nothing.
  absl::StatusOr<Caller> caller =
      WithMetadata({{"authorization", "Bearer " + testing::UserToken(kClerk)},
                    {"x-civil-roles", "admin"},
                    {"x-civil-region", "*"}});
  ASSERT_TRUE(caller.ok());
  EXPECT_FALSE(caller->HasRole("admin"));
  EXPECT_EQ(caller->region_prefix, "340722100");
}

TEST_F(IdentityTest, TheForgedTokenMatrixIsUnauthenticated) {
  ExpectUnauthenticated(WithMetadata({}), "no token");
  ExpectUnauthenticated(WithMetadata({{"authorization", "Basic YWxpY2U6eA=="}}), "not bearer");
  ExpectUnauthenticated(WithToken("not.a.token"), "garbage");

  auto none = SignRaw(json{{"alg", "none"}, {"kid", "dev"}}.dump(), Claims().dump(), "none", "");
  ASSERT_TRUE(none.ok());
  ExpectUnauthenticated(WithToken(*none), "alg none");

  auto stranger = GenerateEs256KeyPair();
  ASSERT_TRUE(stranger.ok());
  ExpectUnauthenticated(WithToken(Signed(Claims(), stranger->first)), "wrong key, known kid");
  ExpectUnauthenticated(WithToken(Signed(Claims(), stranger->first, "other")), "unknown kid");

  json expired = Claims();
  expired["iat"] = expired["exp"].get<int64_t>() - 7200;
  expired["exp"] = expired["iat"].get<int64_t>() + 600;
  ExpectUnauthenticated(WithToken(Signed(expired, testing::UserKeys().private_pem)), "expired");

  json audience = Claims();
  audience["aud"] = "some-other-api";
  ExpectUnauthenticated(WithToken(Signed(audience, testing::UserKeys().private_pem)),
                        "wrong audience");
  json issuer = Claims();
  issuer["iss"] = "someone-else";
  ExpectUnauthenticated(WithToken(Signed(issuer, testing::UserKeys().private_pem)), "wrong issuer");

  // A user's token presented where a department's is required: the role `system` is refused.
  absl::StatusOr<Caller> system = WithToken(testing::UserToken({"mallory", "system", "*"}));
  ExpectUnauthenticated(system, "user token claiming system");
  EXPECT_NE(system.status().message().find("cannot carry the role system"), std::string::npos);
}

TEST_F(IdentityTest, ADepartmentsServiceTokenIsASystemCaller) {
  ServiceTokens tokens("affairs", {"affairs", testing::ServiceKeys("affairs").private_pem},
                       std::chrono::seconds(300));
  absl::StatusOr<std::string> token = tokens.TokenFor("assistance");
  ASSERT_TRUE(token.ok()) << token.status();
  // Reused while fresh.
  EXPECT_EQ(*tokens.TokenFor("assistance"), *token);

  absl::StatusOr<Caller> caller = WithToken(*token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "service:affairs");
  EXPECT_TRUE(caller->HasRole("system"));
  EXPECT_EQ(caller->region_prefix, "*");
  EXPECT_TRUE(caller->service);
}

TEST_F(IdentityTest, AServiceTokenForAnotherCalleeOrSpeakingForAnotherDepartmentIsRefused) {
  ServiceTokens affairs("affairs", {"affairs", testing::ServiceKeys("affairs").private_pem},
                        std::chrono::seconds(300));
  ExpectUnauthenticated(WithToken(*affairs.TokenFor("eldercare")), "audience eldercare");

  // affairs's key signing a token that says it is assistance.
  TokenSpec spec{.kid = "affairs",
                 .issuer = kServiceIssuer,
                 .audience = ServiceAudience("assistance"),
                 .subject = "service:assistance",
                 .roles = {"system"},
                 .region = "*"};
  absl::StatusOr<Caller> impostor =
      WithToken(*SignToken(spec, testing::ServiceKeys("affairs").private_pem));
  ExpectUnauthenticated(impostor, "kid affairs speaking for assistance");
  EXPECT_NE(impostor.status().message().find("speaks only for affairs"), std::string::npos);

  // A department's token carries `system` and nothing more.
  spec.subject = "service:affairs";
  spec.roles = {"system", "admin"};
  ExpectUnauthenticated(WithToken(*SignToken(spec, testing::ServiceKeys("affairs").private_pem)),
                        "service token with admin");
}

TEST_F(IdentityTest, NoServiceKeyMeansNoServiceToken) {
  ServiceTokens none("eldercare", {}, std::chrono::seconds(300));
  absl::StatusOr<std::string> token = none.TokenFor("assistance");
  EXPECT_EQ(token.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(token.status().message().find("CIVIL_ELDERCARE_SERVICE_KEY"), std::string::npos);
}

TEST_F(IdentityTest, TwoUserKeysAreValidAtOnceByKid) {
  // Rotation: the provider's new key is added next to the old one, tokens of both verify, then
  // the old one is removed.
  auto next = GenerateEs256KeyPair();
  ASSERT_TRUE(next.ok());
  IdentityConfig identity = testing::TestIdentity("assistance");
  identity.user_keys.push_back({"next", next->second});
  auto both = CallVerifier::Create("assistance", identity);
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE((*both)->AuthenticateToken(testing::UserToken(kClerk)).ok());
  EXPECT_TRUE((*both)->AuthenticateToken(Signed(Claims(), next->first, "next")).ok());
  // Without the new key its tokens are refused.
  EXPECT_FALSE(verifier_->AuthenticateToken(Signed(Claims(), next->first, "next")).ok());
}

TEST_F(IdentityTest, AVerifierWithoutUserKeysDoesNotStart) {
  IdentityConfig identity;
  auto verifier = CallVerifier::Create("assistance", identity);
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(verifier.status().message().find("CIVIL_JWT_KEYS"), std::string::npos);
}

}  // namespace
}  // namespace civil
