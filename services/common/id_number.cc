#include "services/common/id_number.h"

#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace civil {
namespace {

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr absl::string_view kCheckChars = "10X98765432";
constexpr absl::CivilDay kEarliestBirthDate(1900, 1, 1);

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Reads a run of ASCII digits already known to be digits.
int DigitsValue(absl::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Builds the day year-month-day if it exists on the calendar (CivilDay normalizes overflowing
// fields, e.g. 2023-02-30 becomes 2023-03-02, so a changed field means an impossible date).
bool MakeDay(int year, int month, int day, absl::CivilDay* out) {
  absl::CivilDay result(year, month, day);
  if (result.year() != year || result.month() != month || result.day() != day) return false;
  *out = result;
  return true;
}

}  // namespace

absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600)); }

std::string FormatDay(absl::CivilDay day) {
  // absl::FormatCivilTime would do for years 1000-9999; this also zero-pads earlier years.
  const absl::civil_year_t year = day.year();
  return absl::StrCat(year < 0 ? "-" : "", absl::Dec(year < 0 ? -year : year, absl::kZeroPad4), "-",
                      absl::Dec(day.month(), absl::kZeroPad2), "-",
                      absl::Dec(day.day(), absl::kZeroPad2));
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(0, 4)) ||
      !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2))) {
    return absl::InvalidArgumentError("must be a date written YYYY-MM-DD");
  }
  absl::CivilDay day;
  if (!MakeDay(DigitsValue(text.substr(0, 4)), DigitsValue(text.substr(5, 2)),
               DigitsValue(text.substr(8, 2)), &day)) {
    return absl::InvalidArgumentError("no such date on the calendar");
  }
  return day;
}

absl::StatusOr<char> IdNumberCheckChar(absl::string_view first17) {
  if (first17.size() != kWeights.size() || !AllDigits(first17)) {
    return absl::InvalidArgumentError("must be 17 digits");
  }
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

absl::StatusOr<IdNumber> IdNumber::Parse(absl::string_view text, absl::CivilDay today) {
  if (text.size() != 18) return absl::InvalidArgumentError("must be 18 characters");
  if (!AllDigits(text.substr(0, 17))) {
    return absl::InvalidArgumentError("first 17 characters must be digits");
  }
  const char last = absl::ascii_toupper(static_cast<unsigned char>(text[17]));
  if (last != 'X' && !absl::ascii_isdigit(static_cast<unsigned char>(last))) {
    return absl::InvalidArgumentError("last character must be a digit or X");
  }
  absl::StatusOr<char> check = IdNumberCheckChar(text.substr(0, 17));
  if (!check.ok()) return check.status();
  if (*check != last) return absl::InvalidArgumentError("wrong check character");

  absl::CivilDay birth_date;
  if (!MakeDay(DigitsValue(text.substr(6, 4)), DigitsValue(text.substr(10, 2)),
               DigitsValue(text.substr(12, 2)), &birth_date)) {
    return absl::InvalidArgumentError("impossible birth date");
  }
  if (birth_date < kEarliestBirthDate) {
    return absl::InvalidArgumentError("birth date before 1900-01-01");
  }
  if (birth_date > today) return absl::InvalidArgumentError("birth date in the future");

  std::string value(text);
  value[17] = last;
  return IdNumber(std::move(value), birth_date);
}

absl::string_view IdNumber::address_code() const { return absl::string_view(value_).substr(0, 6); }

Sex IdNumber::sex() const { return (value_[16] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale; }

int AgeOn(absl::CivilDay birth, absl::CivilDay day) {
  if (day < birth) return 0;
  int years = static_cast<int>(day.year() - birth.year());
  // Not yet had this year's birthday: compare (month, day) pairs. A 29 February birthday in a
  // non-leap year is therefore reached on 1 March.
  if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) {
    --years;
  }
  return years;
}

int IdNumber::AgeOn(absl::CivilDay day) const { return civil::AgeOn(birth_date_, day); }

std::string IdNumber::Masked() const {
  return absl::StrCat(value_.substr(0, 6), "********", value_.substr(14, 4));
}

}  // namespace civil
