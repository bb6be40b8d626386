// Statistical division codes (统计用区划代码) for the county and below: 6 digits for the county
// (枞阳县 = 340722), 9 for a township, 12 for a village or community. Authority, statistics and
// reports roll up by prefix, so containment here is a prefix match.

#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

// Checks a region prefix used to scope a query or an operator's authority: empty (every region)
// or 6, 9 or 12 ASCII digits. Returns OK, or INVALID_ARGUMENT "must be empty or 6, 9 or 12
// digits".
absl::Status ValidateRegionPrefix(absl::string_view prefix);

// A validated region code of 6, 9 or 12 digits. Cheap to copy.
class RegionCode {
 public:
  // The administrative level; the value is the number of digits of a code at that level.
  enum class Level { kCounty = 6, kTownship = 9, kVillage = 12 };

  // Parses `text`, which must be exactly 6, 9 or 12 ASCII digits. Returns INVALID_ARGUMENT
  // "must be 6, 9 or 12 digits" otherwise.
  static absl::StatusOr<RegionCode> Parse(absl::string_view text);

  // Returns the level, determined by the number of digits.
  Level level() const { return static_cast<Level>(value_.size()); }

  // Returns the code's digits.
  const std::string& value() const { return value_; }

  // Returns the enclosing region one level up (village -> township -> county), or std::nullopt
  // for a county.
  std::optional<RegionCode> Parent() const;

  // Returns true if `other` lies within this region, i.e. this code is a prefix of `other`'s. A
  // region contains itself.
  bool Contains(const RegionCode& other) const;

  // Returns true if this code starts with `prefix`. The empty prefix matches every code. The
  // prefix is compared as text and not validated (see ValidateRegionPrefix).
  bool HasPrefix(absl::string_view prefix) const;

  friend bool operator==(const RegionCode& a, const RegionCode& b) { return a.value_ == b.value_; }
  friend bool operator!=(const RegionCode& a, const RegionCode& b) { return !(a == b); }

 private:
  explicit RegionCode(std::string value) : value_(std::move(value)) {}

  std::string value_;
};

}  // namespace civil
