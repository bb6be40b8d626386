#include "tests/gateway/token_helper.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "services/common/jwt_sign.h"

namespace civil::testing {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "token_helper: %s\n", what.c_str());
  std::abort();
}

void Write(const std::string& path, const std::string& data, mode_t mode) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  out.close();
  if (!out.good() || chmod(path.c_str(), mode) != 0) Die("cannot write " + path);
}

}  // namespace

TestKeys WriteTestKeys(const std::string& dir) {
  auto pair = civil::GenerateEs256KeyPair();
  if (!pair.ok()) Die(std::string(pair.status().message()));
  TestKeys keys;
  keys.private_key_path = dir + "/dev.key";
  keys.public_key_path = dir + "/dev.pub";
  keys.private_pem = pair->first;
  keys.public_pem = pair->second;
  Write(keys.private_key_path, keys.private_pem, 0600);
  Write(keys.public_key_path, keys.public_pem, 0644);
  return keys;
}

std::map<std::string, std::string> WriteServiceIdentity(const TestKeys& keys,
                                                        const std::string& dir,
                                                        const std::vector<std::string>& names) {
  const std::string keys_dir = dir + "/service-keys";
  if (mkdir(keys_dir.c_str(), 0700) != 0 && errno != EEXIST) Die("cannot create " + keys_dir);
  std::map<std::string, std::string> env = {{"CIVIL_JWT_KEYS", keys.public_key_path},
                                            {"CIVIL_JWT_ISSUER", kTestIssuer},
                                            {"CIVIL_JWT_AUDIENCE", kTestAudience},
                                            {"CIVIL_SERVICE_KEYS", keys_dir}};
  for (const std::string& name : names) {
    auto pair = civil::GenerateEs256KeyPair();
    if (!pair.ok()) Die(std::string(pair.status().message()));
    Write(keys_dir + "/" + name + ".key", pair->first, 0600);
    Write(keys_dir + "/" + name + ".pub", pair->second, 0644);
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    env["CIVIL_" + upper + "_SERVICE_KEY"] = keys_dir + "/" + name + ".key";
  }
  return env;
}

std::vector<std::string> GatewayAuthArgs(const TestKeys& keys) {
  return {"--jwt-keys", keys.public_key_path, "--jwt-issuer",
          kTestIssuer,  "--jwt-audience",     kTestAudience};
}

std::string MintTestToken(const TestKeys& keys, const std::string& subject,
                          const std::vector<std::string>& roles, const std::string& region,
                          int64_t ttl_s) {
  civil::TokenSpec spec;
  spec.kid = "dev";
  spec.issuer = kTestIssuer;
  spec.audience = kTestAudience;
  spec.subject = subject;
  spec.roles = roles;
  spec.region = region;
  spec.ttl_s = ttl_s;
  auto token = civil::SignToken(spec, keys.private_pem);
  if (!token.ok()) Die(std::string(token.status().message()));
  return *token;
}

std::string Bearer(const TestKeys& keys, const std::string& subject,
                   const std::vector<std::string>& roles, const std::string& region) {
  return "Bearer " + MintTestToken(keys, subject, roles, region);
}

}  // namespace civil::testing
