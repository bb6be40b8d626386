#include "services/common/jwt_sign.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/jwt.h"

namespace civil {
namespace {

using json = nlohmann::json;

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

absl::StatusOr<EVP_PKEY*> ReadPrivateKey(absl::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf failed");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("not a PEM private key: ", OpenSslError()));
  }
  return pkey;
}

absl::StatusOr<std::string> SignWithKey(EVP_PKEY* pkey, absl::string_view input, bool es256) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  std::string der;
  bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
            EVP_DigestSign(ctx, nullptr, &length,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  if (ok) {
    der.resize(length);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &length,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    der.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return absl::InternalError(absl::StrCat("signing failed: ", OpenSslError()));
  if (!es256) return der;
  // DER ECDSA-Sig-Value → R || S, 32 bytes each (RFC 7518 §3.4).
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) return absl::InternalError("cannot decode the ECDSA signature");
  std::string raw(64, '\0');
  const BIGNUM* r = ECDSA_SIG_get0_r(sig);
  const BIGNUM* s = ECDSA_SIG_get0_s(sig);
  ok = BN_bn2binpad(r, reinterpret_cast<unsigned char*>(raw.data()), 32) == 32 &&
       BN_bn2binpad(s, reinterpret_cast<unsigned char*>(raw.data()) + 32, 32) == 32;
  ECDSA_SIG_free(sig);
  if (!ok) return absl::InternalError("ECDSA signature does not fit P-256");
  return raw;
}

std::string PublicPem(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, pkey);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string PrivatePem(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

absl::StatusOr<std::pair<std::string, std::string>> Generate(EVP_PKEY* pkey) {
  if (pkey == nullptr) return absl::InternalError(absl::StrCat("keygen: ", OpenSslError()));
  std::pair<std::string, std::string> pems = {PrivatePem(pkey), PublicPem(pkey)};
  EVP_PKEY_free(pkey);
  return pems;
}

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string TokenClaimsJson(const TokenSpec& spec) {
  const int64_t iat = spec.issued_at != 0 ? spec.issued_at : Now();
  json claims = {{"iss", spec.issuer}, {"aud", spec.audience},    {"sub", spec.subject},
                 {"iat", iat},         {"exp", iat + spec.ttl_s}, {"roles", spec.roles}};
  if (!spec.region.empty()) claims["region"] = spec.region;
  if (spec.not_before.has_value()) claims["nbf"] = *spec.not_before;
  return claims.dump();
}

absl::StatusOr<std::string> SignRaw(absl::string_view header_json, absl::string_view payload_json,
                                    absl::string_view alg, absl::string_view key) {
  std::string input =
      absl::StrCat(Base64UrlEncode(header_json), ".", Base64UrlEncode(payload_json));
  std::string signature;
  if (alg == "none") {
    // nothing
  } else if (alg == "HS256") {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
    signature.assign(reinterpret_cast<char*>(mac), length);
  } else if (alg == "ES256" || alg == "RS256") {
    absl::StatusOr<EVP_PKEY*> pkey = ReadPrivateKey(key);
    if (!pkey.ok()) return pkey.status();
    absl::StatusOr<std::string> signed_bytes = SignWithKey(*pkey, input, alg == "ES256");
    EVP_PKEY_free(*pkey);
    if (!signed_bytes.ok()) return signed_bytes.status();
    signature = *std::move(signed_bytes);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unsupported alg ", alg));
  }
  return absl::StrCat(input, ".", Base64UrlEncode(signature));
}

absl::StatusOr<std::string> SignToken(const TokenSpec& spec, absl::string_view private_key_pem) {
  absl::StatusOr<EVP_PKEY*> pkey = ReadPrivateKey(private_key_pem);
  if (!pkey.ok()) return pkey.status();
  const int type = EVP_PKEY_get_base_id(*pkey);
  EVP_PKEY_free(*pkey);
  const char* alg = type == EVP_PKEY_EC ? "ES256" : type == EVP_PKEY_RSA ? "RS256" : nullptr;
  if (alg == nullptr) return absl::InvalidArgumentError("the key is neither EC nor RSA");
  json header = {{"alg", alg}, {"typ", "JWT"}};
  if (!spec.kid.empty()) header["kid"] = spec.kid;
  return SignRaw(header.dump(), TokenClaimsJson(spec), alg, private_key_pem);
}

absl::StatusOr<std::string> SignTokenHs256(const TokenSpec& spec, absl::string_view secret) {
  json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  if (!spec.kid.empty()) header["kid"] = spec.kid;
  return SignRaw(header.dump(), TokenClaimsJson(spec), "HS256", secret);
}

absl::StatusOr<std::pair<std::string, std::string>> GenerateEs256KeyPair() {
  return Generate(EVP_EC_gen("P-256"));
}

absl::StatusOr<std::pair<std::string, std::string>> GenerateRsaKeyPair(int bits) {
  return Generate(EVP_RSA_gen(static_cast<unsigned int>(bits)));
}

absl::StatusOr<std::string> PublicKeyJwk(absl::string_view public_key_pem, absl::string_view kid) {
  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) return absl::InvalidArgumentError("not a PEM public key");
  json jwk = {{"kid", std::string(kid)}, {"use", "sig"}};
  auto bn_bytes = [](BIGNUM* bn) {
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return Base64UrlEncode(out);
  };
  if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n);
    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e);
    jwk["kty"] = "RSA";
    jwk["alg"] = "RS256";
    jwk["n"] = bn_bytes(n);
    jwk["e"] = bn_bytes(e);
  } else {
    unsigned char point[65];
    size_t length = 0;
    EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
    if (length != 65) {
      EVP_PKEY_free(pkey);
      return absl::InvalidArgumentError("not an uncompressed P-256 public key");
    }
    jwk["kty"] = "EC";
    jwk["crv"] = "P-256";
    jwk["alg"] = "ES256";
    jwk["x"] = Base64UrlEncode(absl::string_view(reinterpret_cast<char*>(point) + 1, 32));
    jwk["y"] = Base64UrlEncode(absl::string_view(reinterpret_cast<char*>(point) + 33, 32));
  }
  EVP_PKEY_free(pkey);
  return jwk.dump();
}

}  // namespace civil
