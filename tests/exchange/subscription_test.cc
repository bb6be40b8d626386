// The subscriptions' rules, alone: which changes one may name, the endpoint URL rule under a
// deployment's host policy, the notification signature and the backoff between attempts.
#include "services/exchange/subscription.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "absl/strings/match.h"

namespace civil::exchange {
namespace {

std::string MessageOf(const absl::Status& s) { return std::string(s.message()); }

TEST(SubscriptionChangesTest, OnlyTheEventsThatChangeWhatAPersonReceives) {
  EXPECT_EQ(*ChangeTypeOf("civil.events.v1.EnrolmentEnded"), "EnrolmentEnded");
  EXPECT_EQ(*ChangeTypeOf("civil.events.v1.PersonDeceased"), "PersonDeceased");
  EXPECT_FALSE(ChangeTypeOf("civil.events.v1.MarriageRegistered").has_value());
  EXPECT_FALSE(ChangeTypeOf("EnrolmentEnded").has_value());
  EXPECT_FALSE(ChangeTypeOf("other.v1.EnrolmentEnded").has_value());
}

TEST(SubscriptionChangesTest, AtLeastOneKnownChangeAndNoneTwice) {
  EXPECT_EQ(ValidChangeTypes({"EnrolmentStarted", "PersonDeceased"})->size(), 2u);
  EXPECT_EQ(ValidChangeTypes({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(MessageOf(ValidChangeTypes({}).status()), "event_types: "));
  EXPECT_TRUE(
      absl::StartsWith(MessageOf(ValidChangeTypes({"EnrolmentStarted", "Payment"}).status()),
                       "event_types[1]: unknown change \"Payment\""));
  EXPECT_EQ(MessageOf(ValidChangeTypes({"PersonMovedOut", "PersonMovedOut"}).status()),
            "event_types[1]: named twice");
}

TEST(SubscriptionEndpointTest, HttpsWithHostPortAndPath) {
  const WebhookPolicy open;
  auto e = ValidEndpoint("https://Hook.Example.gov.cn:8443/civil/notify?src=county", open);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->scheme, "https");
  EXPECT_EQ(e->host, "hook.example.gov.cn");
  EXPECT_EQ(e->port, 8443);
  EXPECT_EQ(ValidEndpoint("https://hook.example.gov.cn", open)->port, 443);
}

TEST(SubscriptionEndpointTest, RefusesWhatCouldLeakOrMislead) {
  const WebhookPolicy open;
  auto fault = [&](const std::string& url) { return MessageOf(ValidEndpoint(url, open).status()); };
  EXPECT_EQ(fault(""), "endpoint_url: required");
  EXPECT_EQ(fault("ftp://hook.example"), "endpoint_url: must start with https://");
  EXPECT_EQ(fault("http://hook.example/x"),
            "endpoint_url: must start with https:// (plain http is for development hosts)");
  EXPECT_EQ(fault("https://user:pw@hook.example/"),
            "endpoint_url: must not carry a user name or password");
  EXPECT_EQ(fault("https://hook.example/#top"), "endpoint_url: must not have a fragment (#)");
  EXPECT_EQ(fault("https://hook.example:0/"), "endpoint_url: port must be 1-65535");
  EXPECT_EQ(fault("https://hook.example:99999/"), "endpoint_url: port must be 1-65535");
  EXPECT_EQ(fault("https:///path"), "endpoint_url: has no host");
  EXPECT_EQ(fault("https://hook example/"),
            "endpoint_url: spaces, control and non-ASCII characters are not allowed");
  EXPECT_EQ(fault("https://hook_example/"),
            "endpoint_url: host must be a DNS name or an IPv4 address");
  EXPECT_EQ(fault("https://h.example/" + std::string(600, 'a')),
            "endpoint_url: at most 512 characters");
}

TEST(SubscriptionEndpointTest, PlainHttpOnlyToDevelopmentHostsAndOnlyAllowedPartners) {
  const WebhookPolicy policy{{"127.0.0.1"}, {".partner.gov.cn", "127.0.0.1"}};
  EXPECT_TRUE(ValidEndpoint("http://127.0.0.1:8080/hook", policy).ok());
  EXPECT_TRUE(ValidEndpoint("https://a.partner.gov.cn/hook", policy).ok());
  EXPECT_EQ(MessageOf(ValidEndpoint("https://evil.example/hook", policy).status()),
            "endpoint_url: host evil.example is not a partner system this deployment allows");
  EXPECT_FALSE(ValidEndpoint("http://a.partner.gov.cn/hook", policy).ok());
}

TEST(SubscriptionEndpointTest, PolicyFromTheEnvironment) {
  setenv("CIVIL_EXCHANGE_WEBHOOK_PLAINTEXT_HOSTS", " 127.0.0.1, LocalHost ", 1);
  setenv("CIVIL_EXCHANGE_WEBHOOK_HOSTS", ".partner.gov.cn", 1);
  const WebhookPolicy p = WebhookPolicyFromEnv();
  unsetenv("CIVIL_EXCHANGE_WEBHOOK_PLAINTEXT_HOSTS");
  unsetenv("CIVIL_EXCHANGE_WEBHOOK_HOSTS");
  EXPECT_EQ(p.plaintext_hosts, (std::vector<std::string>{"127.0.0.1", "localhost"}));
  EXPECT_EQ(p.allowed_hosts, (std::vector<std::string>{".partner.gov.cn"}));
  EXPECT_TRUE(WebhookPolicyFromEnv().plaintext_hosts.empty());
}

TEST(SubscriptionSignatureTest, HmacSha256OfTimestampDotBody) {
  // The value `openssl dgst -sha256 -hmac secret` prints for `1700000000.{"a":1}`.
  EXPECT_EQ(SignNotification("secret", 1700000000, "{\"a\":1}"),
            "v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
  const std::string a = SignNotification("secret", 1700000000, "{\"a\":1}");
  EXPECT_EQ(a.size(), 3u + 64u);
  EXPECT_EQ(a, SignNotification("secret", 1700000000, "{\"a\":1}"));
  EXPECT_NE(a, SignNotification("secret", 1700000001, "{\"a\":1}"));
  EXPECT_NE(a, SignNotification("secret", 1700000000, "{\"a\":2}"));
  EXPECT_NE(a, SignNotification("other", 1700000000, "{\"a\":1}"));
}

TEST(SubscriptionSignatureTest, SecretsAreFreshHex) {
  const std::string a = NewSigningSecret();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, NewSigningSecret());
}

TEST(SubscriptionRetryTest, DoublesFromASecondToFiveMinutes) {
  EXPECT_EQ(RetryDelay(0), absl::ZeroDuration());
  EXPECT_EQ(RetryDelay(1), absl::Seconds(1));
  EXPECT_EQ(RetryDelay(2), absl::Seconds(2));
  EXPECT_EQ(RetryDelay(4), absl::Seconds(8));
  EXPECT_EQ(RetryDelay(9), absl::Seconds(256));
  EXPECT_EQ(RetryDelay(10), absl::Minutes(5));
  EXPECT_EQ(RetryDelay(1000), absl::Minutes(5));
  EXPECT_TRUE(Delivered(200));
  EXPECT_TRUE(Delivered(204));
  EXPECT_FALSE(Delivered(199));
  EXPECT_FALSE(Delivered(301));
  EXPECT_FALSE(Delivered(500));
  EXPECT_FALSE(Delivered(0));
}

}  // namespace
}  // namespace civil::exchange
