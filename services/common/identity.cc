#include "services/common/identity.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/jwt_sign.h"

namespace civil {
namespace {

absl::StatusOr<JwtKeySet> LoadKeys(absl::string_view variable, const std::vector<KeyText>& keys) {
  JwtKeySet set;
  for (const KeyText& key : keys) {
    const absl::Status s =
        absl::StartsWith(key.text, "{") ? set.AddJwks(key.text) : set.AddPem(key.kid, key.text);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(variable, ": key ", key.kid, ": ", s.message()));
    }
  }
  return set;
}

// The department a service key speaks for: its kid up to the first dot (`affairs.2` → affairs).
absl::string_view OwnerOf(absl::string_view kid) { return kid.substr(0, kid.find('.')); }

absl::Status Refused(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("token refused: ", why));
}

struct Registered {
  std::string department;
  std::shared_ptr<const CallVerifier> verifier;
};

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}
std::vector<Registered>& Registry() {
  static auto* registry = new std::vector<Registered>();
  return *registry;
}

}  // namespace

std::string ServiceAudience(absl::string_view department) {
  return absl::StrCat("civil-", department);
}

absl::StatusOr<std::unique_ptr<CallVerifier>> CallVerifier::Create(absl::string_view department,
                                                                   const IdentityConfig& config) {
  if (config.user_keys.empty()) {
    return absl::InvalidArgumentError(
        "CIVIL_JWT_KEYS: no key for users' tokens, so no call could be verified");
  }
  absl::StatusOr<JwtKeySet> user_keys = LoadKeys("CIVIL_JWT_KEYS", config.user_keys);
  if (!user_keys.ok()) return user_keys.status();
  auto users = std::make_unique<JwtVerifier>(
      *std::move(user_keys),
      JwtVerifierOptions{.issuer = config.issuer, .audience = config.audience});
  std::unique_ptr<JwtVerifier> services;
  if (!config.service_keys.empty()) {
    absl::StatusOr<JwtKeySet> service_keys = LoadKeys("CIVIL_SERVICE_KEYS", config.service_keys);
    if (!service_keys.ok()) return service_keys.status();
    services = std::make_unique<JwtVerifier>(
        *std::move(service_keys),
        JwtVerifierOptions{.issuer = kServiceIssuer, .audience = ServiceAudience(department)});
  }
  return std::unique_ptr<CallVerifier>(new CallVerifier(std::move(users), std::move(services)));
}

absl::StatusOr<Caller> CallVerifier::Authenticate(const grpc::ServerContext& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "no bearer token: people call through the gateway, departments with their service token");
  }
  return AuthenticateToken(BearerToken(absl::string_view(it->second.data(), it->second.size())));
}

absl::StatusOr<Caller> CallVerifier::AuthenticateToken(absl::string_view token) const {
  if (token.empty()) return Refused("the authorization metadata is not `Bearer <token>`");
  JwtResult user = users_->Verify(token);
  if (user.ok()) {
    const Principal& p = *user.principal;
    if (p.HasRole(kSystemRole)) {
      return Refused("a user's token cannot carry the role system (departments' tokens only)");
    }
    return Caller{.subject = p.subject, .roles = p.roles, .region_prefix = p.region};
  }
  if (services_ == nullptr ||
      (user.error != JwtError::kUnknownKey && user.error != JwtError::kIssuer)) {
    return Refused(user.message);
  }
  JwtResult service = services_->Verify(token);
  if (!service.ok()) {
    return Refused(service.error == JwtError::kUnknownKey ? user.message : service.message);
  }
  const Principal& p = *service.principal;
  if (p.subject != absl::StrCat("service:", OwnerOf(p.kid))) {
    return Refused(absl::StrCat("the key ", p.kid, " speaks only for ", OwnerOf(p.kid)));
  }
  if (p.roles != std::vector<std::string>{kSystemRole} || p.region != "*") {
    return Refused("a department's token carries the role system and region * only");
  }
  return Caller{.subject = p.subject, .roles = p.roles, .region_prefix = "*", .service = true};
}

void RegisterCallVerifier(const std::string& department,
                          std::shared_ptr<const CallVerifier> verifier) {
  std::lock_guard lock(RegistryMutex());
  Registry().push_back({department, std::move(verifier)});
}

void UnregisterCallVerifier(const std::string& department, const CallVerifier* verifier) {
  std::lock_guard lock(RegistryMutex());
  auto& registry = Registry();
  registry.erase(std::remove_if(registry.begin(), registry.end(),
                                [&](const Registered& r) {
                                  return r.department == department && r.verifier.get() == verifier;
                                }),
                 registry.end());
}

std::shared_ptr<const CallVerifier> CallVerifierFor(absl::string_view full_method) {
  // "civil.<department>.v1.Service.Method": the second name, without splitting the whole.
  const size_t first = full_method.find('.');
  const absl::string_view rest =
      first == absl::string_view::npos ? absl::string_view() : full_method.substr(first + 1);
  const absl::string_view package = rest.substr(0, rest.find('.'));
  std::lock_guard lock(RegistryMutex());
  const auto& registry = Registry();
  for (auto it = registry.rbegin(); it != registry.rend(); ++it) {
    if (it->department == package) return it->verifier;
  }
  return registry.empty() ? nullptr : registry.back().verifier;
}

ServiceTokens::ServiceTokens(std::string department, KeyText key, std::chrono::seconds ttl)
    : department_(std::move(department)), key_(std::move(key)), ttl_(ttl) {}

absl::StatusOr<std::string> ServiceTokens::TokenFor(absl::string_view callee) {
  if (key_.text.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "CIVIL_", absl::AsciiStrToUpper(department_),
        "_SERVICE_KEY is not set: this department has no key to call ", callee, " with"));
  }
  const auto now = std::chrono::system_clock::now();
  absl::MutexLock lock(&mu_);
  if (auto it = minted_.find(callee); it != minted_.end() && now < it->second.refresh_at) {
    return it->second.token;
  }
  TokenSpec spec{.kid = key_.kid,
                 .issuer = kServiceIssuer,
                 .audience = ServiceAudience(callee),
                 .subject = absl::StrCat("service:", department_),
                 .roles = {kSystemRole},
                 .region = "*",
                 .ttl_s = ttl_.count()};
  absl::StatusOr<std::string> token = SignToken(spec, key_.text);
  if (!token.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot sign a service token: ", token.status().message()));
  }
  minted_[std::string(callee)] = Minted{*token, now + ttl_ / 2};
  return *token;
}

absl::Status ServiceTokens::Attach(grpc::ClientContext& context, absl::string_view callee) {
  absl::StatusOr<std::string> token = TokenFor(callee);
  if (!token.ok()) return token.status();
  context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
  return absl::OkStatus();
}

}  // namespace civil
