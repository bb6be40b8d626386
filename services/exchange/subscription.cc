#include "services/exchange/subscription.h"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace civil::exchange {

namespace {

constexpr absl::string_view kEventsPackage = "civil.events.v1.";
constexpr size_t kMaxUrl = 512;

std::vector<std::string> HostList(const char* variable) {
  std::vector<std::string> out;
  const char* value = std::getenv(variable);
  if (value == nullptr) return out;
  for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    out.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(part)));
  }
  return out;
}

bool HostAllowed(const std::string& host, const std::vector<std::string>& allowed) {
  for (const std::string& a : allowed) {
    if (host == a) return true;
    if (absl::StartsWith(a, ".") && absl::EndsWith(host, a)) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string>& ChangeTypes() {
  static const auto* types = new std::vector<std::string>{"EnrolmentStarted",
                                                          "EnrolmentEnded",
                                                          "EnrolmentReinstated",
                                                          "DisabilitySubsidyStopped",
                                                          "DisabilitySubsidyResumed",
                                                          "PersonDeceased",
                                                          "PersonMovedOut"};
  return *types;
}

std::optional<std::string> ChangeTypeOf(absl::string_view full_type) {
  if (!absl::ConsumePrefix(&full_type, kEventsPackage)) return std::nullopt;
  const auto& types = ChangeTypes();
  if (std::find(types.begin(), types.end(), full_type) == types.end()) return std::nullopt;
  return std::string(full_type);
}

absl::StatusOr<std::vector<std::string>> ValidChangeTypes(const std::vector<std::string>& types) {
  if (types.empty()) {
    return InvalidField("event_types", absl::StrCat("name at least one change: ",
                                                    absl::StrJoin(ChangeTypes(), ", ")));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < types.size(); ++i) {
    const std::string field = absl::StrCat("event_types[", i, "]");
    if (!ChangeTypeOf(absl::StrCat(kEventsPackage, types[i])).has_value()) {
      return InvalidField(field, absl::StrCat("unknown change \"", types[i], "\"; one of ",
                                              absl::StrJoin(ChangeTypes(), ", ")));
    }
    if (!seen.insert(types[i]).second) return InvalidField(field, "named twice");
  }
  return types;
}

WebhookPolicy WebhookPolicyFromEnv() {
  return {HostList("CIVIL_EXCHANGE_WEBHOOK_PLAINTEXT_HOSTS"),
          HostList("CIVIL_EXCHANGE_WEBHOOK_HOSTS")};
}

absl::StatusOr<Endpoint> ValidEndpoint(absl::string_view url, const WebhookPolicy& policy) {
  constexpr absl::string_view kField = "endpoint_url";
  if (url.empty()) return InvalidField(kField, "required");
  if (url.size() > kMaxUrl) return InvalidField(kField, "at most 512 characters");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return InvalidField(kField, "spaces, control and non-ASCII characters are not allowed");
    }
  }
  Endpoint e;
  e.url = std::string(url);
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "https://")) {
    e.scheme = "https";
    e.port = 443;
  } else if (absl::ConsumePrefix(&rest, "http://")) {
    e.scheme = "http";
    e.port = 80;
  } else {
    return InvalidField(kField, "must start with https://");
  }
  if (absl::StrContains(url, "#")) return InvalidField(kField, "must not have a fragment (#)");
  const size_t end = rest.find_first_of("/?");
  absl::string_view authority = rest.substr(0, end);
  if (absl::StrContains(authority, "@")) {
    return InvalidField(kField, "must not carry a user name or password");
  }
  absl::string_view host = authority;
  if (const size_t colon = authority.rfind(':');
      colon != absl::string_view::npos && !absl::StrContains(authority, "]")) {
    host = authority.substr(0, colon);
    int port = 0;
    if (!absl::SimpleAtoi(authority.substr(colon + 1), &port) || port < 1 || port > 65535) {
      return InvalidField(kField, "port must be 1-65535");
    }
    e.port = port;
  }
  if (host.empty()) return InvalidField(kField, "has no host");
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
      return InvalidField(kField, "host must be a DNS name or an IPv4 address");
    }
  }
  e.host = absl::AsciiStrToLower(host);
  if (e.scheme == "http" && !HostAllowed(e.host, policy.plaintext_hosts)) {
    return InvalidField(kField, "must start with https:// (plain http is for development hosts)");
  }
  if (!policy.allowed_hosts.empty() && !HostAllowed(e.host, policy.allowed_hosts)) {
    return InvalidField(
        kField, absl::StrCat("host ", e.host, " is not a partner system this deployment allows"));
  }
  return e;
}

std::string NewSigningSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no entropy: nothing safe to do
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string SignNotification(absl::string_view secret, int64_t unix_seconds,
                             absl::string_view body) {
  const std::string message = absl::StrCat(unix_seconds, ".", body);
  unsigned char mac[32];
  unsigned int size = sizeof mac;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  return absl::StrCat(
      "v1=", absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(mac), size)));
}

absl::Duration RetryDelay(int failures) {
  if (failures <= 0) return absl::ZeroDuration();
  const int shift = std::min(failures - 1, 9);
  return std::min(absl::Seconds(int64_t{1} << shift), absl::Minutes(5));
}

bool Delivered(int http_status) { return http_status >= 200 && http_status < 300; }

}  // namespace civil::exchange
