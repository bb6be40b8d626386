// Who is calling, and may they: the identity a department verified itself from the call's bearer
// token (identity.h), checked against the access rule each RPC declares in its contract
// (`option (civil.common.v1.access) = {roles: [...]}`).
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

// The caller of one RPC.
struct Caller {
  std::string subject;
  std::vector<std::string> roles;
  std::string region_prefix;  // "*" = every region
  bool service = false;       // verified by a department's service token (role `system`)

  bool HasRole(absl::string_view role) const;
  // Whether a record in `region_code` is within the caller's region scope.
  bool CanActOn(absl::string_view region_code) const;
  // Whether responses may carry full ID numbers (roles `admin`, `system`, or `<dept>.reviewer`
  // of department `dept`); everyone else sees them masked.
  bool MaySeeFullId(absl::string_view dept) const;
};

// Checks that the caller of `full_method` ("civil.assistance.v1.HouseholdService.GetHousehold",
// as in the descriptor pool) holds a role the RPC's access rule names, or `admin`.
// The caller comes from the call's bearer token, verified by the department serving the method
// (identity.h): UNAUTHENTICATED for no token or a bad one (the role `system` comes only with a
// department's service token); PERMISSION_DENIED naming the
// roles required when none is held, or when the RPC declares no access rule (deny by default).
// Returns the caller.
absl::StatusOr<Caller> Authorize(const grpc::ServerContext& context, absl::string_view full_method);

// The same for a contract every department serves (civil.grievance.v1, civil.audit.v1), answered
// here for `department`: a role the rule writes `{department}.clerk` means this department's
// clerks (`eldercare.clerk` in eldercare), so another department's clerk is PERMISSION_DENIED.
absl::StatusOr<Caller> Authorize(const grpc::ServerContext& context, absl::string_view full_method,
                                 absl::string_view department);

// `role` with `{department}` replaced by `department` ("{department}.clerk" → "eldercare.clerk").
std::string RoleFor(absl::string_view role, absl::string_view department);

// PERMISSION_DENIED "<field>: region <code> is outside your scope <prefix>" unless the caller may
// act on `region_code`.
absl::Status CheckRegion(const Caller& caller, absl::string_view field,
                         absl::string_view region_code);

// The region prefix a list or batch covers: `requested` (validated as a prefix of 6, 9 or 12
// digits; INVALID_ARGUMENT naming `field`), which must lie within the caller's scope
// (PERMISSION_DENIED), or the caller's whole scope when nothing is requested ("" for `*`).
absl::StatusOr<std::string> ScopedPrefix(const Caller& caller, const std::string& requested,
                                         absl::string_view field = "region_prefix");

}  // namespace civil
