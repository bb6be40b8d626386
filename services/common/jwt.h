// Bearer tokens (JWT, RFC 7519) checked as RFC 8725 asks: the key is chosen by the token's `kid`
// among keys configured at start-up (PEM files, a JWKS file, or an HS256 secret for development),
// the algorithm is the key's own (never the one the token asks for), the signature is verified with
// OpenSSL's EVP API, then `exp`/`nbf` (bounded clock skew), `iss` and `aud`. `jku`, `x5u`, `jwk`
// and `x5c` headers are never used: nothing is fetched. The verified claims become a Principal.
// One implementation for the gateway (which refuses a bad token before routing) and every service
// (which verifies the same token again: identity.h).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace civil {

// Who a verified token says is calling.
struct Principal {
  std::string subject;             // `sub`
  std::string kid;                 // the configured key that verified the signature
  std::vector<std::string> roles;  // `roles` (array of strings)
  std::string region;              // `region`: a region code prefix, "*" (everywhere) or ""
  int64_t expires_at = 0;          // `exp`, seconds since the epoch

  bool HasRole(absl::string_view role) const;
};

// Why a token was refused; each is a label value of gateway_auth_rejections_total{reason}.
enum class JwtError {
  kNone = 0,
  kMissing,      // no Authorization: Bearer header
  kMalformed,    // not three base64url parts, not JSON, a `crit` header, a bad `typ`
  kAlgorithm,    // alg none, or an algorithm other than the selected key's
  kUnknownKey,   // `kid` names no configured key (or no kid while several keys are configured)
  kSignature,    // the signature does not verify
  kExpired,      // `exp` (plus the leeway) is past, or missing
  kNotYetValid,  // `nbf` or `iat` (minus the leeway) is in the future
  kIssuer,       // `iss` is not the configured issuer
  kAudience,     // `aud` does not contain the configured audience
  kClaims,       // `sub` missing, or `roles` / `region` malformed
};
inline constexpr int kJwtErrorCount = 11;
absl::string_view JwtErrorReason(JwtError error);

// Supported algorithms (RFC 7518 names).
enum class JwtAlg { kRS256, kES256, kHS256 };
absl::string_view JwtAlgName(JwtAlg alg);

// The verification keys, by `kid`. Built once at start-up, then read-only.
class JwtKeySet {
 public:
  JwtKeySet();
  ~JwtKeySet();
  JwtKeySet(JwtKeySet&&) noexcept;
  JwtKeySet& operator=(JwtKeySet&&) noexcept;

  // A public key (SubjectPublicKeyInfo `PUBLIC KEY`) or certificate in PEM: RSA of at least 2048
  // bits (RS256) or EC P-256 (ES256). INVALID_ARGUMENT for anything else (e.g. a private key).
  absl::Status AddPem(absl::string_view kid, absl::string_view pem);
  // A JWK Set (RFC 7517) `{"keys":[...]}`: RSA (`n`,`e`) and EC P-256 (`x`,`y`) keys, each with a
  // `kid`; keys with `use` other than `sig` are skipped; an `alg` must agree with the key type;
  // symmetric (`oct`) keys are refused.
  absl::Status AddJwks(absl::string_view json);
  // An HS256 secret (at least 32 bytes). Development only: anyone who can verify can also mint.
  absl::Status AddHs256(absl::string_view kid, absl::string_view secret);
  // A file: JWKS when it starts with `{`, otherwise PEM with kid `kid` (default: the file name
  // without directory and extension, `var/jwt/dev.pub` → `dev`).
  absl::Status AddFile(const std::string& path, absl::string_view kid = {});

  size_t size() const;
  bool empty() const { return size() == 0; }
  std::vector<std::string> Kids() const;

  struct Key;
  // The key for `kid`; with an empty kid, the only key when there is exactly one. Null otherwise.
  const Key* Find(absl::string_view kid) const;
  static JwtAlg AlgOf(const Key& key);

 private:
  absl::Status Add(std::unique_ptr<Key> key);
  std::vector<std::unique_ptr<Key>> keys_;
};

struct JwtVerifierOptions {
  std::string issuer;    // required `iss`
  std::string audience;  // required member of `aud`
  std::chrono::seconds leeway{60};
  // Seconds since the epoch; tests replace it.
  std::function<int64_t()> now;
  // Verified tokens remembered (per shard) until their `exp`, so a client's next requests skip
  // the signature check; each thread also keeps its last 1024 tokens without a lock. 0 disables
  // both caches.
  size_t cache_entries_per_shard = 4096;
};

struct JwtResult {
  std::shared_ptr<const Principal> principal;  // set when error == kNone
  JwtError error = JwtError::kNone;
  std::string message;  // why, for the 401 body (never the token)
  bool ok() const { return error == JwtError::kNone; }
};

// Verifies compact-serialized JWS tokens. Thread-safe.
class JwtVerifier {
 public:
  JwtVerifier(JwtKeySet keys, JwtVerifierOptions options);
  ~JwtVerifier();

  // `token` is the text after `Bearer `.
  JwtResult Verify(absl::string_view token) const;

  // Tokens longer than this are refused unread.
  static constexpr size_t kMaxTokenBytes = 8192;

 private:
  JwtResult VerifyUncached(absl::string_view token, int64_t now) const;

  struct Entry {
    std::shared_ptr<const Principal> principal;
    int64_t valid_until;  // exp + leeway
  };
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, Entry> entries;
  };
  static constexpr size_t kShards = 16;

  JwtKeySet keys_;
  JwtVerifierOptions options_;
  const uint64_t id_;  // names this verifier's entries in the per-thread caches
  mutable std::array<Shard, kShards> shards_;
};

// The token of an `Authorization` header value: `Bearer <token>` (scheme case-insensitive,
// RFC 6750). Empty when the header is not of that form.
absl::string_view BearerToken(absl::string_view authorization);

// Base64url without padding (RFC 7515 §2).
std::string Base64UrlEncode(absl::string_view data);
// Strict base64url: the alphabet `A-Z a-z 0-9 - _`, no padding, no whitespace.
bool Base64UrlDecode(absl::string_view text, std::string* out);

}  // namespace civil
