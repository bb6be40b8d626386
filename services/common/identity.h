// Who is calling, verified by the department itself: no service trusts what the network says.
//
// Every call carries a bearer token in its `authorization` metadata:
// - a user's call carries the user's own token, forwarded by the gateway unchanged. The service
//   verifies it with the same verifier the gateway uses (jwt.h: signature by `kid`, issuer,
//   audience, expiry) against the identity provider's keys (CIVIL_JWT_KEYS) and takes subject,
//   roles and region from its claims. A user's token never carries the role `system`.
// - a department's call to another carries a service token: signed by the calling department's
//   own key (CIVIL_<DEPT>_SERVICE_KEY), issuer `civil-services`, audience `civil-<callee>`, subject
//   the caller's name, role `system`, region `*`, a few minutes' lifetime (ServiceTokens mints and
//   refreshes them). The callee verifies it against the departments' public keys
//   (CIVIL_SERVICE_KEYS); a key speaks only for the department its kid names.
// Raw `x-civil-*` metadata, which earlier versions trusted, is ignored.
//
// Why forward the user's token rather than mint one per request at the gateway: the gateway then
// holds no key that can make a user, so a compromised gateway (or anything else on the network)
// can act only with tokens users actually presented; the service's verifier caches verified
// tokens until they expire, so a user's next calls cost a hash lookup, not a signature check.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/common/caller.h"
#include "services/common/config.h"
#include "services/common/jwt.h"

namespace civil {

inline constexpr char kServiceIssuer[] = "civil-services";
inline constexpr char kSystemRole[] = "system";

// The audience of service tokens a department accepts: `civil-<department>`.
std::string ServiceAudience(absl::string_view department);

// Verifies the callers of one department.
class CallVerifier {
 public:
  // INVALID_ARGUMENT naming the variable when a key does not load or no user key is configured.
  static absl::StatusOr<std::unique_ptr<CallVerifier>> Create(absl::string_view department,
                                                              const IdentityConfig& config);

  // The caller of this call, from its `authorization` metadata. UNAUTHENTICATED saying why (no
  // token, a bad signature, expired, wrong issuer or audience, a user token claiming `system`, a
  // service key speaking for another department) — never naming more than the token's fault.
  absl::StatusOr<Caller> Authenticate(const grpc::ServerContext& context) const;
  // The same for a token's text (after `Bearer `).
  absl::StatusOr<Caller> AuthenticateToken(absl::string_view token) const;

 private:
  CallVerifier(std::unique_ptr<JwtVerifier> users, std::unique_ptr<JwtVerifier> services)
      : users_(std::move(users)), services_(std::move(services)) {}
  std::unique_ptr<JwtVerifier> users_;
  std::unique_ptr<JwtVerifier> services_;  // null: no service keys configured
};

// The verifier of `department`'s calls, for Authorize (caller.h). Department::Build registers
// its department's verifier for as long as the department lives. A method of a department's own
// package (`civil.<department>.v1.…`) is verified by that department's verifier; any other (the
// `civil.events.v1` services every department serves) by the newest registered one (a process
// serves one department; tests may host several, all trusting the same keys).
void RegisterCallVerifier(const std::string& department, std::shared_ptr<const CallVerifier> v);
void UnregisterCallVerifier(const std::string& department, const CallVerifier* v);
std::shared_ptr<const CallVerifier> CallVerifierFor(absl::string_view full_method);

// Mints this department's service tokens for calls to other departments, one per callee, reused
// until half their lifetime has passed. Thread-safe.
class ServiceTokens {
 public:
  // `key` empty: this department has no service key and every token request fails.
  ServiceTokens(std::string department, KeyText key, std::chrono::seconds ttl);

  // A token for calls to `callee` (a department name). FAILED_PRECONDITION naming the variable
  // when no key is configured; INTERNAL when signing fails.
  absl::StatusOr<std::string> TokenFor(absl::string_view callee);
  // Adds `authorization: Bearer <token for callee>` to `context`.
  absl::Status Attach(grpc::ClientContext& context, absl::string_view callee);

 private:
  struct Minted {
    std::string token;
    std::chrono::system_clock::time_point refresh_at;
  };
  const std::string department_;
  const KeyText key_;
  const std::chrono::seconds ttl_;
  absl::Mutex mu_;
  std::map<std::string, Minted, std::less<>> minted_ ABSL_GUARDED_BY(mu_);
};

}  // namespace civil
