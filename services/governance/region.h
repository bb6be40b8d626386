// Rules of the county's region tree (pure C++ on Abseil): which kind a code may have (the
// statistical division code's numbering of its last three digits), a new region's parent, names,
// and when a village may be merged into another (合村并居) — and how a merged code resolves.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::governance {

// Numbers match civil.governance.v1.RegionKind.
enum class RegionKind {
  kCounty = 1,
  kTown = 2,
  kDevelopmentZone = 3,
  kVillage = 4,
  kCommunity = 5
};
inline constexpr absl::string_view kRegionKindNameList[] = {
    "", "COUNTY", "TOWN", "DEVELOPMENT_ZONE", "VILLAGE", "COMMUNITY"};
inline constexpr EnumNames kRegionKindNames{kRegionKindNameList};

// Region names are 1–32 characters.
inline constexpr int kMaxRegionName = 32;

// Whether `kind` is a village-level kind (村 or 社区).
bool IsVillageLevel(RegionKind kind);

// A region as the tree holds it.
struct RegionFacts {
  std::string code;
  std::string name;
  RegionKind kind = RegionKind::kVillage;
  std::string parent_code;  // "" for the county
  std::string merged_into;  // "" unless merged
  std::optional<absl::CivilDay> merged_on;
};

// A region to add, validated.
struct NewRegion {
  RegionCode code;
  std::string name;
  RegionKind kind;
  RegionCode parent;
};

// Validates a region to add: `code` of 9 digits (a town or development zone) or 12 (a village or
// community); `kind` defined and fitting the code's last three digits (town 001–399, development
// zone 400–599; community 001–199 or 400–599, village 200–399 or 600–799); `name` 1–32 characters.
// The parent is the code one level up. INVALID_ARGUMENT naming `code`, `kind` or `name`.
absl::StatusOr<NewRegion> ValidateNewRegion(absl::string_view code, absl::string_view name,
                                            int kind);

// A region's name as entered: 1–32 characters, one line. INVALID_ARGUMENT naming `name`.
absl::StatusOr<std::string> RegionName(absl::string_view name);

// Whether a region may receive children: FAILED_PRECONDITION "code: the parent <code> is not in
// the region tree" when `parent` is absent, "… was merged into …" when merged, "… is a village"
// when it is village-level itself.
absl::Status CheckParent(const std::optional<RegionFacts>& parent, absl::string_view parent_code);

// Whether a region may be renamed: FAILED_PRECONDITION "code: <code> was merged into … on …" for
// a merged village.
absl::Status CheckRename(const RegionFacts& region);

// Whether village `from` may be merged into `into`: both village-level, different, in the
// same township, neither merged already. FAILED_PRECONDITION naming `code` or `into_code`.
absl::Status CheckMerge(const RegionFacts& from, const RegionFacts& into);

// The longest chain of merges a lookup follows; longer means the tree is damaged (DATA_LOSS).
inline constexpr int kMaxMergeChain = 16;

}  // namespace civil::governance
