// Resident ID numbers (居民身份证号码, GB 11643-1999) and the calendar helpers they need: parsing
// and validating a number, reading the birth date, sex and age from it, and masking it for
// display. An ID number is personal data: no error message produced here contains it.

#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/clock.h"

namespace civil {

// The sex encoded in the 17th digit of an ID number (odd = male, even = female).
enum class Sex { kMale, kFemale };

// Formats `day` as "YYYY-MM-DD" (zero-padded, e.g. "2024-02-29").
std::string FormatDay(absl::CivilDay day);

// Parses a date written exactly as "YYYY-MM-DD" (ten characters, zero-padded, no surrounding
// space). Returns INVALID_ARGUMENT when the text has another shape or names a date that does not
// exist on the calendar (e.g. "2023-02-30").
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text);

// Returns the age in completed years on `day` of a person born on `birth`: the year count goes
// up on the birthday itself; someone born on 29 February turns a year older on 1 March in
// non-leap years. Returns 0 when `day` is before `birth`. (IdNumber::AgeOn, for a stored birth
// date.)
int AgeOn(absl::CivilDay birth, absl::CivilDay day);

// Returns the check character ('0'-'9' or 'X') that completes the 17 digits `first17` into a
// valid ID number. Returns INVALID_ARGUMENT if `first17` is not exactly 17 ASCII digits.
absl::StatusOr<char> IdNumberCheckChar(absl::string_view first17);

// A validated 18-character resident ID number: 6-digit address code, 8-digit birth date
// YYYYMMDD, 3-digit sequence (odd = male), check character. Cheap to copy.
class IdNumber {
 public:
  // Parses and validates `text`: exactly 18 characters, the first 17 ASCII digits, the last a
  // digit or 'X'/'x' that matches the GB 11643 check (a lower-case 'x' is stored upper-case), a
  // birth date that exists on the calendar, not before 1900-01-01 and not after `today`.
  //
  // Returns INVALID_ARGUMENT otherwise, with a message naming the problem but never containing
  // the number: "must be 18 characters", "first 17 characters must be digits", "last character
  // must be a digit or X", "wrong check character", "impossible birth date", "birth date before
  // 1900-01-01", "birth date in the future". Callers prefix the field name (see InvalidField in
  // services/common/errors.h).
  static absl::StatusOr<IdNumber> Parse(absl::string_view text, absl::CivilDay today = Today());

  // Returns the number: 18 characters, check character 'X' upper-case.
  const std::string& value() const { return value_; }

  // Returns the 6-digit address code (the region where the number was issued).
  absl::string_view address_code() const;

  // Returns the birth date encoded in positions 7-14.
  absl::CivilDay birth_date() const { return birth_date_; }

  // Returns the sex encoded in the 17th digit (odd = male, even = female).
  Sex sex() const;

  // Returns the age in completed years on `day`: the year count goes up on the birthday itself;
  // someone born on 29 February turns a year older on 1 March in non-leap years. Returns 0 when
  // `day` is before the birth date.
  int AgeOn(absl::CivilDay day) const;

  // Returns the number for display with the birth date and sequence hidden: first 6 characters,
  // "********", last 4 characters (e.g. "340722********1234").
  std::string Masked() const;

  friend bool operator==(const IdNumber& a, const IdNumber& b) { return a.value_ == b.value_; }
  friend bool operator!=(const IdNumber& a, const IdNumber& b) { return !(a == b); }

 private:
  IdNumber(std::string value, absl::CivilDay birth_date)
      : value_(std::move(value)), birth_date_(birth_date) {}

  std::string value_;
  absl::CivilDay birth_date_;
};

}  // namespace civil
