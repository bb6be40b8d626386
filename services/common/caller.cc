#include "services/common/caller.h"

#include <google/protobuf/descriptor.h>

#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "civil/common/v1/common.pb.h"
#include "services/common/identity.h"
#include "services/common/region_code.h"
#include "services/common/status.h"

namespace civil {
namespace {

// The roles of each RPC, read once from the generated descriptors' options.
const std::vector<std::string>* RolesOf(absl::string_view full_method) {
  static std::mutex mu;
  static auto* cache = new absl::flat_hash_map<std::string, std::vector<std::string>>();
  std::lock_guard lock(mu);
  auto it = cache->find(full_method);
  if (it != cache->end()) return &it->second;
  const auto* method = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      std::string(full_method));
  if (method == nullptr || !method->options().HasExtension(civil::common::v1::access)) {
    return nullptr;
  }
  const auto& rule = method->options().GetExtension(civil::common::v1::access);
  std::vector<std::string> roles(rule.roles().begin(), rule.roles().end());
  return &cache->emplace(std::string(full_method), std::move(roles)).first->second;
}

}  // namespace

bool Caller::HasRole(absl::string_view role) const {
  for (const std::string& r : roles) {
    if (r == role) return true;
  }
  return false;
}

bool Caller::CanActOn(absl::string_view region_code) const {
  if (region_prefix == "*") return true;
  if (region_prefix.empty()) return false;
  return absl::StartsWith(region_code, region_prefix);
}

bool Caller::MaySeeFullId(absl::string_view dept) const {
  return HasRole("admin") || HasRole("system") || HasRole(absl::StrCat(dept, ".reviewer"));
}

std::string RoleFor(absl::string_view role, absl::string_view department) {
  return absl::StrReplaceAll(role, {{"{department}", department}});
}

absl::StatusOr<Caller> Authorize(const grpc::ServerContext& context,
                                 absl::string_view full_method) {
  return Authorize(context, full_method, "");
}

absl::StatusOr<Caller> Authorize(const grpc::ServerContext& context, absl::string_view full_method,
                                 absl::string_view department) {
  std::shared_ptr<const CallVerifier> verifier = CallVerifierFor(full_method);
  if (verifier == nullptr) {
    return absl::UnauthenticatedError(
        absl::StrCat("no verifier of callers is configured for ", full_method));
  }
  absl::StatusOr<Caller> caller = verifier->Authenticate(context);
  if (!caller.ok()) return caller.status();
  if (caller->HasRole("admin")) return caller;
  const std::vector<std::string>* roles = RolesOf(full_method);
  if (roles == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(full_method, " declares no access rule"));
  }
  std::vector<std::string> required;
  for (const std::string& role : *roles) {
    required.push_back(RoleFor(role, department));
    if (caller->HasRole(required.back())) return caller;
  }
  return absl::PermissionDeniedError(
      absl::StrCat("requires one of the roles: ", absl::StrJoin(required, ", ")));
}

absl::Status CheckRegion(const Caller& caller, absl::string_view field,
                         absl::string_view region_code) {
  if (caller.CanActOn(region_code)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": region ", region_code, " is outside your scope ",
                   caller.region_prefix.empty() ? "(none)" : caller.region_prefix));
}

absl::StatusOr<std::string> ScopedPrefix(const Caller& caller, const std::string& requested,
                                         absl::string_view field) {
  if (absl::Status s = ValidateRegionPrefix(requested); !s.ok()) {
    return InvalidField(field, s.message());
  }
  if (requested.empty()) {
    if (caller.region_prefix.empty()) {
      return absl::PermissionDeniedError(absl::StrCat(field, ": you have no region scope"));
    }
    return caller.region_prefix == "*" ? std::string() : caller.region_prefix;
  }
  if (absl::Status s = CheckRegion(caller, field, requested); !s.ok()) return s;
  return requested;
}

}  // namespace civil
