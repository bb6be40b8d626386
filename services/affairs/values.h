// Values every part of the social affairs department validates the same way (pure C++): the date
// a record or step happened, months, bounded text, UUIDs, region codes, and the stable names of
// enumerations stored in the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "services/common/region_code.h"

namespace civil::affairs {

// The date a record or step happened, as the client wrote it in `field`: empty means `today`;
// otherwise `YYYY-MM-DD`, never after `today`. INVALID_ARGUMENT "<field>: …" otherwise.
absl::StatusOr<absl::CivilDay> EventDate(absl::string_view field, absl::string_view text,
                                         absl::CivilDay today);

// An optional `YYYY-MM-DD` (empty → nullopt, e.g. a list filter or an `as_of`). INVALID_ARGUMENT
// naming `field` when malformed.
absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(absl::string_view field,
                                                           absl::string_view text);

// `YYYY-MM` ⇄ absl::CivilMonth. ParseMonth: INVALID_ARGUMENT "must be a month written YYYY-MM".
absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text);
std::string FormatMonth(absl::CivilMonth month);

// Free text of `field`, surrounding spaces stripped: 1 to `max_chars` characters (0 allowed
// unless `required`), valid UTF-8 without control characters. INVALID_ARGUMENT naming the field.
absl::StatusOr<std::string> BoundedText(absl::string_view field, absl::string_view text,
                                        int max_chars, bool required = true);

// Whether `text` is a canonical UUID (8-4-4-4-12 hex digits).
bool IsUuid(absl::string_view text);
// INVALID_ARGUMENT "<field>: is required" / "<field>: must be a UUID" unless `text` is a UUID.
absl::Status RequireUuid(absl::string_view field, absl::string_view text);

// A region code of `field` of one of `levels`. INVALID_ARGUMENT naming the field and the levels.
absl::StatusOr<RegionCode> RegionOf(absl::string_view field, absl::string_view text,
                                    std::vector<RegionCode::Level> levels);

// A region prefix that must not be empty (fee schedules, standards): 6, 9 or 12 digits.
absl::StatusOr<RegionCode> NonEmptyPrefix(absl::string_view field, absl::string_view text);

// Stable names of an enumeration numbered 1..N like its contract counterpart; names[0] is unused.
class EnumNames {
 public:
  constexpr explicit EnumNames(absl::Span<const absl::string_view> names) : names_(names) {}
  // The name of `value`, or "" when out of range.
  absl::string_view Name(int value) const;
  // The number of `name`, or 0 when unknown.
  int Value(absl::string_view name) const;
  // Whether `value` is a defined (non-zero) member.
  bool Valid(int value) const { return value > 0 && value < static_cast<int>(names_.size()); }

 private:
  absl::Span<const absl::string_view> names_;
};

}  // namespace civil::affairs
