#include "services/governance/region.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::governance {
namespace {

// The number formed by the code's last three digits.
int LastThree(const RegionCode& code) {
  int n = 0;
  const std::string& v = code.value();
  (void)absl::SimpleAtoi(absl::string_view(v).substr(v.size() - 3), &n);
  return n;
}

bool KindFitsCode(RegionKind kind, const RegionCode& code) {
  const int n = LastThree(code);
  switch (kind) {
    case RegionKind::kTown:
      return code.level() == RegionCode::Level::kTownship && n >= 1 && n <= 399;
    case RegionKind::kDevelopmentZone:
      return code.level() == RegionCode::Level::kTownship && n >= 400 && n <= 599;
    case RegionKind::kCommunity:
      return code.level() == RegionCode::Level::kVillage &&
             ((n >= 1 && n <= 199) || (n >= 400 && n <= 599));
    case RegionKind::kVillage:
      return code.level() == RegionCode::Level::kVillage &&
             ((n >= 200 && n <= 399) || (n >= 600 && n <= 799));
    case RegionKind::kCounty:
      return false;
  }
  return false;
}

absl::string_view KindRange(RegionKind kind) {
  switch (kind) {
    case RegionKind::kTown:
      return "a town's code is 9 digits ending 001–399";
    case RegionKind::kDevelopmentZone:
      return "a development zone's code is 9 digits ending 400–599";
    case RegionKind::kCommunity:
      return "a community's code is 12 digits ending 001–199 or 400–599";
    case RegionKind::kVillage:
      return "a village's code is 12 digits ending 200–399 or 600–799";
    case RegionKind::kCounty:
      return "the county is not added through the API";
  }
  return "";
}

}  // namespace

bool IsVillageLevel(RegionKind kind) {
  return kind == RegionKind::kVillage || kind == RegionKind::kCommunity;
}

absl::StatusOr<std::string> RegionName(absl::string_view name) {
  return BoundedText("name", name, kMaxRegionName);
}

absl::StatusOr<NewRegion> ValidateNewRegion(absl::string_view code, absl::string_view name,
                                            int kind) {
  CIVIL_ASSIGN_OR_RETURN(
      RegionCode parsed,
      RegionOf("code", code, {RegionCode::Level::kTownship, RegionCode::Level::kVillage}));
  CIVIL_RETURN_IF_ERROR(kRegionKindNames.Require("kind", kind));
  const auto k = static_cast<RegionKind>(kind);
  if (!KindFitsCode(k, parsed)) return InvalidField("kind", KindRange(k));
  CIVIL_ASSIGN_OR_RETURN(std::string clean, RegionName(name));
  RegionCode parent = *parsed.Parent();
  return NewRegion{std::move(parsed), std::move(clean), k, std::move(parent)};
}

absl::Status CheckParent(const std::optional<RegionFacts>& parent, absl::string_view parent_code) {
  if (!parent) {
    return absl::FailedPreconditionError(
        absl::StrCat("code: the parent ", parent_code, " is not in the region tree"));
  }
  if (!parent->merged_into.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("code: the parent ", parent_code, " was merged into ", parent->merged_into));
  }
  if (IsVillageLevel(parent->kind)) {
    return absl::FailedPreconditionError(
        absl::StrCat("code: the parent ", parent_code, " is a village or community"));
  }
  return absl::OkStatus();
}

absl::Status CheckRename(const RegionFacts& region) {
  if (!region.merged_into.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("code: ", region.code, " was merged into ", region.merged_into, " on ",
                     region.merged_on ? FormatDay(*region.merged_on) : "?"));
  }
  return absl::OkStatus();
}

absl::Status CheckMerge(const RegionFacts& from, const RegionFacts& into) {
  if (!IsVillageLevel(from.kind)) {
    return absl::FailedPreconditionError(
        absl::StrCat("code: ", from.code, " is not a village or community"));
  }
  if (!IsVillageLevel(into.kind)) {
    return absl::FailedPreconditionError(
        absl::StrCat("into_code: ", into.code, " is not a village or community"));
  }
  if (from.code == into.code) {
    return absl::FailedPreconditionError("into_code: a village cannot be merged into itself");
  }
  if (from.parent_code != into.parent_code) {
    return absl::FailedPreconditionError(
        absl::StrCat("into_code: ", into.code, " lies in township ", into.parent_code, ", not in ",
                     from.parent_code, " (villages merge within their township)"));
  }
  if (!from.merged_into.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("code: ", from.code, " was merged into ", from.merged_into, " already"));
  }
  if (!into.merged_into.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("into_code: ", into.code, " was merged into ",
                                                      into.merged_into, "; merge into that one"));
  }
  return absl::OkStatus();
}

}  // namespace civil::governance
