#include "services/common/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace civil {

using json = nlohmann::json;

struct JwtKeySet::Key {
  std::string kid;
  JwtAlg alg = JwtAlg::kRS256;
  EVP_PKEY* pkey = nullptr;  // RS256 / ES256
  std::string secret;        // HS256
  ~Key() {
    EVP_PKEY_free(pkey);
    OPENSSL_cleanse(secret.data(), secret.size());
  }
};

namespace {

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

absl::StatusOr<JwtAlg> AlgForKey(EVP_PKEY* pkey, absl::string_view kid) {
  const int id = EVP_PKEY_get_base_id(pkey);
  if (id == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(pkey) < 2048) {
      return absl::InvalidArgumentError(
          absl::StrCat("key \"", kid, "\": RSA keys must have at least 2048 bits"));
    }
    return JwtAlg::kRS256;
  }
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &length) == 1 &&
        (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0)) {
      return JwtAlg::kES256;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("key \"", kid, "\": only EC keys on P-256 (ES256) are supported"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("key \"", kid, "\": only RSA (RS256) and EC P-256 (ES256) keys are supported"));
}

bool VerifyAsymmetric(EVP_PKEY* pkey, JwtAlg alg, absl::string_view input,
                      absl::string_view signature) {
  std::string der;
  if (alg == JwtAlg::kES256) {
    // JWS carries R || S (32 bytes each); OpenSSL verifies DER-encoded ECDSA-Sig-Value.
    if (signature.size() != 64) return false;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), 32, nullptr);
    BIGNUM* s =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + 32, 32, nullptr);
    if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
      BN_free(r);
      BN_free(s);
      ECDSA_SIG_free(sig);
      return false;
    }
    int length = i2d_ECDSA_SIG(sig, nullptr);
    if (length <= 0) {
      ECDSA_SIG_free(sig);
      return false;
    }
    der.resize(static_cast<size_t>(length));
    unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_ECDSA_SIG(sig, &p);
    ECDSA_SIG_free(sig);
    signature = der;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

bool VerifyHs256(const std::string& secret, absl::string_view input, absl::string_view signature) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
           &length) == nullptr) {
    ERR_clear_error();
    return false;
  }
  return signature.size() == length && CRYPTO_memcmp(mac, signature.data(), length) == 0;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Sha256(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
}

// A JWK member holding a base64url big-endian unsigned integer.
bool JwkBytes(const json& jwk, const char* name, std::string* out) {
  auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() && Base64UrlDecode(it->get<std::string>(), out) &&
         !out->empty();
}

struct ParamBuild {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  std::vector<BIGNUM*> numbers;
  ~ParamBuild() {
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    for (BIGNUM* n : numbers) BN_free(n);
  }
};

absl::StatusOr<EVP_PKEY*> KeyFromParams(const char* type, ParamBuild& build,
                                        absl::string_view kid) {
  build.params = OSSL_PARAM_BLD_to_param(build.bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  bool ok = ctx != nullptr && build.params != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
            EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, build.params) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) {
    EVP_PKEY_free(pkey);
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS key \"", kid, "\": not a valid public key: ", OpenSslError()));
  }
  return pkey;
}

absl::StatusOr<EVP_PKEY*> KeyFromJwk(const json& jwk, absl::string_view kid) {
  const std::string kty = jwk.value("kty", "");
  ParamBuild build;
  if (build.bld == nullptr) return absl::InternalError("OSSL_PARAM_BLD_new failed");
  if (kty == "RSA") {
    std::string n, e;
    if (!JwkBytes(jwk, "n", &n) || !JwkBytes(jwk, "e", &e)) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS key \"", kid, "\": RSA key needs base64url \"n\" and \"e\""));
    }
    for (const std::string* bytes : {&n, &e}) {
      build.numbers.push_back(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                                        static_cast<int>(bytes->size()), nullptr));
    }
    if (OSSL_PARAM_BLD_push_BN(build.bld, OSSL_PKEY_PARAM_RSA_N, build.numbers[0]) != 1 ||
        OSSL_PARAM_BLD_push_BN(build.bld, OSSL_PKEY_PARAM_RSA_E, build.numbers[1]) != 1) {
      return absl::InternalError("OSSL_PARAM_BLD_push_BN failed");
    }
    return KeyFromParams("RSA", build, kid);
  }
  if (kty == "EC") {
    std::string x, y;
    if (jwk.value("crv", "") != "P-256" || !JwkBytes(jwk, "x", &x) || !JwkBytes(jwk, "y", &y) ||
        x.size() != 32 || y.size() != 32) {
      return absl::InvalidArgumentError(absl::StrCat(
          "JWKS key \"", kid, "\": EC key needs crv P-256 and 32-byte base64url \"x\", \"y\""));
    }
    std::string point = "\x04" + x + y;
    if (OSSL_PARAM_BLD_push_utf8_string(build.bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(build.bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
      return absl::InternalError("OSSL_PARAM_BLD_push failed");
    }
    return KeyFromParams("EC", build, kid);
  }
  return absl::InvalidArgumentError(absl::StrCat("JWKS key \"", kid, "\": kty \"", kty,
                                                 "\" is not supported (RSA or EC P-256 only)"));
}

bool IsPrintable(absl::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool IsRoleName(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':')) return false;
  }
  return true;
}

bool IsRegion(absl::string_view s) {
  if (s == "*") return true;
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

JwtResult Fail(JwtError error, std::string message) {
  JwtResult result;
  result.error = error;
  result.message = std::move(message);
  return result;
}

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

absl::string_view JwtErrorReason(JwtError error) {
  switch (error) {
    case JwtError::kNone:
      return "none";
    case JwtError::kMissing:
      return "missing";
    case JwtError::kMalformed:
      return "malformed";
    case JwtError::kAlgorithm:
      return "algorithm";
    case JwtError::kUnknownKey:
      return "unknown_kid";
    case JwtError::kSignature:
      return "signature";
    case JwtError::kExpired:
      return "expired";
    case JwtError::kNotYetValid:
      return "not_yet_valid";
    case JwtError::kIssuer:
      return "issuer";
    case JwtError::kAudience:
      return "audience";
    case JwtError::kClaims:
      return "claims";
  }
  return "unknown";
}

absl::string_view JwtAlgName(JwtAlg alg) {
  switch (alg) {
    case JwtAlg::kRS256:
      return "RS256";
    case JwtAlg::kES256:
      return "ES256";
    case JwtAlg::kHS256:
      return "HS256";
  }
  return "?";
}

bool Principal::HasRole(absl::string_view role) const {
  for (const std::string& r : roles) {
    if (r == role) return true;
  }
  return false;
}

std::string Base64UrlEncode(absl::string_view data) {
  std::string out;
  absl::WebSafeBase64Escape(data, &out);  // no padding
  return out;
}

bool Base64UrlDecode(absl::string_view text, std::string* out) {
  if (text.size() % 4 == 1) return false;
  for (char c : text) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '_')) return false;
  }
  return absl::WebSafeBase64Unescape(text, out);
}

absl::string_view BearerToken(absl::string_view authorization) {
  if (authorization.size() < 7 || !absl::StartsWithIgnoreCase(authorization, "bearer ")) return {};
  absl::string_view token = absl::StripAsciiWhitespace(authorization.substr(7));
  return token;
}

// --- key set -----------------------------------------------------------------------------------

JwtKeySet::JwtKeySet() = default;
JwtKeySet::~JwtKeySet() = default;
JwtKeySet::JwtKeySet(JwtKeySet&&) noexcept = default;
JwtKeySet& JwtKeySet::operator=(JwtKeySet&&) noexcept = default;

size_t JwtKeySet::size() const { return keys_.size(); }

std::vector<std::string> JwtKeySet::Kids() const {
  std::vector<std::string> kids;
  for (const auto& key : keys_) {
    kids.push_back(absl::StrCat(key->kid, " (", JwtAlgName(key->alg), ")"));
  }
  return kids;
}

JwtAlg JwtKeySet::AlgOf(const Key& key) { return key.alg; }

absl::Status JwtKeySet::Add(std::unique_ptr<Key> key) {
  for (const auto& existing : keys_) {
    if (existing->kid == key->kid) {
      return absl::InvalidArgumentError(absl::StrCat("key id \"", key->kid, "\" given twice"));
    }
  }
  keys_.push_back(std::move(key));
  return absl::OkStatus();
}

const JwtKeySet::Key* JwtKeySet::Find(absl::string_view kid) const {
  if (kid.empty()) return keys_.size() == 1 ? keys_.front().get() : nullptr;
  for (const auto& key : keys_) {
    if (key->kid == kid) return key.get();
  }
  return nullptr;
}

absl::Status JwtKeySet::AddPem(absl::string_view kid, absl::string_view pem) {
  if (kid.empty()) return absl::InvalidArgumentError("a key needs a non-empty key id");
  if (absl::StrContains(pem, "PRIVATE KEY")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key \"", kid, "\" is a private key: configure the public key (e.g. dev.pub) instead"));
  }
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf failed");
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  if (pkey == nullptr) {
    ERR_clear_error();
    BIO_free(bio);
    bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    if (cert != nullptr) {
      pkey = X509_get_pubkey(cert);
      X509_free(cert);
    }
  }
  BIO_free(bio);
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("key \"", kid, "\": not a PEM public key or certificate: ", OpenSslError()));
  }
  auto key = std::make_unique<Key>();
  key->kid = std::string(kid);
  key->pkey = pkey;
  absl::StatusOr<JwtAlg> alg = AlgForKey(pkey, kid);
  if (!alg.ok()) return alg.status();
  key->alg = *alg;
  return Add(std::move(key));
}

absl::Status JwtKeySet::AddJwks(absl::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return absl::InvalidArgumentError("JWKS: expected {\"keys\": [...]}");
  }
  int added = 0;
  for (const json& jwk : doc["keys"]) {
    if (!jwk.is_object()) return absl::InvalidArgumentError("JWKS: a key is not an object");
    auto kid_it = jwk.find("kid");
    if (kid_it == jwk.end() || !kid_it->is_string() || kid_it->get<std::string>().empty()) {
      return absl::InvalidArgumentError("JWKS: every key needs a \"kid\"");
    }
    const std::string kid = kid_it->get<std::string>();
    if (jwk.contains("use") && jwk["use"] != "sig") continue;  // encryption keys are not ours
    if (jwk.value("kty", "") == "oct") {
      return absl::InvalidArgumentError(absl::StrCat(
          "JWKS key \"", kid, "\": symmetric keys are refused (use --jwt-hs256-secret-file)"));
    }
    absl::StatusOr<EVP_PKEY*> pkey = KeyFromJwk(jwk, kid);
    if (!pkey.ok()) return pkey.status();
    auto key = std::make_unique<Key>();
    key->kid = kid;
    key->pkey = *pkey;
    absl::StatusOr<JwtAlg> alg = AlgForKey(*pkey, kid);
    if (!alg.ok()) return alg.status();
    key->alg = *alg;
    if (jwk.contains("alg") && jwk["alg"] != std::string(JwtAlgName(key->alg))) {
      return absl::InvalidArgumentError(absl::StrCat("JWKS key \"", kid, "\": alg ",
                                                     jwk["alg"].dump(), " does not match its ",
                                                     JwtAlgName(key->alg), " key"));
    }
    if (absl::Status s = Add(std::move(key)); !s.ok()) return s;
    ++added;
  }
  if (added == 0) return absl::InvalidArgumentError("JWKS: no signature keys");
  return absl::OkStatus();
}

absl::Status JwtKeySet::AddHs256(absl::string_view kid, absl::string_view secret) {
  if (kid.empty()) return absl::InvalidArgumentError("a key needs a non-empty key id");
  if (secret.size() < 32) {
    return absl::InvalidArgumentError("the HS256 secret must be at least 32 bytes");
  }
  auto key = std::make_unique<Key>();
  key->kid = std::string(kid);
  key->alg = JwtAlg::kHS256;
  key->secret = std::string(secret);
  return Add(std::move(key));
}

absl::Status JwtKeySet::AddFile(const std::string& path, absl::string_view kid) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  absl::string_view body = absl::StripLeadingAsciiWhitespace(*text);
  absl::Status status;
  if (!body.empty() && body.front() == '{') {
    status = AddJwks(body);
  } else {
    std::string name = kid.empty() ? path : std::string(kid);
    if (kid.empty()) {
      size_t slash = name.rfind('/');
      if (slash != std::string::npos) name = name.substr(slash + 1);
      size_t dot = name.find('.');
      if (dot != std::string::npos && dot > 0) name.resize(dot);
    }
    status = AddPem(name, body);
  }
  if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", status.message()));
  return absl::OkStatus();
}

// --- verifier ----------------------------------------------------------------------------------

namespace {

std::atomic<uint64_t> g_verifier_ids{1};

// Each thread's own small cache in front of the shared one: keyed by the token itself, so a hit
// costs a hash of the token and no lock (the shared cache hashes with SHA-256 and locks a shard).
struct ThreadTokenCache {
  uint64_t owner = 0;  // the JwtVerifier whose entries these are
  absl::flat_hash_map<std::string, std::pair<std::shared_ptr<const Principal>, int64_t>> entries;
};
constexpr size_t kThreadCacheEntries = 1024;

ThreadTokenCache& LocalTokenCache(uint64_t owner) {
  thread_local ThreadTokenCache cache;
  if (cache.owner != owner) {
    cache.entries.clear();
    cache.owner = owner;
  }
  return cache;
}

}  // namespace

JwtVerifier::JwtVerifier(JwtKeySet keys, JwtVerifierOptions options)
    : keys_(std::move(keys)), options_(std::move(options)), id_(g_verifier_ids.fetch_add(1)) {
  if (!options_.now) options_.now = SystemNow;
}

JwtVerifier::~JwtVerifier() = default;

JwtResult JwtVerifier::Verify(absl::string_view token) const {
  if (token.empty()) return Fail(JwtError::kMissing, "missing bearer token");
  if (token.size() > kMaxTokenBytes) return Fail(JwtError::kMalformed, "token too long");
  const int64_t now = options_.now();
  if (options_.cache_entries_per_shard == 0) return VerifyUncached(token, now);

  ThreadTokenCache& local = LocalTokenCache(id_);
  if (auto hit = local.entries.find(token); hit != local.entries.end()) {
    if (now <= hit->second.second) {
      JwtResult result;
      result.principal = hit->second.first;
      return result;
    }
    local.entries.erase(hit);
  }
  auto remember = [&local](absl::string_view token, const JwtResult& result, int64_t until) {
    if (local.entries.size() >= kThreadCacheEntries) local.entries.clear();
    local.entries.try_emplace(token, result.principal, until);
  };

  std::string digest = Sha256(token);
  Shard& shard = shards_[static_cast<unsigned char>(digest[0]) % kShards];
  {
    absl::MutexLock lock(&shard.mu);
    auto it = shard.entries.find(digest);
    if (it != shard.entries.end()) {
      if (now <= it->second.valid_until) {
        JwtResult hit;
        hit.principal = it->second.principal;
        remember(token, hit, it->second.valid_until);
        return hit;
      }
      shard.entries.erase(it);
    }
  }
  JwtResult result = VerifyUncached(token, now);
  if (result.ok()) {
    absl::MutexLock lock(&shard.mu);
    if (shard.entries.size() >= options_.cache_entries_per_shard) {
      for (auto it = shard.entries.begin(); it != shard.entries.end();) {
        if (now > it->second.valid_until) {
          shard.entries.erase(it++);
        } else {
          ++it;
        }
      }
      if (shard.entries.size() >= options_.cache_entries_per_shard) shard.entries.clear();
    }
    shard.entries[digest] =
        Entry{result.principal, result.principal->expires_at + options_.leeway.count()};
  }
  if (result.ok()) {
    remember(token, result, result.principal->expires_at + options_.leeway.count());
  }
  return result;
}

JwtResult JwtVerifier::VerifyUncached(absl::string_view token, int64_t now) const {
  // Compact serialization: header.payload.signature, each base64url.
  size_t dot1 = token.find('.');
  size_t dot2 = dot1 == absl::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == absl::string_view::npos || token.find('.', dot2 + 1) != absl::string_view::npos) {
    return Fail(JwtError::kMalformed, "token is not a compact JWS (header.payload.signature)");
  }
  std::string header_text, payload_text, signature;
  if (!Base64UrlDecode(token.substr(0, dot1), &header_text) ||
      !Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1), &payload_text) ||
      !Base64UrlDecode(token.substr(dot2 + 1), &signature)) {
    return Fail(JwtError::kMalformed, "token is not base64url");
  }
  json header = json::parse(header_text, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) {
    return Fail(JwtError::kMalformed, "token header is not a JSON object");
  }
  auto alg_it = header.find("alg");
  if (alg_it == header.end() || !alg_it->is_string()) {
    return Fail(JwtError::kMalformed, "token header has no alg");
  }
  const std::string alg = alg_it->get<std::string>();
  if (absl::EqualsIgnoreCase(alg, "none")) {
    return Fail(JwtError::kAlgorithm, "unsigned tokens (alg none) are not accepted");
  }
  if (header.contains("crit")) {
    return Fail(JwtError::kMalformed,
                "token header has crit extensions this gateway does not know");
  }
  if (auto typ = header.find("typ"); typ != header.end()) {
    if (!typ->is_string() ||
        !(absl::EqualsIgnoreCase(typ->get<std::string>(), "JWT") ||
          absl::EqualsIgnoreCase(typ->get<std::string>(), "at+jwt") ||
          absl::EqualsIgnoreCase(typ->get<std::string>(), "application/at+jwt"))) {
      return Fail(JwtError::kMalformed, "token typ is not JWT");
    }
  }
  std::string kid;
  if (auto kid_it = header.find("kid"); kid_it != header.end()) {
    if (!kid_it->is_string()) return Fail(JwtError::kMalformed, "token kid is not a string");
    kid = kid_it->get<std::string>();
  }
  // jku, x5u, jwk, x5c: ignored on purpose. Keys come from configuration only.
  const JwtKeySet::Key* key = keys_.Find(kid);
  if (key == nullptr) {
    return Fail(JwtError::kUnknownKey, kid.empty()
                                           ? "token has no kid and several keys are configured"
                                           : "token kid names no configured key");
  }
  if (alg != JwtAlgName(key->alg)) {
    return Fail(JwtError::kAlgorithm,
                absl::StrCat("token alg ", IsPrintable(alg) ? alg : "?",
                             " does not match its key (", JwtAlgName(key->alg), ")"));
  }
  absl::string_view signing_input = token.substr(0, dot2);
  const bool verified = key->alg == JwtAlg::kHS256
                            ? VerifyHs256(key->secret, signing_input, signature)
                            : VerifyAsymmetric(key->pkey, key->alg, signing_input, signature);
  if (!verified) return Fail(JwtError::kSignature, "token signature is invalid");

  // Only signed claims from here on.
  json claims = json::parse(payload_text, nullptr, /*allow_exceptions=*/false);
  if (claims.is_discarded() || !claims.is_object()) {
    return Fail(JwtError::kMalformed, "token payload is not a JSON object");
  }
  const int64_t leeway = options_.leeway.count();
  auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number()) {
    return Fail(JwtError::kExpired, "token has no exp");
  }
  const double exp_value = exp->get<double>();
  if (static_cast<double>(now) > exp_value + static_cast<double>(leeway)) {
    return Fail(JwtError::kExpired, "token expired");
  }
  for (const char* name : {"nbf", "iat"}) {
    auto it = claims.find(name);
    if (it == claims.end()) continue;
    if (!it->is_number())
      return Fail(JwtError::kMalformed, absl::StrCat("token ", name, " is not a number"));
    if (it->get<double>() > static_cast<double>(now + leeway)) {
      return Fail(JwtError::kNotYetValid, "token is not valid yet");
    }
  }
  auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != options_.issuer) {
    return Fail(JwtError::kIssuer, "token issuer is not accepted");
  }
  auto aud = claims.find("aud");
  bool audience_ok = false;
  if (aud != claims.end()) {
    if (aud->is_string()) {
      audience_ok = aud->get<std::string>() == options_.audience;
    } else if (aud->is_array()) {
      for (const json& a : *aud) {
        if (a.is_string() && a.get<std::string>() == options_.audience) audience_ok = true;
      }
    }
  }
  if (!audience_ok) return Fail(JwtError::kAudience, "token audience is not this API");

  auto principal = std::make_shared<Principal>();
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty() ||
      sub->get<std::string>().size() > 256 || !IsPrintable(sub->get<std::string>())) {
    return Fail(JwtError::kClaims, "token sub is missing or not printable ASCII");
  }
  principal->subject = sub->get<std::string>();
  principal->kid = key->kid;
  if (auto roles = claims.find("roles"); roles != claims.end()) {
    if (!roles->is_array() || roles->size() > 64) {
      return Fail(JwtError::kClaims, "token roles is not an array of role names");
    }
    for (const json& role : *roles) {
      if (!role.is_string() || !IsRoleName(role.get<std::string>())) {
        return Fail(JwtError::kClaims, "token roles holds something that is not a role name");
      }
      principal->roles.push_back(role.get<std::string>());
    }
  }
  if (auto region = claims.find("region"); region != claims.end()) {
    if (!region->is_string() || !IsRegion(region->get<std::string>())) {
      return Fail(JwtError::kClaims, "token region is not a region code prefix or *");
    }
    principal->region = region->get<std::string>();
  }
  principal->expires_at =
      exp_value > 9e15 ? int64_t{9000000000000000} : static_cast<int64_t>(exp_value);
  JwtResult result;
  result.principal = std::move(principal);
  return result;
}

}  // namespace civil
