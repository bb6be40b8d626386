#include "services/common/id_number.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

constexpr absl::CivilDay kToday(2024, 6, 15);

// Completes 17 digits with the check character computed by the library.
std::string WithCheck(const std::string& first17) {
  absl::StatusOr<char> check = IdNumberCheckChar(first17);
  EXPECT_TRUE(check.ok()) << check.status();
  return first17 + (check.ok() ? *check : '?');
}

TEST(IdNumberCheckCharTest, MatchesHandComputedValues) {
  // 11010519491231002X is the standard's published example.
  EXPECT_EQ(*IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(*IdNumberCheckChar("34072219900101123"), '4');
  EXPECT_EQ(*IdNumberCheckChar("34072220000229002"), '3');
  EXPECT_EQ(*IdNumberCheckChar("34072219850315103"), 'X');
  EXPECT_EQ(*IdNumberCheckChar("34072219000101001"), '1');
}

TEST(IdNumberCheckCharTest, RejectsWrongShape) {
  EXPECT_EQ(IdNumberCheckChar("1101051949123100").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(IdNumberCheckChar("1101051949123100A").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IdNumberTest, ParsesPublishedExample) {
  absl::StatusOr<IdNumber> id = IdNumber::Parse("11010519491231002X", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->value(), "11010519491231002X");
  EXPECT_EQ(id->address_code(), "110105");
  EXPECT_EQ(id->birth_date(), absl::CivilDay(1949, 12, 31));
  EXPECT_EQ(id->sex(), Sex::kFemale);  // sequence 002 is even
  EXPECT_EQ(id->Masked(), "110105********002X");
}

TEST(IdNumberTest, ParsesCountyNumber) {
  absl::StatusOr<IdNumber> id = IdNumber::Parse("340722199001011234", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->address_code(), "340722");
  EXPECT_EQ(id->birth_date(), absl::CivilDay(1990, 1, 1));
  EXPECT_EQ(id->sex(), Sex::kMale);  // sequence 123 is odd
  EXPECT_EQ(id->Masked(), "340722********1234");
  EXPECT_EQ(id->AgeOn(kToday), 34);
}

TEST(IdNumberTest, AcceptsLowerCaseXAndStoresUpperCase) {
  absl::StatusOr<IdNumber> id = IdNumber::Parse("34072219850315103x", kToday);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->value(), "34072219850315103X");
  EXPECT_EQ(id->Masked(), "340722********103X");
  EXPECT_EQ(*id, *IdNumber::Parse("34072219850315103X", kToday));
}

TEST(IdNumberTest, RejectsWrongCheckCharacter) {
  absl::StatusOr<IdNumber> id = IdNumber::Parse("340722199001011235", kToday);
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(id.status().message(), "wrong check character");
  // An X where a digit belongs.
  EXPECT_EQ(IdNumber::Parse("34072219900101123X", kToday).status().message(),
            "wrong check character");
  // A digit where the X belongs.
  EXPECT_EQ(IdNumber::Parse("110105194912310020", kToday).status().message(),
            "wrong check character");
}

TEST(IdNumberTest, RejectsWrongShape) {
  EXPECT_EQ(IdNumber::Parse("", kToday).status().message(), "must be 18 characters");
  EXPECT_EQ(IdNumber::Parse("34072219900101123", kToday).status().message(),
            "must be 18 characters");
  EXPECT_EQ(IdNumber::Parse("3407221990010112345", kToday).status().message(),
            "must be 18 characters");
  // The old 15-digit numbers are not accepted.
  EXPECT_EQ(IdNumber::Parse("340722900101123", kToday).status().message(), "must be 18 characters");
  EXPECT_EQ(IdNumber::Parse("34072219900101A234", kToday).status().message(),
            "first 17 characters must be digits");
  EXPECT_EQ(IdNumber::Parse(" 34072219900101123", kToday).status().message(),
            "first 17 characters must be digits");
  EXPECT_EQ(IdNumber::Parse("34072219900101123Y", kToday).status().message(),
            "last character must be a digit or X");
}

TEST(IdNumberTest, FebruaryTwentyNinthOnlyInLeapYears) {
  // 2000 is a leap year (divisible by 400).
  absl::StatusOr<IdNumber> leap = IdNumber::Parse("340722200002290023", kToday);
  ASSERT_TRUE(leap.ok()) << leap.status();
  EXPECT_EQ(leap->birth_date(), absl::CivilDay(2000, 2, 29));
  EXPECT_EQ(leap->sex(), Sex::kFemale);

  // 1900 is not (divisible by 100, not by 400); 2023 is not.
  for (const char* first17 : {"34072219000229001", "34072220230229001"}) {
    absl::StatusOr<IdNumber> id = IdNumber::Parse(WithCheck(first17), kToday);
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << first17;
    EXPECT_EQ(id.status().message(), "impossible birth date") << first17;
  }
}

TEST(IdNumberTest, RejectsImpossibleDates) {
  for (const char* first17 : {"34072219901301001", "34072219900001001", "34072219900100001",
                              "34072219900431001", "34072219900230001"}) {
    EXPECT_EQ(IdNumber::Parse(WithCheck(first17), kToday).status().message(),
              "impossible birth date")
        << first17;
  }
}

TEST(IdNumberTest, BirthDateRange) {
  // Born today: accepted, age 0.
  absl::StatusOr<IdNumber> newborn = IdNumber::Parse(WithCheck("34072220240615001"), kToday);
  ASSERT_TRUE(newborn.ok()) << newborn.status();
  EXPECT_EQ(newborn->AgeOn(kToday), 0);

  EXPECT_EQ(IdNumber::Parse(WithCheck("34072220240616001"), kToday).status().message(),
            "birth date in the future");
  EXPECT_EQ(IdNumber::Parse(WithCheck("34072220300101001"), kToday).status().message(),
            "birth date in the future");

  EXPECT_TRUE(IdNumber::Parse("340722190001010011", kToday).ok());
  EXPECT_EQ(IdNumber::Parse(WithCheck("34072218991231001"), kToday).status().message(),
            "birth date before 1900-01-01");
}

TEST(IdNumberTest, DefaultTodayRejectsFarFuture) {
  EXPECT_EQ(IdNumber::Parse(WithCheck("34072229990101001")).status().message(),
            "birth date in the future");
  EXPECT_TRUE(IdNumber::Parse("340722199001011234").ok());
}

TEST(IdNumberTest, ErrorMessagesNeverContainTheNumber) {
  const std::string number = "340722199001011235";  // wrong check character
  for (const std::string& text : {number, number.substr(0, 17), WithCheck("34072220300101001"),
                                  WithCheck("34072219900230001")}) {
    absl::Status status = IdNumber::Parse(text, kToday).status();
    ASSERT_FALSE(status.ok());
    EXPECT_FALSE(absl::StrContains(status.message(), text.substr(0, 14))) << status;
    EXPECT_FALSE(absl::StrContains(status.message(), text.substr(6, 8))) << status;
  }
}

TEST(IdNumberTest, AgeOnCountsCompletedYears) {
  absl::StatusOr<IdNumber> id = IdNumber::Parse("340722199001011234", kToday);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->AgeOn(absl::CivilDay(1990, 1, 1)), 0);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(1990, 12, 31)), 0);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(1991, 1, 1)), 1);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2049, 12, 31)), 59);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2050, 1, 1)), 60);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(1989, 12, 31)), 0);  // before birth

  absl::StatusOr<IdNumber> mid_year = IdNumber::Parse(WithCheck("34072219640615001"), kToday);
  ASSERT_TRUE(mid_year.ok());
  EXPECT_EQ(mid_year->AgeOn(absl::CivilDay(2024, 6, 14)), 59);
  EXPECT_EQ(mid_year->AgeOn(absl::CivilDay(2024, 6, 15)), 60);  // the birthday counts
  EXPECT_EQ(mid_year->AgeOn(absl::CivilDay(2024, 7, 1)), 60);
  EXPECT_EQ(mid_year->AgeOn(absl::CivilDay(2024, 5, 31)), 59);
}

TEST(IdNumberTest, AgeOnForLeapDayBirth) {
  absl::StatusOr<IdNumber> id = IdNumber::Parse("340722200002290023", kToday);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2001, 2, 28)), 0);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2001, 3, 1)), 1);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2018, 2, 28)), 17);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2018, 3, 1)), 18);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2024, 2, 28)), 23);
  EXPECT_EQ(id->AgeOn(absl::CivilDay(2024, 2, 29)), 24);
}

TEST(DayTest, FormatDay) {
  EXPECT_EQ(FormatDay(absl::CivilDay(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(FormatDay(absl::CivilDay(1949, 10, 1)), "1949-10-01");
  EXPECT_EQ(FormatDay(absl::CivilDay(987, 1, 5)), "0987-01-05");
}

TEST(DayTest, ParseDayAcceptsRealDates) {
  EXPECT_EQ(*ParseDay("2024-02-29"), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(*ParseDay("2023-12-31"), absl::CivilDay(2023, 12, 31));
  EXPECT_EQ(*ParseDay("2000-01-01"), absl::CivilDay(2000, 1, 1));
}

TEST(DayTest, ParseDayIsStrict) {
  for (const char* text :
       {"2023-02-29", "2023-02-30", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00",
        "2023-1-01", "2023-01-1", "2023/01/01", "20230101", " 2023-01-01", "2023-01-01 ",
        "2023-01-01T00", "+023-01-01", "2023-+1-01", ""}) {
    absl::StatusOr<absl::CivilDay> day = ParseDay(text);
    EXPECT_EQ(day.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

TEST(DayTest, TodayIsChinaDate) {
  const absl::CivilDay expected = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
  const absl::CivilDay today = Today();
  // Allow for midnight passing between the two calls.
  EXPECT_TRUE(today == expected || today == expected + 1) << FormatDay(today);
}

}  // namespace
}  // namespace civil
