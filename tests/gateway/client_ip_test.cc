// The client address behind reverse proxies: X-Forwarded-For believed from trusted proxies only,
// and only as far as trusted proxies appended it.
#include "gateway/client_ip.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace civil::gateway {
namespace {

TrustedProxies Trust(std::vector<std::string> networks) {
  absl::StatusOr<TrustedProxies> t = TrustedProxies::Parse(networks);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : TrustedProxies();
}

TEST(TrustedProxiesTest, NetworksAndAddresses) {
  TrustedProxies t =
      Trust({"10.0.0.0/8", "192.0.2.7", "172.16.0.0/12", "fd00::/8", "::1", "198.51.100.128/25"});
  EXPECT_TRUE(t.Contains("10.1.2.3"));
  EXPECT_TRUE(t.Contains("192.0.2.7"));
  EXPECT_FALSE(t.Contains("192.0.2.8"));
  EXPECT_TRUE(t.Contains("172.31.255.255"));
  EXPECT_FALSE(t.Contains("172.32.0.1"));
  EXPECT_TRUE(t.Contains("198.51.100.200"));
  EXPECT_FALSE(t.Contains("198.51.100.127"));
  EXPECT_TRUE(t.Contains("fd12:3456::1"));
  EXPECT_FALSE(t.Contains("fe80::1"));
  EXPECT_TRUE(t.Contains("::1"));
  EXPECT_TRUE(t.Contains("::ffff:10.9.9.9"));  // IPv4-mapped is the IPv4 address
  EXPECT_FALSE(t.Contains("not an address"));
  EXPECT_TRUE(Trust({"0.0.0.0/0"}).Contains("203.0.113.9"));
  EXPECT_FALSE(Trust({"0.0.0.0/0"}).Contains("2001:db8::1"));  // families apart
}

TEST(TrustedProxiesTest, RefusesWhatIsNotANetwork) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.1/8", "fd00::1/8", "::/129", "10.0.0.0/-1",
                          "host.example", "10.0.0.0/", ""}) {
    absl::StatusOr<TrustedProxies> t = TrustedProxies::Parse({bad});
    EXPECT_FALSE(t.ok()) << bad;
  }
}

TEST(TrustedProxiesTest, WithoutTrustedProxiesThePeerIsTheClient) {
  TrustedProxies none;
  EXPECT_EQ(none.ClientIp("203.0.113.5", "198.51.100.1"), "203.0.113.5");
}

TEST(TrustedProxiesTest, AnUntrustedPeerIsTheClientWhateverItSays) {
  TrustedProxies t = Trust({"10.0.0.0/8"});
  EXPECT_EQ(t.ClientIp("203.0.113.5", "10.0.0.1, 198.51.100.1"), "203.0.113.5");
}

TEST(TrustedProxiesTest, RightMostUntrustedAddressBehindTrustedProxies) {
  TrustedProxies t = Trust({"10.0.0.0/8", "127.0.0.1"});
  // client → proxy 10.0.0.2 → proxy 10.0.0.1 (peer): the header holds client, 10.0.0.2.
  EXPECT_EQ(t.ClientIp("10.0.0.1", "198.51.100.7, 10.0.0.2"), "198.51.100.7");
  // A client-supplied value to the left of the real client is ignored (it could be anything).
  EXPECT_EQ(t.ClientIp("10.0.0.1", "6.6.6.6, 198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(t.ClientIp("127.0.0.1", "198.51.100.7"), "198.51.100.7");
  // No header: the peer.
  EXPECT_EQ(t.ClientIp("10.0.0.1", ""), "10.0.0.1");
  // Every address trusted: the left-most.
  EXPECT_EQ(t.ClientIp("10.0.0.1", "10.0.0.9, 10.0.0.3"), "10.0.0.9");
  // Several header fields were joined in order; blanks, ports, brackets, IPv6, mapped IPv4.
  EXPECT_EQ(t.ClientIp("10.0.0.1", "198.51.100.7,, 10.0.0.3:4711"), "198.51.100.7");
  EXPECT_EQ(t.ClientIp("10.0.0.1", "[2001:db8::7]:443"), "2001:db8::7");
  EXPECT_EQ(t.ClientIp("10.0.0.1", "2001:db8::8"), "2001:db8::8");
  EXPECT_EQ(t.ClientIp("::ffff:10.0.0.1", "::ffff:198.51.100.9"), "198.51.100.9");
  // An entry that is not an address: nothing left of it is believed; the last trusted hop is.
  EXPECT_EQ(t.ClientIp("10.0.0.1", "198.51.100.7, unknown, 10.0.0.3"), "10.0.0.3");
  EXPECT_EQ(t.ClientIp("10.0.0.1", "garbage"), "10.0.0.1");
}

}  // namespace
}  // namespace civil::gateway
