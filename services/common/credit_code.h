// Unified social credit codes (统一社会信用代码, GB 32100-2015), which identify the social
// organisations the bureau registers: parsing, validating the check character, and reading the
// registering authority, kind and region from a code.

#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

// Returns the check character that completes `first17` into a valid credit code. `first17` may
// be lower case. Returns INVALID_ARGUMENT if it is not exactly 17 characters from the code
// alphabet "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z).
absl::StatusOr<char> CreditCodeCheckChar(absl::string_view first17);

// A validated 18-character unified social credit code, stored upper case. Cheap to copy.
class CreditCode {
 public:
  // The registering authority of social organisations registered by civil affairs.
  static constexpr char kCivilAffairs = '5';

  // Parses and validates `text`: exactly 18 characters from the code alphabet (lower case is
  // accepted and stored upper case), positions 3-8 digits (the region code), and a last
  // character matching the GB 32100 check. Returns INVALID_ARGUMENT otherwise, with a message
  // naming the problem: "must be 18 characters", "contains a character outside the code
  // alphabet", "positions 3-8 must be a 6-digit region code", "wrong check character".
  static absl::StatusOr<CreditCode> Parse(absl::string_view text);

  // Returns the code: 18 characters, upper case.
  const std::string& value() const { return value_; }

  // Returns position 1, the registering authority ('5' = civil affairs, see kCivilAffairs).
  char registering_authority() const { return value_[0]; }

  // Returns position 2, the kind of organisation ('1' social group, '2' private non-enterprise
  // unit, '3' foundation, '9' other, for civil affairs registrations).
  char kind() const { return value_[1]; }

  // Returns positions 3-8, the 6-digit region code of the registering office.
  absl::string_view region_code() const { return absl::string_view(value_).substr(2, 6); }

  friend bool operator==(const CreditCode& a, const CreditCode& b) { return a.value_ == b.value_; }
  friend bool operator!=(const CreditCode& a, const CreditCode& b) { return !(a == b); }

 private:
  explicit CreditCode(std::string value) : value_(std::move(value)) {}

  std::string value_;
};

}  // namespace civil
