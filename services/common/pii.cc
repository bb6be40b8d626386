#include "services/common/pii.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace civil {
namespace {

constexpr unsigned char kVersion = 0x01;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr size_t kOverhead = 1 + kNonceSize + kTagSize;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Writes HMAC-SHA256(key, data) into `out` (32 bytes). Returns false if OpenSSL fails.
bool HmacSha256(const unsigned char* key, size_t key_size, absl::string_view data,
                unsigned char* out) {
  unsigned int out_size = 0;
  return HMAC(EVP_sha256(), key, static_cast<int>(key_size),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
              &out_size) != nullptr &&
         out_size == 32;
}

unsigned char* Bytes(std::string& s, size_t offset = 0) {
  return reinterpret_cast<unsigned char*>(s.data()) + offset;
}

const unsigned char* Bytes(absl::string_view s, size_t offset = 0) {
  return reinterpret_cast<const unsigned char*>(s.data()) + offset;
}

}  // namespace

absl::StatusOr<PiiProtector> PiiProtector::FromHexKey(absl::string_view hex) {
  if (hex.size() != 64) {
    return absl::InvalidArgumentError("CIVIL_PII_KEY must be 64 hex characters (32 bytes)");
  }
  std::array<unsigned char, 32> master;
  for (size_t i = 0; i < master.size(); ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      OPENSSL_cleanse(master.data(), master.size());
      return absl::InvalidArgumentError("CIVIL_PII_KEY must be 64 hex characters (32 bytes)");
    }
    master[i] = static_cast<unsigned char>(high * 16 + low);
  }
  PiiProtector protector;
  const bool ok =
      HmacSha256(master.data(), master.size(), "civil-pii-enc-v1",
                 protector.encryption_key_.data()) &&
      HmacSha256(master.data(), master.size(), "civil-pii-index-v1", protector.index_key_.data());
  OPENSSL_cleanse(master.data(), master.size());
  if (!ok) return absl::InternalError("deriving the PII sub-keys failed");
  return protector;
}

PiiProtector::~PiiProtector() {
  OPENSSL_cleanse(encryption_key_.data(), encryption_key_.size());
  OPENSSL_cleanse(index_key_.data(), index_key_.size());
}

absl::StatusOr<std::string> PiiProtector::Encrypt(absl::string_view plaintext) const {
  std::string sealed(kOverhead + plaintext.size(), '\0');
  sealed[0] = static_cast<char>(kVersion);
  unsigned char* nonce = Bytes(sealed, 1);
  unsigned char* ciphertext = Bytes(sealed, 1 + kNonceSize);
  unsigned char* tag = ciphertext + plaintext.size();
  if (RAND_bytes(nonce, kNonceSize) != 1) {
    return absl::InternalError("random source failed while encrypting");
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (ctx == nullptr ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, encryption_key_.data(), nonce) != 1 ||
      // The version byte is additional authenticated data.
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, &kVersion, 1) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ciphertext, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ciphertext + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag) != 1) {
    return absl::InternalError("encryption failed");
  }
  return sealed;
}

absl::StatusOr<std::string> PiiProtector::Decrypt(absl::string_view sealed) const {
  if (sealed.size() < kOverhead) return absl::DataLossError("sealed value is truncated");
  if (static_cast<unsigned char>(sealed[0]) != kVersion) {
    return absl::DataLossError("sealed value has an unknown version");
  }
  const unsigned char* nonce = Bytes(sealed, 1);
  const size_t ciphertext_size = sealed.size() - kOverhead;
  const unsigned char* ciphertext = Bytes(sealed, 1 + kNonceSize);
  // OpenSSL's SET_TAG takes a non-const pointer; copy the tag.
  std::array<unsigned char, kTagSize> tag;
  std::copy_n(ciphertext + ciphertext_size, kTagSize, tag.begin());

  std::string plaintext(ciphertext_size, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, encryption_key_.data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, &kVersion, 1) != 1 ||
      EVP_DecryptUpdate(ctx.get(), Bytes(plaintext), &len, ciphertext,
                        static_cast<int>(ciphertext_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return absl::InternalError("decryption failed");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(plaintext) + len, &len) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return absl::DataLossError("sealed value failed authentication");
  }
  return plaintext;
}

std::string PiiProtector::BlindIndex(absl::string_view plaintext) const {
  std::array<unsigned char, 32> mac{};
  // HMAC-SHA256 only fails when OpenSSL cannot allocate or has no SHA-256 provider. Returning
  // any fixed value would make unrelated people collide in the index, so stop instead.
  if (!HmacSha256(index_key_.data(), index_key_.size(), plaintext, mac.data())) {
    std::fputs("civil::PiiProtector::BlindIndex: HMAC-SHA256 failed\n", stderr);
    std::abort();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

}  // namespace civil
