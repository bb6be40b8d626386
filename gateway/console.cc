#include "gateway/console.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/common/jwt_sign.h"

namespace civil::gateway {
namespace {

bool SafeSegment(absl::string_view segment) {
  if (segment.empty() || segment.front() == '.') return false;
  for (char c : segment) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

bool ValidRegion(absl::string_view region) {
  if (region == "*") return true;
  if (region.empty() || region.size() > 12) return false;
  for (char c : region) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool ValidRole(absl::string_view role) {
  if (role.empty() || role.size() > 64) return false;
  for (char c : role) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) && c != '.' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> ConsoleFile(absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/console/")) return std::nullopt;
  if (path.empty()) return "index.html";
  std::vector<absl::string_view> segments = absl::StrSplit(path, '/');
  if (segments.size() > 2) return std::nullopt;
  for (absl::string_view s : segments) {
    if (!SafeSegment(s)) return std::nullopt;
  }
  return std::string(path);
}

bool ConsoleFileImmutable(absl::string_view file) { return absl::StartsWith(file, "assets/"); }

absl::StatusOr<std::string> DevSignInToken(absl::string_view body, absl::string_view private_pem,
                                           absl::string_view kid, const std::string& issuer,
                                           const std::string& audience, int64_t ttl_s) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError("body: a JSON object {subject, roles, region} is required");
  }
  TokenSpec spec;
  spec.kid = std::string(kid);
  spec.issuer = issuer;
  spec.audience = audience;
  spec.ttl_s = ttl_s;
  const nlohmann::json subject = json.value("subject", nlohmann::json());
  if (!subject.is_string() || subject.get<std::string>().empty() ||
      subject.get<std::string>().size() > 64) {
    return absl::InvalidArgumentError("subject: required, at most 64 characters");
  }
  spec.subject = subject.get<std::string>();
  if (absl::StartsWith(spec.subject, "service:")) {
    return absl::InvalidArgumentError("subject: service subjects are not for users");
  }
  const nlohmann::json roles = json.value("roles", nlohmann::json());
  if (!roles.is_array() || roles.empty()) {
    return absl::InvalidArgumentError("roles: at least one role is required");
  }
  for (const nlohmann::json& role : roles) {
    if (!role.is_string() || !ValidRole(role.get<std::string>())) {
      return absl::InvalidArgumentError("roles: a role is a name like assistance.clerk");
    }
    if (role.get<std::string>() == "system") {
      return absl::InvalidArgumentError("roles: system is only a department's own service role");
    }
    spec.roles.push_back(role.get<std::string>());
  }
  const nlohmann::json region = json.value("region", nlohmann::json());
  if (!region.is_string() || !ValidRegion(region.get<std::string>())) {
    return absl::InvalidArgumentError("region: a region code prefix (up to 12 digits) or *");
  }
  spec.region = region.get<std::string>();
  absl::StatusOr<std::string> token = SignToken(spec, private_pem);
  if (!token.ok()) return token.status();
  return nlohmann::json{{"token", *token}, {"expiresIn", ttl_s}}.dump();
}

}  // namespace civil::gateway
