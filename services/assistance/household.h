// Household registry rules (pure C++): what a valid household and member list is.
//
// The adapter turns requests into these inputs; the store persists the validated drafts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"  // IsUuid, CharCount

namespace civil::assistance {

// Numbers match civil.common.v1.Area.
enum class Area { kUrban = 1, kRural = 2 };
// Numbers match civil.assistance.v1.Relation.
enum class Relation {
  kHead = 1,
  kSpouse = 2,
  kChild = 3,
  kParent = 4,
  kGrandchild = 5,
  kGrandparent = 6,
  kSibling = 7,
  kOther = 8
};

// Stable names stored in the database ("HEAD", "URBAN", …).
absl::string_view AreaName(Area area);
absl::string_view RelationName(Relation relation);
// The inverse of the above; INVALID_ARGUMENT for an unknown name.
absl::StatusOr<Area> AreaFromName(absl::string_view name);
absl::StatusOr<Relation> RelationFromName(absl::string_view name);

inline constexpr int kMaxMembers = 30;
inline constexpr int kMaxNameChars = 64;

// A member as entered, before validation (relation as its contract number; 0 = unspecified).
struct MemberInput {
  std::string name;
  std::string id_number;
  int relation = 0;
};

// A validated member.
struct MemberDraft {
  std::string name;
  IdNumber id;
  Relation relation;
};

// A validated household.
struct HouseholdDraft {
  RegionCode region;
  Area area;
  std::vector<MemberDraft> members;  // head first, then in the order entered
};

// Validates a member list: 1 to kMaxMembers members, each with a name of 1 to kMaxNameChars
// characters, a valid ID number (not born after `today`) and a relation, exactly one head, no
// person twice. INVALID_ARGUMENT naming the field, e.g. `members[2].id_number: wrong check
// character` (never the number itself).
absl::StatusOr<std::vector<MemberDraft>> ValidateMembers(const std::vector<MemberInput>& members,
                                                         absl::CivilDay today);

// Validates a new household: `region_code` a 12-digit village/community code, `area` urban or
// rural (contract numbers), members as ValidateMembers. INVALID_ARGUMENT naming the field.
absl::StatusOr<HouseholdDraft> ValidateHousehold(absl::string_view region_code, int area,
                                                 const std::vector<MemberInput>& members,
                                                 absl::CivilDay today);

}  // namespace civil::assistance
