// Bearer tokens for tests that go through the gateway: a development ES256 key pair written to a
// directory (the gateway is started with `--jwt-keys <dir>/dev.pub --jwt-issuer civil-test
// --jwt-audience civil-api`) and tokens minted with its private key.
//
//   civil::testing::TestKeys keys = civil::testing::WriteTestKeys(tmp.path());
//   gateway args: civil::testing::GatewayAuthArgs(keys)
//   headers:      {{"Authorization", civil::testing::Bearer(keys, "alice",
//                                                   {"assistance.clerk"}, "340722")}}
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace civil::testing {

inline constexpr char kTestIssuer[] = "civil-test";
inline constexpr char kTestAudience[] = "civil-api";

struct TestKeys {
  std::string private_key_path;  // <dir>/dev.key
  std::string public_key_path;   // <dir>/dev.pub (kid "dev")
  std::string private_pem;
  std::string public_pem;
};

// Creates <dir>/dev.key and <dir>/dev.pub (a new EC P-256 pair). Aborts on failure.
TestKeys WriteTestKeys(const std::string& dir);

// For department processes: the environment that makes them trust `keys` (users' tokens, with
// the test issuer and audience) and each other — a key pair per department in `names`, written
// to <dir>/service-keys (CIVIL_SERVICE_KEYS, CIVIL_<NAME>_SERVICE_KEY). Aborts on failure.
std::map<std::string, std::string> WriteServiceIdentity(const TestKeys& keys,
                                                        const std::string& dir,
                                                        const std::vector<std::string>& names);

// The gateway flags that trust `keys` with the test issuer and audience.
std::vector<std::string> GatewayAuthArgs(const TestKeys& keys);

// A token for `subject` with `roles` and `region` (a region code prefix, "*" or ""), valid for
// `ttl_s` seconds from now, signed with `keys` (kid "dev"). Aborts on failure.
std::string MintTestToken(const TestKeys& keys, const std::string& subject,
                          const std::vector<std::string>& roles, const std::string& region,
                          int64_t ttl_s = 3600);

// "Bearer " + MintTestToken(...).
std::string Bearer(const TestKeys& keys, const std::string& subject,
                   const std::vector<std::string>& roles, const std::string& region);

}  // namespace civil::testing
