#include "services/common/values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil {

int CharCount(absl::string_view text, bool multiline) {
  // The smallest code point each sequence length may encode (shorter forms are overlong).
  static constexpr uint32_t kMinCodePoint[] = {0, 0, 0x80, 0x800, 0x10000};
  int count = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > text.size()) return -1;
    uint32_t code_point = len == 1 ? c : c & (0x7f >> len);
    for (int k = 1; k < len; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) return -1;
      code_point = (code_point << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values beyond U+10FFFF are not valid UTF-8.
    if (code_point < kMinCodePoint[len] || code_point > 0x10ffff ||
        (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return -1;
    }
    // Control characters: C0 (tab and line breaks included unless `multiline`), DEL and C1.
    const bool line_break = code_point == '\n' || code_point == '\r' || code_point == '\t';
    if ((code_point < 0x20 && !(multiline && line_break)) ||
        (code_point >= 0x7f && code_point <= 0x9f)) {
      return -1;
    }
    i += len;
    ++count;
  }
  return count;
}

absl::StatusOr<Period> RequiredPeriod(absl::string_view period_start,
                                      absl::string_view period_end) {
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay start, RequiredDate("period_start", period_start));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay end, RequiredDate("period_end", period_end));
  if (end < start) return InvalidField("period_end", "must not be before period_start");
  return Period{start, end};
}

absl::Status MonthNotAfterToday(absl::string_view field, absl::CivilMonth month,
                                absl::CivilDay today) {
  if (month > absl::CivilMonth(today)) {
    return InvalidField(field, absl::StrCat("must not be after the current month ",
                                            FormatMonth(absl::CivilMonth(today))));
  }
  return absl::OkStatus();
}

absl::StatusOr<IdNumber> RequiredIdNumber(absl::string_view field, absl::string_view text,
                                          absl::CivilDay today) {
  if (text.empty()) return InvalidField(field, "is required");
  absl::StatusOr<IdNumber> id = IdNumber::Parse(text, today);
  if (!id.ok()) return AnnotateField(field, id.status());
  return id;
}

absl::StatusOr<absl::CivilDay> EventDate(absl::string_view field, absl::string_view text,
                                         absl::CivilDay today) {
  if (text.empty()) return today;
  absl::StatusOr<absl::CivilDay> day = ParseDay(text);
  if (!day.ok()) return InvalidField(field, day.status().message());
  if (*day > today) {
    return InvalidField(
        field, absl::StrCat("must not be in the future (today is ", FormatDay(today), ")"));
  }
  return *day;
}

absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(absl::string_view field,
                                                           absl::string_view text) {
  if (text.empty()) return std::optional<absl::CivilDay>();
  absl::StatusOr<absl::CivilDay> day = ParseDay(text);
  if (!day.ok()) return InvalidField(field, day.status().message());
  return std::optional<absl::CivilDay>(*day);
}

absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text) {
  if (text.size() == 7) {
    absl::StatusOr<absl::CivilDay> day = ParseDay(absl::StrCat(text, "-01"));
    if (day.ok()) return absl::CivilMonth(*day);
  }
  return absl::InvalidArgumentError("must be a month written YYYY-MM");
}

std::optional<absl::CivilMonth> MonthOrNone(absl::string_view text) {
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(text);
  if (!month.ok()) return std::nullopt;
  return *month;
}

absl::StatusOr<absl::CivilDay> RequiredDate(absl::string_view field, absl::string_view text) {
  if (text.empty()) return InvalidField(field, "is required");
  absl::StatusOr<absl::CivilDay> day = ParseDay(text);
  if (!day.ok()) return InvalidField(field, day.status().message());
  return *day;
}

absl::StatusOr<absl::CivilMonth> RequiredMonth(absl::string_view field, absl::string_view text) {
  if (text.empty()) return InvalidField(field, "is required");
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(text);
  if (!month.ok()) return InvalidField(field, month.status().message());
  return *month;
}

absl::StatusOr<std::optional<absl::CivilMonth>> OptionalMonth(absl::string_view field,
                                                              absl::string_view text) {
  if (text.empty()) return std::optional<absl::CivilMonth>();
  absl::StatusOr<absl::CivilMonth> month = RequiredMonth(field, text);
  if (!month.ok()) return month.status();
  return std::optional<absl::CivilMonth>(*month);
}

std::string FormatMonth(absl::CivilMonth month) {
  return FormatDay(absl::CivilDay(month)).substr(0, 7);
}

absl::StatusOr<std::string> BoundedText(absl::string_view field, absl::string_view text,
                                        int max_chars, bool required, TextLines lines) {
  // ASCII spaces and the ideographic space U+3000 (what a Chinese input method types).
  absl::string_view stripped = absl::StripAsciiWhitespace(text);
  constexpr absl::string_view kIdeographicSpace = "\xe3\x80\x80";
  while (absl::ConsumePrefix(&stripped, kIdeographicSpace) ||
         absl::ConsumeSuffix(&stripped, kIdeographicSpace)) {
    stripped = absl::StripAsciiWhitespace(stripped);
  }
  const int chars = CharCount(stripped, lines == TextLines::kMany);
  if (chars < 0) return InvalidField(field, "must be text without control characters");
  if (chars == 0 && required) return InvalidField(field, "is required");
  if (chars > max_chars) {
    return InvalidField(field, absl::StrCat("must be at most ", max_chars, " characters"));
  }
  return std::string(stripped);
}

absl::StatusOr<std::string> RequiredText(absl::string_view field, absl::string_view text,
                                         int max_chars, absl::string_view missing,
                                         TextLines lines) {
  CIVIL_ASSIGN_OR_RETURN(std::string value, BoundedText(field, text, max_chars, false, lines));
  if (value.empty()) return InvalidField(field, missing);
  return value;
}

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (!absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

absl::Status RequireUuid(absl::string_view field, absl::string_view text) {
  if (text.empty()) return InvalidField(field, "is required");
  if (!IsUuid(text)) return InvalidField(field, "must be a UUID");
  return absl::OkStatus();
}

absl::StatusOr<RegionCode> RegionOf(absl::string_view field, absl::string_view text,
                                    std::vector<RegionCode::Level> levels) {
  std::vector<int> digits;
  for (RegionCode::Level level : levels) digits.push_back(static_cast<int>(level));
  const std::string expected =
      absl::StrCat("must be a ", absl::StrJoin(digits, "/"), "-digit region code");
  if (text.empty()) return InvalidField(field, "is required");
  absl::StatusOr<RegionCode> region = RegionCode::Parse(text);
  if (!region.ok()) return InvalidField(field, expected);
  for (RegionCode::Level level : levels) {
    if (region->level() == level) return *region;
  }
  return InvalidField(field, expected);
}

absl::StatusOr<RegionCode> NonEmptyPrefix(absl::string_view field, absl::string_view text) {
  return RegionOf(
      field, text,
      {RegionCode::Level::kCounty, RegionCode::Level::kTownship, RegionCode::Level::kVillage});
}

absl::Status RequireAmount(absl::string_view field, int64_t fen, bool positive) {
  if (fen < 0) return InvalidField(field, "must not be negative");
  if (positive && fen == 0) return InvalidField(field, "must be more than 0");
  return absl::OkStatus();
}

absl::Status EnumNames::Require(absl::string_view field, int value) const {
  if (value == 0) return InvalidField(field, "is required");
  if (!Valid(value)) return InvalidField(field, absl::StrCat("unknown value ", value));
  return absl::OkStatus();
}

absl::string_view EnumNames::Name(int value) const {
  return Valid(value) ? names_[value] : absl::string_view();
}

int EnumNames::Value(absl::string_view name) const {
  for (size_t i = 1; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return 0;
}

}  // namespace civil
