#include "services/common/region_code.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace civil {
namespace {

bool IsCodeShape(absl::string_view text) {
  if (text.size() != 6 && text.size() != 9 && text.size() != 12) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateRegionPrefix(absl::string_view prefix) {
  if (prefix.empty() || IsCodeShape(prefix)) return absl::OkStatus();
  return absl::InvalidArgumentError("must be empty or 6, 9 or 12 digits");
}

absl::StatusOr<RegionCode> RegionCode::Parse(absl::string_view text) {
  if (!IsCodeShape(text)) return absl::InvalidArgumentError("must be 6, 9 or 12 digits");
  return RegionCode(std::string(text));
}

std::optional<RegionCode> RegionCode::Parent() const {
  switch (level()) {
    case Level::kVillage:
      return RegionCode(value_.substr(0, 9));
    case Level::kTownship:
      return RegionCode(value_.substr(0, 6));
    case Level::kCounty:
      break;
  }
  return std::nullopt;
}

bool RegionCode::Contains(const RegionCode& other) const {
  return absl::StartsWith(other.value_, value_);
}

bool RegionCode::HasPrefix(absl::string_view prefix) const {
  return absl::StartsWith(value_, prefix);
}

}  // namespace civil
