// Who calls a department's gRPC port in a test, the way production calls carry it: a bearer token
// in the `authorization` metadata, which the department verifies itself (services/common/
// identity.h). One place for it: a test puts a caller on a context with CallAs, and serves a
// department that trusts these tokens with Trusting(config) (DepartmentHost) or TrustTestTokens
// (a hand-built server).
//
// The keys are made once per test process: one pair for users' tokens (issuer civil-test,
// audience civil-api, kid "dev"), one per department for service tokens (kid = the department).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "services/common/config.h"
#include "services/common/identity.h"
#include "services/common/jwt_sign.h"

namespace civil::testing {

// A caller: subject, roles (comma-separated, e.g. "assistance.clerk,auditor") and region scope
// (a region code prefix, "*" for the whole county). An empty subject means no token at all.
struct TestCaller {
  std::string subject, roles, region;
};

inline constexpr char kCallIssuer[] = "civil-test";
inline constexpr char kCallAudience[] = "civil-api";

struct KeyPair {
  std::string private_pem, public_pem;
};

// The process's users' key pair.
inline const KeyPair& UserKeys() {
  static const KeyPair keys = [] {
    auto pair = GenerateEs256KeyPair();
    if (!pair.ok()) {
      std::cerr << "test keys: " << pair.status().message() << std::endl;
      std::abort();
    }
    return KeyPair{pair->first, pair->second};
  }();
  return keys;
}

// The service key pair of `department`, made on first use.
inline const KeyPair& ServiceKeys(const std::string& department) {
  static std::mutex mu;
  static auto* keys = new std::map<std::string, KeyPair>();
  std::lock_guard lock(mu);
  auto it = keys->find(department);
  if (it == keys->end()) {
    auto pair = GenerateEs256KeyPair();
    if (!pair.ok()) std::abort();
    it = keys->emplace(department, KeyPair{pair->first, pair->second}).first;
  }
  return it->second;
}

inline const std::vector<std::string>& Departments() {
  static const std::vector<std::string> names = {"assistance", "eldercare", "childwelfare",
                                                 "governance", "socialorg", "affairs",
                                                 "report",     "exchange",  "kittest"};
  return names;
}

// The identity settings of `department` in a test: trusts UserKeys() and every department's
// service key, signs with its own.
inline IdentityConfig TestIdentity(const std::string& department) {
  IdentityConfig identity;
  identity.issuer = kCallIssuer;
  identity.audience = kCallAudience;
  identity.user_keys = {{"dev", UserKeys().public_pem}};
  for (const std::string& name : Departments()) {
    identity.service_keys.push_back({name, ServiceKeys(name).public_pem});
  }
  identity.signing_key = {department, ServiceKeys(department).private_pem};
  return identity;
}

// `config` with TestIdentity(config.service).
inline ServiceConfig Trusting(ServiceConfig config) {
  config.identity = TestIdentity(config.service);
  return config;
}

// For a server a test builds by hand: `department`'s methods are verified with TestIdentity
// while the returned object lives.
class TrustTestTokens {
 public:
  explicit TrustTestTokens(std::string department) : department_(std::move(department)) {
    auto verifier = CallVerifier::Create(department_, TestIdentity(department_));
    if (!verifier.ok()) std::abort();
    verifier_ = *std::move(verifier);
    RegisterCallVerifier(department_, verifier_);
  }
  ~TrustTestTokens() { UnregisterCallVerifier(department_, verifier_.get()); }
  TrustTestTokens(const TrustTestTokens&) = delete;
  TrustTestTokens& operator=(const TrustTestTokens&) = delete;

 private:
  std::string department_;
  std::shared_ptr<const CallVerifier> verifier_;
};

// A user's token for `who`, valid for `ttl_s` seconds.
inline std::string UserToken(const TestCaller& who, int64_t ttl_s = 3600) {
  TokenSpec spec{.kid = "dev",
                 .issuer = kCallIssuer,
                 .audience = kCallAudience,
                 .subject = who.subject,
                 .roles = absl::StrSplit(who.roles, ',', absl::SkipWhitespace()),
                 .region = who.region,
                 .ttl_s = ttl_s};
  auto token = SignToken(spec, UserKeys().private_pem);
  if (!token.ok()) std::abort();
  return *token;
}

// Puts `who`'s token on `context` (nothing for an empty subject).
inline void CallAs(grpc::ClientContext& context, const TestCaller& who) {
  if (who.subject.empty()) return;
  context.AddMetadata("authorization", "Bearer " + UserToken(who));
}

// Puts `department`'s service token for calls to `callee` on `context`.
inline void CallAsService(grpc::ClientContext& context, const std::string& department,
                          const std::string& callee) {
  ServiceTokens tokens(department, {department, ServiceKeys(department).private_pem},
                       std::chrono::seconds(300));
  if (!tokens.Attach(context, callee).ok()) std::abort();
}

// A context with `who` and a 30-second deadline.
inline void PrepareCall(grpc::ClientContext& context, const TestCaller& who) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  CallAs(context, who);
}

}  // namespace civil::testing
