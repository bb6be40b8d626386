#include "services/common/credit_code.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

TEST(CreditCodeCheckCharTest, MatchesHandComputedValues) {
  // 91350100M000100Y43 is the example the standard's explanatory material uses.
  EXPECT_EQ(*CreditCodeCheckChar("91350100M000100Y4"), '3');
  EXPECT_EQ(*CreditCodeCheckChar("51340722MJ1234567"), 'P');
  EXPECT_EQ(*CreditCodeCheckChar("53340722MJ000002P"), '3');
  EXPECT_EQ(*CreditCodeCheckChar("52340722MJ00000AB"), '9');
  // Sum divisible by 31: 31 - 0 = 31 becomes '0'.
  EXPECT_EQ(*CreditCodeCheckChar("51340722MJ0000000"), '0');
  // Lower case counts the same as upper case.
  EXPECT_EQ(*CreditCodeCheckChar("51340722mj1234567"), 'P');
}

TEST(CreditCodeCheckCharTest, RejectsBadInput) {
  EXPECT_EQ(CreditCodeCheckChar("51340722MJ123456").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreditCodeCheckChar("51340722MJ12345I7").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CreditCodeTest, ParsesCivilAffairsCode) {
  absl::StatusOr<CreditCode> code = CreditCode::Parse("51340722MJ1234567P");
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code->value(), "51340722MJ1234567P");
  EXPECT_EQ(code->registering_authority(), '5');
  EXPECT_EQ(code->registering_authority(), CreditCode::kCivilAffairs);
  EXPECT_EQ(code->kind(), '1');
  EXPECT_EQ(code->region_code(), "340722");
}

TEST(CreditCodeTest, ParsesOtherKindsAndAuthorities) {
  absl::StatusOr<CreditCode> foundation = CreditCode::Parse("53340722MJ000002P3");
  ASSERT_TRUE(foundation.ok()) << foundation.status();
  EXPECT_EQ(foundation->kind(), '3');

  absl::StatusOr<CreditCode> company = CreditCode::Parse("91350100M000100Y43");
  ASSERT_TRUE(company.ok()) << company.status();
  EXPECT_EQ(company->registering_authority(), '9');
  EXPECT_EQ(company->region_code(), "350100");

  EXPECT_TRUE(CreditCode::Parse("51340722MJ00000000").ok());
}

TEST(CreditCodeTest, AcceptsLowerCaseAndStoresUpperCase) {
  absl::StatusOr<CreditCode> code = CreditCode::Parse("52340722mj00000ab9");
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code->value(), "52340722MJ00000AB9");
  EXPECT_EQ(code->kind(), '2');
  EXPECT_EQ(*code, *CreditCode::Parse("52340722MJ00000AB9"));
}

TEST(CreditCodeTest, RejectsWrongCheckCharacter) {
  for (const char* text :
       {"51340722MJ1234567Q", "51340722MJ12345670", "91350100M000100Y44", "51340722MJ00000001"}) {
    absl::StatusOr<CreditCode> code = CreditCode::Parse(text);
    EXPECT_EQ(code.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(code.status().message(), "wrong check character") << text;
  }
  // A swap of two characters is caught.
  EXPECT_EQ(CreditCode::Parse("51340722MJ1234576P").status().message(), "wrong check character");
}

TEST(CreditCodeTest, RejectsWrongLength) {
  for (const char* text : {"", "51340722MJ1234567", "51340722MJ1234567P0"}) {
    EXPECT_EQ(CreditCode::Parse(text).status().message(), "must be 18 characters") << text;
  }
}

TEST(CreditCodeTest, RejectsCharactersOutsideAlphabet) {
  // I, O, S, V and Z are not in the alphabet, nor are punctuation and spaces.
  for (const char* text :
       {"51340722MJ123456IP", "51340722MJ123456OP", "51340722MJ123456SP", "51340722MJ123456VP",
        "51340722MJ123456ZP", "51340722MJ-234567P", "51340722MJ 234567P"}) {
    EXPECT_EQ(CreditCode::Parse(text).status().message(),
              "contains a character outside the code alphabet")
        << text;
  }
}

TEST(CreditCodeTest, RejectsNonDigitRegion) {
  const std::string first17 = "5134A722MJ1234567";
  const std::string text = first17 + *CreditCodeCheckChar(first17);
  EXPECT_EQ(CreditCode::Parse(text).status().message(),
            "positions 3-8 must be a 6-digit region code");
}

}  // namespace
}  // namespace civil
