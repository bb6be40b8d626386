// Protection of personal data such as ID numbers at rest: authenticated encryption (AES-256-GCM)
// of the clear value, and a keyed blind index (HMAC-SHA256) for equality lookup without it. The
// master key comes from the environment variable CIVIL_PII_KEY; two independent sub-keys are
// derived from it, so the index key reveals nothing about the encryption key. No key material
// or plaintext appears in any error message.

#pragma once

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

// The environment variable holding the master key as 64 hex characters.
inline constexpr absl::string_view kPiiKeyEnvVar = "CIVIL_PII_KEY";

// Encrypts, decrypts and blind-indexes personal data under one master key. Copyable (it holds
// two 32-byte sub-keys, wiped on destruction); const methods are safe to call concurrently.
class PiiProtector {
 public:
  // Builds a protector from the master key written as 64 hex characters (32 bytes, either case).
  // Derives the encryption key as HMAC-SHA256(master, "civil-pii-enc-v1") and the index key as
  // HMAC-SHA256(master, "civil-pii-index-v1"). Returns INVALID_ARGUMENT naming CIVIL_PII_KEY
  // (never echoing the key) when `hex` is not 64 hex characters, INTERNAL if OpenSSL fails.
  static absl::StatusOr<PiiProtector> FromHexKey(absl::string_view hex);

  PiiProtector(const PiiProtector&) = default;
  PiiProtector& operator=(const PiiProtector&) = default;
  ~PiiProtector();

  // Encrypts `plaintext` with AES-256-GCM under a fresh random 12-byte nonce. Returns the sealed
  // value as a binary string: version byte 0x01 || nonce || ciphertext || 16-byte tag (the
  // version byte is also authenticated), 29 bytes longer than `plaintext`. Encrypting the same
  // text twice gives different results. Returns INTERNAL if OpenSSL or the random source fails.
  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const;

  // Decrypts a value sealed by Encrypt under the same master key. Returns DATA_LOSS when `sealed`
  // is truncated, has an unknown version byte, or fails authentication (tampered, or sealed
  // under another key); INTERNAL if OpenSSL fails otherwise.
  absl::StatusOr<std::string> Decrypt(absl::string_view sealed) const;

  // Returns HMAC-SHA256 of `plaintext` under the index key as 64 lower-case hex characters: the
  // same text always gives the same index under the same key, so a column of indexes supports
  // equality lookup without the clear value. Normalize first (e.g. IdNumber::value()). Has no
  // error result: aborts the process if OpenSSL cannot compute HMAC-SHA256 at all, rather than
  // return an index that would collide.
  std::string BlindIndex(absl::string_view plaintext) const;

 private:
  using Key = std::array<unsigned char, 32>;

  PiiProtector() = default;

  Key encryption_key_{};
  Key index_key_{};
};

}  // namespace civil
