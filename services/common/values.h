// Values every department validates the same way (pure C++ on Abseil): the date a record or step
// happened, months, bounded free text, UUIDs, region codes, and the stable names of enumerations
// stored in the database. Every function takes the request field's name first and names it in its
// INVALID_ARGUMENT message; lengths count characters (UTF-8 code points), never bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"

namespace civil {

// The date a record or step happened, as the client wrote it in `field`: empty means `today`;
// otherwise `YYYY-MM-DD`, never after `today`. INVALID_ARGUMENT "<field>: …" otherwise.
absl::StatusOr<absl::CivilDay> EventDate(absl::string_view field, absl::string_view text,
                                         absl::CivilDay today);

// A required `YYYY-MM-DD` of `field` (a due date, a birth date): INVALID_ARGUMENT "<field>: is
// required" when empty, naming the field when malformed. Future dates are allowed.
absl::StatusOr<absl::CivilDay> RequiredDate(absl::string_view field, absl::string_view text);

// An optional `YYYY-MM-DD` (empty → nullopt, e.g. a list filter or an `as_of`). INVALID_ARGUMENT
// naming `field` when malformed.
absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(absl::string_view field,
                                                           absl::string_view text);

// `YYYY-MM` ⇄ absl::CivilMonth. ParseMonth: INVALID_ARGUMENT "must be a month written YYYY-MM"
// (no field name: for parsers whose caller names the field, as ParseDay).
absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text);
std::string FormatMonth(absl::CivilMonth month);
// A month another system sent, read leniently: `YYYY-MM`, or nullopt when empty or malformed.
std::optional<absl::CivilMonth> MonthOrNone(absl::string_view text);

// A required month of `field`: INVALID_ARGUMENT "<field>: is required" / "<field>: must be a
// month written YYYY-MM".
absl::StatusOr<absl::CivilMonth> RequiredMonth(absl::string_view field, absl::string_view text);

// An optional month of `field` (empty → nullopt).
absl::StatusOr<std::optional<absl::CivilMonth>> OptionalMonth(absl::string_view field,
                                                              absl::string_view text);

// A period of days, both ends included, from a request's `period_start` and `period_end` (both
// required, `YYYY-MM-DD`): INVALID_ARGUMENT naming the field that is missing or malformed, and
// "period_end: must not be before period_start".
struct Period {
  absl::CivilDay start;
  absl::CivilDay end;
};
absl::StatusOr<Period> RequiredPeriod(absl::string_view period_start, absl::string_view period_end);

// A month a monthly run may pay: not after the month of `today`. INVALID_ARGUMENT "<field>: must
// not be after the current month YYYY-MM" otherwise.
absl::Status MonthNotAfterToday(absl::string_view field, absl::CivilMonth month,
                                absl::CivilDay today);

// A resident ID number of `field` (GB 11643, check character, birth date not after `today`):
// INVALID_ARGUMENT "<field>: is required" or "<field>: <what is wrong>" (never the number).
absl::StatusOr<IdNumber> RequiredIdNumber(absl::string_view field, absl::string_view text,
                                          absl::CivilDay today);

// The number of UTF-8 code points of `text`, or -1 when it is not valid UTF-8 or holds control
// characters (C0, DEL, C1; tab and line breaks too unless `multiline`).
int CharCount(absl::string_view text, bool multiline = false);

// Whether free text is one line (names, reasons, addresses) or may hold line breaks and tabs
// (notes, visit records, health records).
enum class TextLines { kOne, kMany };

// Free text of `field`, surrounding spaces (ASCII and the ideographic U+3000) stripped: 1 to
// `max_chars` characters (0 allowed unless `required`), valid UTF-8 without control characters
// (line breaks and tabs allowed with TextLines::kMany). INVALID_ARGUMENT naming the field: "is
// required", "must be text without control characters", "must be at most N characters".
absl::StatusOr<std::string> BoundedText(absl::string_view field, absl::string_view text,
                                        int max_chars, bool required = true,
                                        TextLines lines = TextLines::kOne);

// Like BoundedText(required), with the message a missing value gets, for text a decision needs:
// RequiredText("reason", r, 4000, "a rejection needs a written reason") → "reason: a rejection
// needs a written reason".
absl::StatusOr<std::string> RequiredText(absl::string_view field, absl::string_view text,
                                         int max_chars, absl::string_view missing,
                                         TextLines lines = TextLines::kOne);

// Whether `text` is a canonical UUID (8-4-4-4-12 hex digits).
bool IsUuid(absl::string_view text);
// INVALID_ARGUMENT "<field>: is required" / "<field>: must be a UUID" unless `text` is a UUID.
absl::Status RequireUuid(absl::string_view field, absl::string_view text);

// A region code of `field` of one of `levels`. INVALID_ARGUMENT naming the field and the levels.
absl::StatusOr<RegionCode> RegionOf(absl::string_view field, absl::string_view text,
                                    std::vector<RegionCode::Level> levels);

// A region prefix that must not be empty (fee schedules, standards): 6, 9 or 12 digits.
absl::StatusOr<RegionCode> NonEmptyPrefix(absl::string_view field, absl::string_view text);

// A non-negative amount of money in fen of `field`: INVALID_ARGUMENT "<field>: must not be
// negative"; with `positive`, "<field>: must be more than 0".
absl::Status RequireAmount(absl::string_view field, int64_t fen, bool positive = false);

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
  // INVALID_ARGUMENT "<field>: is required" for 0 and "<field>: unknown value N" outside 1..N.
  absl::Status Require(absl::string_view field, int value) const;

 private:
  absl::Span<const absl::string_view> names_;
};

}  // namespace civil
