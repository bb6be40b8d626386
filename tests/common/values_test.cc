#include "services/common/values.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "services/common/enrolment_fact.h"

namespace civil {
namespace {

constexpr absl::CivilDay kToday(2024, 6, 15);

void ExpectInvalid(const absl::Status& status, const std::string& message) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(status.message(), message);
}

// --- Dates -----------------------------------------------------------------------------------

TEST(EventDateTest, EmptyMeansToday) {
  absl::StatusOr<absl::CivilDay> day = EventDate("decided_on", "", kToday);
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, kToday);
}

TEST(EventDateTest, AcceptsTodayAndThePast) {
  EXPECT_EQ(*EventDate("decided_on", "2024-06-15", kToday), kToday);
  EXPECT_EQ(*EventDate("decided_on", "2024-06-14", kToday), absl::CivilDay(2024, 6, 14));
  EXPECT_EQ(*EventDate("decided_on", "1999-01-31", kToday), absl::CivilDay(1999, 1, 31));
  EXPECT_EQ(*EventDate("decided_on", "2024-02-29", kToday), absl::CivilDay(2024, 2, 29));
}

TEST(EventDateTest, RefusesTheFuture) {
  ExpectInvalid(EventDate("decided_on", "2024-06-16", kToday).status(),
                "decided_on: must not be in the future (today is 2024-06-15)");
  ExpectInvalid(EventDate("steps[1].happened_on", "2030-01-01", kToday).status(),
                "steps[1].happened_on: must not be in the future (today is 2024-06-15)");
}

TEST(EventDateTest, MalformedNamesTheField) {
  ExpectInvalid(EventDate("decided_on", "2024-6-15", kToday).status(),
                "decided_on: must be a date written YYYY-MM-DD");
  ExpectInvalid(EventDate("decided_on", "2024/06/15", kToday).status(),
                "decided_on: must be a date written YYYY-MM-DD");
  ExpectInvalid(EventDate("decided_on", " 2024-06-15", kToday).status(),
                "decided_on: must be a date written YYYY-MM-DD");
  ExpectInvalid(EventDate("decided_on", "2023-02-29", kToday).status(),
                "decided_on: no such date on the calendar");
}

TEST(RequiredDateTest, RequiredAndParsed) {
  ExpectInvalid(RequiredDate("due_on", "").status(), "due_on: is required");
  ExpectInvalid(RequiredDate("due_on", "tomorrow").status(),
                "due_on: must be a date written YYYY-MM-DD");
  ExpectInvalid(RequiredDate("due_on", "2024-04-31").status(),
                "due_on: no such date on the calendar");
  EXPECT_EQ(*RequiredDate("due_on", "2024-03-01"), absl::CivilDay(2024, 3, 1));
}

TEST(RequiredDateTest, FutureDatesAreAllowed) {
  absl::StatusOr<absl::CivilDay> day = RequiredDate("due_on", "2999-12-31");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, absl::CivilDay(2999, 12, 31));
}

TEST(OptionalDateTest, EmptyIsNullopt) {
  absl::StatusOr<std::optional<absl::CivilDay>> day = OptionalDate("as_of", "");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_FALSE(day->has_value());
}

TEST(OptionalDateTest, ParsesOrNamesTheField) {
  absl::StatusOr<std::optional<absl::CivilDay>> day = OptionalDate("as_of", "2020-12-31");
  ASSERT_TRUE(day.ok()) << day.status();
  ASSERT_TRUE(day->has_value());
  EXPECT_EQ(**day, absl::CivilDay(2020, 12, 31));
  ExpectInvalid(OptionalDate("as_of", "20201231").status(),
                "as_of: must be a date written YYYY-MM-DD");
  ExpectInvalid(OptionalDate("as_of", "2020-13-01").status(),
                "as_of: no such date on the calendar");
}

// --- Months ----------------------------------------------------------------------------------

TEST(MonthTest, ParseMonth) {
  EXPECT_EQ(*ParseMonth("2024-02"), absl::CivilMonth(2024, 2));
  EXPECT_EQ(*ParseMonth("1999-12"), absl::CivilMonth(1999, 12));
  for (const char* bad : {"", "2024", "2024-2", "2024-13", "2024-00", "2024/02", "2024-02-01",
                          "24-02", "abcd-ef", " 2024-02"}) {
    absl::StatusOr<absl::CivilMonth> month = ParseMonth(bad);
    ExpectInvalid(month.status(), "must be a month written YYYY-MM");
  }
}

TEST(MonthTest, FormatMonth) {
  EXPECT_EQ(FormatMonth(absl::CivilMonth(2024, 2)), "2024-02");
  EXPECT_EQ(FormatMonth(absl::CivilMonth(2023, 12)), "2023-12");
  EXPECT_EQ(FormatMonth(absl::CivilMonth(987, 1)), "0987-01");
}

TEST(MonthTest, ParseFormatRoundTrip) {
  for (int m = 1; m <= 12; ++m) {
    const absl::CivilMonth month(2025, m);
    EXPECT_EQ(*ParseMonth(FormatMonth(month)), month);
  }
}

TEST(MonthTest, MonthOrNoneReadsLenientlyWhatAnotherSystemSent) {
  EXPECT_EQ(MonthOrNone("2023-07"), absl::CivilMonth(2023, 7));
  EXPECT_EQ(MonthOrNone(""), std::nullopt);
  EXPECT_EQ(MonthOrNone("2023-13"), std::nullopt);
  EXPECT_EQ(MonthOrNone("2023-07-01"), std::nullopt);
}

TEST(MonthTest, RequiredMonth) {
  ExpectInvalid(RequiredMonth("month", "").status(), "month: is required");
  ExpectInvalid(RequiredMonth("month", "2024-13").status(),
                "month: must be a month written YYYY-MM");
  ExpectInvalid(RequiredMonth("month", "2024-06-01").status(),
                "month: must be a month written YYYY-MM");
  EXPECT_EQ(*RequiredMonth("month", "2024-06"), absl::CivilMonth(2024, 6));
}

TEST(MonthTest, OptionalMonth) {
  absl::StatusOr<std::optional<absl::CivilMonth>> none = OptionalMonth("from_month", "");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());

  absl::StatusOr<std::optional<absl::CivilMonth>> some = OptionalMonth("from_month", "2024-01");
  ASSERT_TRUE(some.ok()) << some.status();
  ASSERT_TRUE(some->has_value());
  EXPECT_EQ(**some, absl::CivilMonth(2024, 1));

  ExpectInvalid(OptionalMonth("from_month", "2024-1").status(),
                "from_month: must be a month written YYYY-MM");
}

// --- Text ------------------------------------------------------------------------------------

TEST(CharCountTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CharCount(""), 0);
  EXPECT_EQ(CharCount("abc"), 3);
  EXPECT_EQ(CharCount("a b"), 3);
  EXPECT_EQ(std::string("枞阳镇").size(), 9u);
  EXPECT_EQ(CharCount("枞阳镇"), 3);
  EXPECT_EQ(CharCount("枞阳县 Zongyang"), 12);
  EXPECT_EQ(CharCount("é"), 1);                 // 2 bytes
  EXPECT_EQ(CharCount("\xF0\x9F\x98\x80"), 1);  // U+1F600, 4 bytes
  EXPECT_EQ(CharCount("\xF4\x8F\xBF\xBF"), 1);  // U+10FFFF, the last code point
  EXPECT_EQ(CharCount("~"), 1);                 // 0x7e, the last printable ASCII
}

TEST(CharCountTest, RejectsControlCharacters) {
  EXPECT_EQ(CharCount("a\tb"), -1);
  EXPECT_EQ(CharCount("a\nb"), -1);
  EXPECT_EQ(CharCount("a\rb"), -1);
  EXPECT_EQ(CharCount(std::string("a\0b", 3)), -1);
  EXPECT_EQ(CharCount("\x1f"), -1);
  EXPECT_EQ(CharCount("\x7f"), -1);  // DEL
}

TEST(CharCountTest, RejectsC1ControlCharacters) {
  EXPECT_EQ(CharCount("\xC2\x80"), -1);  // U+0080
  EXPECT_EQ(CharCount("a\xC2\x85"
                      "b"),
            -1);                         // U+0085 NEXT LINE
  EXPECT_EQ(CharCount("\xC2\x9F"), -1);  // U+009F
  EXPECT_EQ(CharCount("\xC2\xA0"), 1);   // U+00A0 no-break space is not a control character
}

TEST(CharCountTest, RejectsMalformedUtf8) {
  EXPECT_EQ(CharCount("\xE6\x9E"), -1);  // truncated 3-byte sequence
  EXPECT_EQ(CharCount("abc\xE6"), -1);   // truncated at the end
  EXPECT_EQ(CharCount("\x80"), -1);      // stray continuation byte
  EXPECT_EQ(CharCount("\xE6\x9E"
                      "a"),
            -1);                                     // continuation byte missing
  EXPECT_EQ(CharCount("\xFF"), -1);                  // never valid
  EXPECT_EQ(CharCount("\xF8\x88\x80\x80\x80"), -1);  // 5-byte form
}

TEST(CharCountTest, RejectsOverlongSurrogatesAndOutOfRange) {
  EXPECT_EQ(CharCount("\xC0\xAF"), -1);          // overlong '/'
  EXPECT_EQ(CharCount("\xC1\xBF"), -1);          // overlong U+007F
  EXPECT_EQ(CharCount("\xE0\x80\xAF"), -1);      // overlong '/' in 3 bytes
  EXPECT_EQ(CharCount("\xF0\x80\x80\xAF"), -1);  // overlong '/' in 4 bytes
  EXPECT_EQ(CharCount("\xED\xA0\x80"), -1);      // U+D800, a UTF-16 surrogate
  EXPECT_EQ(CharCount("\xED\xBF\xBF"), -1);      // U+DFFF
  EXPECT_EQ(CharCount("\xF4\x90\x80\x80"), -1);  // U+110000, beyond Unicode
  EXPECT_EQ(CharCount("\xF5\x80\x80\x80"), -1);  // lead byte beyond Unicode
  EXPECT_EQ(CharCount("\xED\x9F\xBF"), 1);       // U+D7FF, just below the surrogates
  EXPECT_EQ(CharCount("\xEE\x80\x80"), 1);       // U+E000, just above them
}

TEST(RequiredPeriodTest, BothEndsRequiredAndInOrder) {
  absl::StatusOr<Period> p = RequiredPeriod("2023-01-01", "2023-06-30");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->start, absl::CivilDay(2023, 1, 1));
  EXPECT_EQ(p->end, absl::CivilDay(2023, 6, 30));
  EXPECT_TRUE(RequiredPeriod("2023-06-30", "2023-06-30").ok());
  EXPECT_EQ(RequiredPeriod("", "2023-06-30").status().message(), "period_start: is required");
  EXPECT_EQ(RequiredPeriod("2023-01-01", "").status().message(), "period_end: is required");
  EXPECT_EQ(RequiredPeriod("2023-07-01", "2023-06-30").status().message(),
            "period_end: must not be before period_start");
  EXPECT_TRUE(absl::StartsWith(RequiredPeriod("2023-13-01", "2023-12-31").status().message(),
                               "period_start: "));
}

TEST(MonthNotAfterTodayTest, TheCurrentMonthIsTheLast) {
  EXPECT_TRUE(
      MonthNotAfterToday("month", absl::CivilMonth(2023, 7), absl::CivilDay(2023, 7, 1)).ok());
  EXPECT_TRUE(
      MonthNotAfterToday("month", absl::CivilMonth(2022, 12), absl::CivilDay(2023, 7, 1)).ok());
  EXPECT_EQ(
      MonthNotAfterToday("month", absl::CivilMonth(2023, 8), absl::CivilDay(2023, 7, 31)).message(),
      "month: must not be after the current month 2023-07");
}

TEST(RequiredIdNumberTest, NamesTheFieldNeverTheNumber) {
  EXPECT_EQ(RequiredIdNumber("id_number", "", absl::CivilDay(2023, 7, 1)).status().message(),
            "id_number: is required");
  absl::StatusOr<IdNumber> bad =
      RequiredIdNumber("guardian.id_number", "34072219500301001X", absl::CivilDay(2023, 7, 1));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "guardian.id_number: "));
  EXPECT_EQ(bad.status().message().find("34072219500301001X"), std::string::npos);
}

TEST(BoundedTextTest, StripsSurroundingSpaces) {
  EXPECT_EQ(*BoundedText("name", "  张三  ", 10), "张三");
  EXPECT_EQ(*BoundedText("name", "\t张三\n", 10), "张三");
  EXPECT_EQ(*BoundedText("name", "张 三", 10), "张 三");
}

TEST(BoundedTextTest, LineBreaksOnlyWhereTheFieldTakesManyLines) {
  EXPECT_EQ(BoundedText("name", "张\n三", 10).status().message(),
            "name: must be text without control characters");
  EXPECT_EQ(*BoundedText("note", "入户核查:\n\t收入属实\r\n", 20, true, TextLines::kMany),
            "入户核查:\n\t收入属实");
  // Other control characters stay refused in notes too.
  EXPECT_EQ(BoundedText("note", "a\x01b", 20, true, TextLines::kMany).status().message(),
            "note: must be text without control characters");
  EXPECT_EQ(CharCount("a\nb"), -1);
  EXPECT_EQ(CharCount("a\nb", /*multiline=*/true), 3);
}

TEST(RequiredTextTest, AMissingValueGetsTheMessageOfTheDecision) {
  EXPECT_EQ(
      RequiredText("reason", "  ", 100, "a rejection needs a written reason").status().message(),
      "reason: a rejection needs a written reason");
  EXPECT_EQ(*RequiredText("reason", " 收入超标 ", 100, "a rejection needs a written reason"),
            "收入超标");
  EXPECT_EQ(RequiredText("reason", "太长了", 2, "x").status().message(),
            "reason: must be at most 2 characters");
}

TEST(BoundedTextTest, StripsIdeographicSpaces) {
  // U+3000, the space a Chinese input method types, around and mixed with ASCII spaces.
  EXPECT_EQ(*BoundedText("name", "\u3000张三\u3000", 10), "张三");
  EXPECT_EQ(*BoundedText("name", " \u3000 张三 \u3000\u3000", 2), "张三");
  EXPECT_EQ(*BoundedText("name", "张\u3000三", 10), "张\u3000三");
  EXPECT_EQ(BoundedText("name", "\u3000\u3000", 10).status().message(), "name: is required");
}

TEST(BoundedTextTest, CountsCharactersNotBytes) {
  const std::string ten = "安徽省铜陵市枞阳县城";  // 10 characters, 30 bytes
  ASSERT_EQ(ten.size(), 30u);
  absl::StatusOr<std::string> text = BoundedText("address", ten, 10);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, ten);

  ExpectInvalid(BoundedText("address", ten + "关", 10).status(),
                "address: must be at most 10 characters");
  ExpectInvalid(BoundedText("note", "abcdef", 5).status(), "note: must be at most 5 characters");
  EXPECT_EQ(*BoundedText("note", "abcde", 5), "abcde");
  // Spaces stripped before counting.
  EXPECT_EQ(*BoundedText("note", "   abcde   ", 5), "abcde");
}

TEST(BoundedTextTest, RequiredOrOptional) {
  ExpectInvalid(BoundedText("name", "", 10).status(), "name: is required");
  ExpectInvalid(BoundedText("name", "    ", 10).status(), "name: is required");
  ExpectInvalid(BoundedText("name", "", 10, /*required=*/true).status(), "name: is required");

  absl::StatusOr<std::string> empty = BoundedText("remark", "   ", 10, /*required=*/false);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, "");
  EXPECT_EQ(*BoundedText("remark", " ok ", 10, /*required=*/false), "ok");
  ExpectInvalid(BoundedText("remark", "12345678901", 10, /*required=*/false).status(),
                "remark: must be at most 10 characters");
}

TEST(BoundedTextTest, RejectsControlCharactersAndBadUtf8) {
  ExpectInvalid(BoundedText("reason", "line one\nline two", 100).status(),
                "reason: must be text without control characters");
  ExpectInvalid(BoundedText("reason", "a\tb", 100).status(),
                "reason: must be text without control characters");
  ExpectInvalid(BoundedText("reason", "\xE6\x9E", 100).status(),
                "reason: must be text without control characters");
  ExpectInvalid(BoundedText("reason", "bad\xFF", 100, /*required=*/false).status(),
                "reason: must be text without control characters");
}

// --- UUIDs -----------------------------------------------------------------------------------

TEST(UuidTest, IsUuid) {
  EXPECT_TRUE(IsUuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(IsUuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("123e4567e89b12d3a456426614174000"));       // no hyphens
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400"));    // 35 characters
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-4266141740000"));  // 37 characters
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400g"));   // not hex
  EXPECT_FALSE(IsUuid("123e4567-e89b12d3--a456-426614174000"));   // hyphen misplaced
  EXPECT_FALSE(IsUuid("{23e4567-e89b-12d3-a456-426614174000}"));
}

TEST(UuidTest, RequireUuid) {
  EXPECT_TRUE(RequireUuid("household_id", "123e4567-e89b-12d3-a456-426614174000").ok());
  ExpectInvalid(RequireUuid("household_id", ""), "household_id: is required");
  ExpectInvalid(RequireUuid("household_id", "42"), "household_id: must be a UUID");
}

// --- Regions ---------------------------------------------------------------------------------

TEST(RegionOfTest, AcceptsTheLevelsAsked) {
  absl::StatusOr<RegionCode> county =
      RegionOf("region_code", "340722", {RegionCode::Level::kCounty});
  ASSERT_TRUE(county.ok()) << county.status();
  EXPECT_EQ(county->value(), "340722");
  EXPECT_EQ(county->level(), RegionCode::Level::kCounty);

  absl::StatusOr<RegionCode> village = RegionOf(
      "region_code", "340722100001", {RegionCode::Level::kTownship, RegionCode::Level::kVillage});
  ASSERT_TRUE(village.ok()) << village.status();
  EXPECT_EQ(village->value(), "340722100001");
  EXPECT_EQ(village->level(), RegionCode::Level::kVillage);
}

TEST(RegionOfTest, RefusesOtherLevelsNamingFieldAndLevels) {
  ExpectInvalid(RegionOf("region_code", "340722", {RegionCode::Level::kVillage}).status(),
                "region_code: must be a 12-digit region code");
  ExpectInvalid(RegionOf("township", "340722100001",
                         {RegionCode::Level::kCounty, RegionCode::Level::kTownship})
                    .status(),
                "township: must be a 6/9-digit region code");
  ExpectInvalid(RegionOf("region_code", "34072", {RegionCode::Level::kCounty}).status(),
                "region_code: must be a 6-digit region code");
  ExpectInvalid(RegionOf("region_code", "34072a", {RegionCode::Level::kCounty}).status(),
                "region_code: must be a 6-digit region code");
  ExpectInvalid(RegionOf("region_code", "", {RegionCode::Level::kCounty}).status(),
                "region_code: is required");
}

TEST(NonEmptyPrefixTest, SixNineOrTwelveDigits) {
  EXPECT_EQ(NonEmptyPrefix("region_prefix", "340722")->value(), "340722");
  EXPECT_EQ(NonEmptyPrefix("region_prefix", "340722100")->value(), "340722100");
  EXPECT_EQ(NonEmptyPrefix("region_prefix", "340722100001")->value(), "340722100001");
  ExpectInvalid(NonEmptyPrefix("region_prefix", "").status(), "region_prefix: is required");
  ExpectInvalid(NonEmptyPrefix("region_prefix", "3407").status(),
                "region_prefix: must be a 6/9/12-digit region code");
}

// --- Money -----------------------------------------------------------------------------------

TEST(RequireAmountTest, NonNegativeOrPositive) {
  EXPECT_TRUE(RequireAmount("amount_fen", 0).ok());
  EXPECT_TRUE(RequireAmount("amount_fen", 12345).ok());
  EXPECT_TRUE(RequireAmount("amount_fen", 1, /*positive=*/true).ok());
  ExpectInvalid(RequireAmount("amount_fen", -1), "amount_fen: must not be negative");
  ExpectInvalid(RequireAmount("amount_fen", -1, /*positive=*/true),
                "amount_fen: must not be negative");
  ExpectInvalid(RequireAmount("amount_fen", 0, /*positive=*/true),
                "amount_fen: must be more than 0");
}

// --- Enumerations ----------------------------------------------------------------------------

constexpr absl::string_view kColourList[] = {"", "RED", "GREEN", "BLUE"};
constexpr EnumNames kColours{kColourList};

TEST(EnumNamesTest, NameAndValue) {
  EXPECT_EQ(kColours.Name(1), "RED");
  EXPECT_EQ(kColours.Name(3), "BLUE");
  EXPECT_EQ(kColours.Name(0), "");
  EXPECT_EQ(kColours.Name(4), "");
  EXPECT_EQ(kColours.Name(-1), "");
  EXPECT_EQ(kColours.Value("RED"), 1);
  EXPECT_EQ(kColours.Value("GREEN"), 2);
  EXPECT_EQ(kColours.Value("BLUE"), 3);
  EXPECT_EQ(kColours.Value("blue"), 0);
  EXPECT_EQ(kColours.Value(""), 0);  // names[0] is unused
  EXPECT_EQ(kColours.Value("PURPLE"), 0);
  for (int v = 1; v <= 3; ++v) EXPECT_EQ(kColours.Value(kColours.Name(v)), v);
}

TEST(EnumNamesTest, Valid) {
  EXPECT_FALSE(kColours.Valid(0));
  EXPECT_TRUE(kColours.Valid(1));
  EXPECT_TRUE(kColours.Valid(3));
  EXPECT_FALSE(kColours.Valid(4));
  EXPECT_FALSE(kColours.Valid(-2));
}

TEST(EnumNamesTest, Require) {
  EXPECT_TRUE(kColours.Require("colour", 2).ok());
  ExpectInvalid(kColours.Require("colour", 0), "colour: is required");
  ExpectInvalid(kColours.Require("colour", 4), "colour: unknown value 4");
  ExpectInvalid(kColours.Require("colour", -7), "colour: unknown value -7");
}

}  // namespace
}  // namespace civil

namespace civil {
namespace {

TEST(PaidSpanTest, PaysFromItsStartToTheMonthBeforeItsEnd) {
  const PaidSpan running{"ACTIVE", absl::CivilMonth(2023, 3), std::nullopt};
  EXPECT_FALSE(running.PaysIn(absl::CivilMonth(2023, 2)));
  EXPECT_TRUE(running.PaysIn(absl::CivilMonth(2023, 3)));
  EXPECT_FALSE(running.LastPaidMonth().has_value());
  const PaidSpan stopped{"STOPPED", absl::CivilMonth(2023, 3), absl::CivilMonth(2023, 7)};
  EXPECT_TRUE(stopped.PaysIn(absl::CivilMonth(2023, 6)));
  EXPECT_FALSE(stopped.PaysIn(absl::CivilMonth(2023, 7)));
  EXPECT_EQ(stopped.LastPaidMonth(), absl::CivilMonth(2023, 6));
  const PaidSpan pending{"PENDING", absl::CivilMonth(2023, 3), std::nullopt};
  EXPECT_FALSE(pending.PaysIn(absl::CivilMonth(2023, 4)));
}

}  // namespace
}  // namespace civil
