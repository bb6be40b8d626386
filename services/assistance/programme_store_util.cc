#include "services/assistance/programme_store_util.h"

#include "services/assistance/benefit.h"
#include "services/common/id_number.h"

namespace civil::assistance {

civil::common::v1::Area AreaEnum(const std::string& name) {
  return name == "URBAN" ? civil::common::v1::AREA_URBAN : civil::common::v1::AREA_RURAL;
}

v1::Programme ProgrammeEnum(const std::string& name) {
  absl::StatusOr<Programme> p = ProgrammeFromName(name);
  return p.ok() ? static_cast<v1::Programme>(static_cast<int>(*p)) : v1::PROGRAMME_UNSPECIFIED;
}

v1::ExitReason ExitEnum(const std::string& name) {
  absl::StatusOr<ExitReason> r = ExitReasonFromName(name);
  return r.ok() ? static_cast<v1::ExitReason>(static_cast<int>(*r)) : v1::EXIT_REASON_UNSPECIFIED;
}

v1::CareMode CareEnum(const std::string& name) {
  if (name == "CENTRALISED") return v1::CARE_MODE_CENTRALISED;
  if (name == "DISPERSED") return v1::CARE_MODE_DISPERSED;
  return v1::CARE_MODE_UNSPECIFIED;
}

std::string CareName(int care_mode) {
  if (care_mode == v1::CARE_MODE_CENTRALISED) return "CENTRALISED";
  if (care_mode == v1::CARE_MODE_DISPERSED) return "DISPERSED";
  return "";
}

// Scope: a record outside the actor's region reads as absent to them (no existence leak for
// reads), and as PERMISSION_DENIED for writes naming the field.
absl::Status ScopeForRead(const Actor& actor, const std::string& region, absl::string_view field,
                          absl::string_view what) {
  if (actor.CanActOn(region)) return absl::OkStatus();
  return absl::NotFoundError(NotFound(field, what));
}

}  // namespace civil::assistance
