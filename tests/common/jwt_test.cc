// Bearer token verification: every rejection RFC 8725 asks for, key loading, the cache.
#include "services/common/jwt.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "nlohmann/json.hpp"
#include "services/common/jwt_sign.h"

namespace civil {
namespace {

using json = nlohmann::json;

constexpr int64_t kNow = 1800000000;
constexpr char kIssuer[] = "https://id.example.gov";
constexpr char kAudience[] = "civil-api";
constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-dev";

struct Pair {
  std::string private_pem;
  std::string public_pem;
};

const Pair& EcKey() {
  static const Pair* pair = [] {
    auto p = GenerateEs256KeyPair();
    return new Pair{p->first, p->second};
  }();
  return *pair;
}
const Pair& OtherEcKey() {
  static const Pair* pair = [] {
    auto p = GenerateEs256KeyPair();
    return new Pair{p->first, p->second};
  }();
  return *pair;
}
const Pair& RsaKey() {
  static const Pair* pair = [] {
    auto p = GenerateRsaKeyPair(2048);
    return new Pair{p->first, p->second};
  }();
  return *pair;
}

json Claims(int64_t now = kNow) {
  return json{{"iss", kIssuer},    {"aud", kAudience}, {"sub", "alice"},
              {"iat", now},        {"exp", now + 600}, {"roles", {"assistance.clerk", "auditor"}},
              {"region", "340722"}};
}

std::string Token(const json& header, const json& claims, const std::string& alg,
                  const std::string& key) {
  auto token = SignRaw(header.dump(), claims.dump(), alg, key);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

std::string Es(const json& claims, const std::string& kid = "ec1") {
  return Token({{"alg", "ES256"}, {"typ", "JWT"}, {"kid", kid}}, claims, "ES256",
               EcKey().private_pem);
}

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    JwtKeySet keys;
    ASSERT_TRUE(keys.AddPem("ec1", EcKey().public_pem).ok());
    ASSERT_TRUE(keys.AddPem("rsa1", RsaKey().public_pem).ok());
    ASSERT_TRUE(keys.AddHs256("dev-hs", kSecret).ok());
    verifier_ = MakeVerifier(std::move(keys));
  }

  std::unique_ptr<JwtVerifier> MakeVerifier(JwtKeySet keys, int leeway_s = 60) {
    JwtVerifierOptions options;
    options.issuer = kIssuer;
    options.audience = kAudience;
    options.leeway = std::chrono::seconds(leeway_s);
    options.now = [this] { return now_; };
    return std::make_unique<JwtVerifier>(std::move(keys), options);
  }

  JwtError ErrorOf(const std::string& token) { return verifier_->Verify(token).error; }

  int64_t now_ = kNow;
  std::unique_ptr<JwtVerifier> verifier_;
};

TEST_F(JwtTest, AcceptsEs256AndMapsTheClaims) {
  JwtResult r = verifier_->Verify(Es(Claims()));
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.principal->subject, "alice");
  EXPECT_EQ(r.principal->roles, (std::vector<std::string>{"assistance.clerk", "auditor"}));
  EXPECT_EQ(r.principal->kid, "ec1");
  EXPECT_EQ(r.principal->region, "340722");
  EXPECT_TRUE(r.principal->HasRole("auditor"));
  EXPECT_FALSE(r.principal->HasRole("admin"));
}

TEST_F(JwtTest, AcceptsRs256AndConfiguredHs256) {
  EXPECT_TRUE(verifier_
                  ->Verify(Token({{"alg", "RS256"}, {"kid", "rsa1"}}, Claims(), "RS256",
                                 RsaKey().private_pem))
                  .ok());
  EXPECT_TRUE(
      verifier_->Verify(Token({{"alg", "HS256"}, {"kid", "dev-hs"}}, Claims(), "HS256", kSecret))
          .ok());
}

TEST_F(JwtTest, MintedTokensVerify) {
  TokenSpec spec{.kid = "ec1",
                 .issuer = kIssuer,
                 .audience = kAudience,
                 .subject = "bob",
                 .roles = {"assistance.reviewer"},
                 .region = "*",
                 .issued_at = kNow};
  auto token = SignToken(spec, EcKey().private_pem);
  ASSERT_TRUE(token.ok());
  JwtResult r = verifier_->Verify(*token);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.principal->region, "*");
  spec.kid = "dev-hs";
  token = SignTokenHs256(spec, kSecret);
  EXPECT_TRUE(verifier_->Verify(*token).ok());
}

TEST_F(JwtTest, RejectsAlgNone) {
  EXPECT_EQ(ErrorOf(Token({{"alg", "none"}, {"kid", "ec1"}}, Claims(), "none", "")),
            JwtError::kAlgorithm);
  EXPECT_EQ(ErrorOf(Token({{"alg", "None"}, {"kid", "ec1"}}, Claims(), "none", "")),
            JwtError::kAlgorithm);
  // A valid ES256 signature does not make "none" acceptable either.
  std::string signed_token = Es(Claims());
  std::string none_header = Base64UrlEncode(R"({"alg":"none","kid":"ec1"})");
  std::string forged = none_header + signed_token.substr(signed_token.find('.'));
  EXPECT_EQ(ErrorOf(forged), JwtError::kAlgorithm);
}

TEST_F(JwtTest, RejectsAnAlgorithmOtherThanTheKeys) {
  // The classic confusion: HS256 "signed" with the RSA public key as the HMAC secret.
  EXPECT_EQ(
      ErrorOf(Token({{"alg", "HS256"}, {"kid", "rsa1"}}, Claims(), "HS256", RsaKey().public_pem)),
      JwtError::kAlgorithm);
  EXPECT_EQ(
      ErrorOf(Token({{"alg", "RS256"}, {"kid", "ec1"}}, Claims(), "RS256", RsaKey().private_pem)),
      JwtError::kAlgorithm);
  EXPECT_EQ(
      ErrorOf(Token({{"alg", "ES256"}, {"kid", "dev-hs"}}, Claims(), "ES256", EcKey().private_pem)),
      JwtError::kAlgorithm);
  EXPECT_EQ(
      ErrorOf(Token({{"alg", "ES384"}, {"kid", "ec1"}}, Claims(), "ES256", EcKey().private_pem)),
      JwtError::kAlgorithm);
}

TEST_F(JwtTest, RejectsABadSignature) {
  std::string token = Es(Claims());
  // Another payload under the same signature.
  json other = Claims();
  other["roles"] = {"admin"};
  std::string tampered = token.substr(0, token.find('.') + 1) + Base64UrlEncode(other.dump()) +
                         token.substr(token.rfind('.'));
  EXPECT_EQ(ErrorOf(tampered), JwtError::kSignature);
  // Signed by a key that is not configured, claiming a configured kid.
  EXPECT_EQ(ErrorOf(Token({{"alg", "ES256"}, {"kid", "ec1"}}, Claims(), "ES256",
                          OtherEcKey().private_pem)),
            JwtError::kSignature);
  // A truncated signature.
  EXPECT_EQ(ErrorOf(token.substr(0, token.size() - 4)), JwtError::kSignature);
  // HS256 with the wrong secret.
  EXPECT_EQ(ErrorOf(Token({{"alg", "HS256"}, {"kid", "dev-hs"}}, Claims(), "HS256",
                          "another-secret-another-secret-xx")),
            JwtError::kSignature);
}

TEST_F(JwtTest, RejectsExpiredWithBoundedSkew) {
  json claims = Claims(kNow - 1000);  // exp = now - 400
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kExpired);
  claims = Claims();
  claims["exp"] = kNow - 30;  // within the 60 s leeway
  EXPECT_TRUE(verifier_->Verify(Es(claims)).ok());
  claims["exp"] = kNow - 61;
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kExpired);
  claims.erase("exp");
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kExpired);
  claims["exp"] = "tomorrow";
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kExpired);
}

TEST_F(JwtTest, RejectsNotYetValid) {
  json claims = Claims();
  claims["nbf"] = kNow + 120;
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kNotYetValid);
  claims["nbf"] = kNow + 30;  // within the leeway
  EXPECT_TRUE(verifier_->Verify(Es(claims)).ok());
  claims.erase("nbf");
  claims["iat"] = kNow + 3600;
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kNotYetValid);
}

TEST_F(JwtTest, RejectsWrongIssuerOrAudience) {
  json claims = Claims();
  claims["iss"] = "https://evil.example";
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kIssuer);
  claims.erase("iss");
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kIssuer);
  claims = Claims();
  claims["aud"] = "other-api";
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kAudience);
  claims["aud"] = {"other-api", kAudience};
  EXPECT_TRUE(verifier_->Verify(Es(claims)).ok());
  claims.erase("aud");
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kAudience);
}

TEST_F(JwtTest, RejectsUnknownKid) {
  EXPECT_EQ(ErrorOf(Es(Claims(), "nope")), JwtError::kUnknownKey);
  // No kid while several keys are configured.
  EXPECT_EQ(ErrorOf(Token({{"alg", "ES256"}}, Claims(), "ES256", EcKey().private_pem)),
            JwtError::kUnknownKey);
  // With a single key, a token without kid uses it.
  JwtKeySet one;
  ASSERT_TRUE(one.AddPem("only", EcKey().public_pem).ok());
  std::unique_ptr<JwtVerifier> single = MakeVerifier(std::move(one));
  EXPECT_TRUE(
      single->Verify(Token({{"alg", "ES256"}}, Claims(), "ES256", EcKey().private_pem)).ok());
}

TEST_F(JwtTest, NeverUsesKeysTheTokenPointsTo) {
  // The attacker signs with their own key and points at it with jku / embeds it as jwk.
  auto jwk = PublicKeyJwk(OtherEcKey().public_pem, "attacker");
  ASSERT_TRUE(jwk.ok());
  json header = {{"alg", "ES256"},
                 {"kid", "attacker"},
                 {"jku", "https://attacker.example/jwks.json"},
                 {"x5u", "https://attacker.example/cert.pem"},
                 {"jwk", json::parse(*jwk)}};
  EXPECT_EQ(ErrorOf(Token(header, Claims(), "ES256", OtherEcKey().private_pem)),
            JwtError::kUnknownKey);
  header["kid"] = "ec1";
  EXPECT_EQ(ErrorOf(Token(header, Claims(), "ES256", OtherEcKey().private_pem)),
            JwtError::kSignature);
}

TEST_F(JwtTest, RejectsMalformedTokens) {
  EXPECT_EQ(ErrorOf(""), JwtError::kMissing);
  EXPECT_EQ(ErrorOf("abc"), JwtError::kMalformed);
  EXPECT_EQ(ErrorOf("a.b"), JwtError::kMalformed);
  EXPECT_EQ(ErrorOf("a.b.c.d"), JwtError::kMalformed);
  EXPECT_EQ(ErrorOf("a+b.c.d"), JwtError::kMalformed);
  EXPECT_EQ(ErrorOf(Base64UrlEncode("not json") + ".e30.AAAA"), JwtError::kMalformed);
  EXPECT_EQ(ErrorOf(Base64UrlEncode("[1]") + ".e30.AAAA"), JwtError::kMalformed);
  EXPECT_EQ(ErrorOf(std::string(JwtVerifier::kMaxTokenBytes + 1, 'a')), JwtError::kMalformed);
  // Unknown critical extension.
  EXPECT_EQ(ErrorOf(Token({{"alg", "ES256"}, {"kid", "ec1"}, {"crit", {"exp2"}}, {"exp2", 1}},
                          Claims(), "ES256", EcKey().private_pem)),
            JwtError::kMalformed);
  // Explicit typing: some other kind of JWT is not an access token.
  EXPECT_EQ(ErrorOf(Token({{"alg", "ES256"}, {"kid", "ec1"}, {"typ", "secevent+jwt"}}, Claims(),
                          "ES256", EcKey().private_pem)),
            JwtError::kMalformed);
  // Signed, but the payload is not a JSON object.
  EXPECT_EQ(ErrorOf(*SignRaw(R"({"alg":"ES256","kid":"ec1"})", "[]", "ES256", EcKey().private_pem)),
            JwtError::kMalformed);
}

TEST_F(JwtTest, RejectsMalformedIdentityClaims) {
  json claims = Claims();
  claims.erase("sub");
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kClaims);
  claims = Claims();
  claims["sub"] = "line\nbreak";
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kClaims);
  claims = Claims();
  claims["roles"] = "assistance.clerk";
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kClaims);
  claims["roles"] = {"assistance.clerk,admin"};  // not a role name
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kClaims);
  claims = Claims();
  claims["region"] = "34*";
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kClaims);
  claims["region"] = 340722;
  EXPECT_EQ(ErrorOf(Es(claims)), JwtError::kClaims);
  // No roles and no region: valid token, no access anywhere.
  claims = Claims();
  claims.erase("roles");
  claims.erase("region");
  JwtResult r = verifier_->Verify(Es(claims));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.principal->roles.empty());
  EXPECT_EQ(r.principal->region, "");
}

TEST_F(JwtTest, CachedTokensStillExpire) {
  std::string token = Es(Claims());  // exp = now + 600
  ASSERT_TRUE(verifier_->Verify(token).ok());
  ASSERT_TRUE(verifier_->Verify(token).ok());  // from the cache
  now_ = kNow + 600 + 61;
  EXPECT_EQ(ErrorOf(token), JwtError::kExpired);
}

TEST_F(JwtTest, LoadsJwks) {
  auto ec = PublicKeyJwk(EcKey().public_pem, "k-ec");
  auto rsa = PublicKeyJwk(RsaKey().public_pem, "k-rsa");
  ASSERT_TRUE(ec.ok() && rsa.ok());
  std::string jwks =
      absl::StrCat(R"({"keys":[)", *ec, ",", *rsa,
                   R"(,{"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"}]})");
  JwtKeySet keys;
  ASSERT_TRUE(keys.AddJwks(jwks).ok()) << keys.AddJwks(jwks);
  EXPECT_EQ(keys.size(), 2u);
  auto verifier = MakeVerifier(std::move(keys));
  EXPECT_TRUE(verifier->Verify(Es(Claims(), "k-ec")).ok());
  EXPECT_TRUE(verifier
                  ->Verify(Token({{"alg", "RS256"}, {"kid", "k-rsa"}}, Claims(), "RS256",
                                 RsaKey().private_pem))
                  .ok());
  EXPECT_EQ(verifier->Verify(Es(Claims(), "enc")).error, JwtError::kUnknownKey);
}

TEST_F(JwtTest, RefusesUnsuitableKeys) {
  JwtKeySet keys;
  EXPECT_FALSE(keys.AddPem("p", EcKey().private_pem).ok());  // a private key
  EXPECT_FALSE(
      keys.AddPem("x", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());
  auto weak = GenerateRsaKeyPair(1024);
  ASSERT_TRUE(weak.ok());
  EXPECT_FALSE(keys.AddPem("weak", weak->second).ok());
  EXPECT_FALSE(keys.AddHs256("short", "too-short").ok());
  EXPECT_FALSE(keys.AddJwks(R"({"keys":[{"kty":"oct","kid":"s","k":"c2VjcmV0"}]})").ok());
  auto ec = PublicKeyJwk(EcKey().public_pem, "k");
  json mismatched = json::parse(*ec);
  mismatched["alg"] = "RS256";
  EXPECT_FALSE(keys.AddJwks(json{{"keys", {mismatched}}}.dump()).ok());
  ASSERT_TRUE(keys.AddPem("dup", EcKey().public_pem).ok());
  EXPECT_FALSE(keys.AddPem("dup", EcKey().public_pem).ok());
}

TEST_F(JwtTest, LoadsKeyFilesNamedByTheirStem) {
  std::string path = ::testing::TempDir() + "/jwt_test_dev.pub";
  {
    std::ofstream out(path);
    out << EcKey().public_pem;
  }
  JwtKeySet keys;
  ASSERT_TRUE(keys.AddFile(path).ok());
  ASSERT_NE(keys.Find("jwt_test_dev"), nullptr);
  std::remove(path.c_str());
  EXPECT_FALSE(keys.AddFile("/nonexistent/k.pub").ok());
}

TEST(BearerTokenTest, ParsesTheAuthorizationHeader) {
  EXPECT_EQ(BearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(BearerToken("bearer  abc "), "abc");
  EXPECT_EQ(BearerToken("Basic dXNlcjpwYXNz"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken(""), "");
}

}  // namespace
}  // namespace civil
