// Minting tokens for development and tests (`civilctl token`, tests/gateway/token_helper.h):
// ES256/RS256 with a private key in PEM, or HS256 with a shared secret. Production tokens come
// from the identity provider, never from here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

struct TokenSpec {
  std::string kid;  // header `kid`; omitted when empty
  std::string issuer;
  std::string audience;
  std::string subject;
  std::vector<std::string> roles;
  std::string region;     // omitted when empty
  int64_t issued_at = 0;  // 0 = now
  int64_t ttl_s = 3600;   // exp = issued_at + ttl_s
  std::optional<int64_t> not_before;
};

// The claims of `spec` as a JSON object text.
std::string TokenClaimsJson(const TokenSpec& spec);

// A compact JWS of `spec`, signed with `private_key_pem` (PKCS#8 or traditional PEM): ES256 for an
// EC P-256 key, RS256 for an RSA key.
absl::StatusOr<std::string> SignToken(const TokenSpec& spec, absl::string_view private_key_pem);
// The same with HS256 and `secret`.
absl::StatusOr<std::string> SignTokenHs256(const TokenSpec& spec, absl::string_view secret);

// Low level, for tests of the verifier: signs `header_json`.`payload_json` exactly as given.
// `alg` selects the signature: "ES256"/"RS256" sign with `key` as a private key PEM, "HS256"
// uses `key` as the secret, "none" leaves the signature empty.
absl::StatusOr<std::string> SignRaw(absl::string_view header_json, absl::string_view payload_json,
                                    absl::string_view alg, absl::string_view key);

// A new EC P-256 key pair: {private key PEM (PKCS#8), public key PEM (SubjectPublicKeyInfo)}.
absl::StatusOr<std::pair<std::string, std::string>> GenerateEs256KeyPair();
// A new RSA key pair of `bits` bits, same formats.
absl::StatusOr<std::pair<std::string, std::string>> GenerateRsaKeyPair(int bits = 2048);

// The public key of a JWK Set `{"keys":[...]}` entry for `public_key_pem` with `kid` (JSON text).
absl::StatusOr<std::string> PublicKeyJwk(absl::string_view public_key_pem, absl::string_view kid);

}  // namespace civil
