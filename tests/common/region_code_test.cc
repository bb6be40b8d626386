#include "services/common/region_code.h"

#include <optional>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace civil {
namespace {

TEST(RegionCodeTest, ParsesEachLevel) {
  absl::StatusOr<RegionCode> county = RegionCode::Parse("340722");
  ASSERT_TRUE(county.ok()) << county.status();
  EXPECT_EQ(county->value(), "340722");
  EXPECT_EQ(county->level(), RegionCode::Level::kCounty);

  absl::StatusOr<RegionCode> township = RegionCode::Parse("340722100");
  ASSERT_TRUE(township.ok()) << township.status();
  EXPECT_EQ(township->level(), RegionCode::Level::kTownship);

  absl::StatusOr<RegionCode> village = RegionCode::Parse("340722100201");
  ASSERT_TRUE(village.ok()) << village.status();
  EXPECT_EQ(village->value(), "340722100201");
  EXPECT_EQ(village->level(), RegionCode::Level::kVillage);
}

TEST(RegionCodeTest, LevelValueIsDigitCount) {
  EXPECT_EQ(static_cast<int>(RegionCode::Level::kCounty), 6);
  EXPECT_EQ(static_cast<int>(RegionCode::Level::kTownship), 9);
  EXPECT_EQ(static_cast<int>(RegionCode::Level::kVillage), 12);
}

TEST(RegionCodeTest, RejectsOtherShapes) {
  for (const char* text : {"", "34", "34072", "3407221", "34072210", "3407221002", "34072210020",
                           "3407221002011", "34072a", "340722-100", " 340722", "３４０７２２"}) {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(text);
    EXPECT_EQ(code.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(code.status().message(), "must be 6, 9 or 12 digits") << text;
  }
}

TEST(RegionCodeTest, ParentWalksUpToCounty) {
  const RegionCode village = *RegionCode::Parse("340722100201");
  std::optional<RegionCode> township = village.Parent();
  ASSERT_TRUE(township.has_value());
  EXPECT_EQ(township->value(), "340722100");
  EXPECT_EQ(township->level(), RegionCode::Level::kTownship);

  std::optional<RegionCode> county = township->Parent();
  ASSERT_TRUE(county.has_value());
  EXPECT_EQ(county->value(), "340722");
  EXPECT_EQ(county->level(), RegionCode::Level::kCounty);

  EXPECT_FALSE(county->Parent().has_value());
}

TEST(RegionCodeTest, ContainsIsPrefixMatch) {
  const RegionCode county = *RegionCode::Parse("340722");
  const RegionCode township = *RegionCode::Parse("340722100");
  const RegionCode other_township = *RegionCode::Parse("340722101");
  const RegionCode village = *RegionCode::Parse("340722100201");
  const RegionCode other_county = *RegionCode::Parse("340723");

  EXPECT_TRUE(county.Contains(township));
  EXPECT_TRUE(county.Contains(village));
  EXPECT_TRUE(township.Contains(village));
  EXPECT_TRUE(village.Contains(village));
  EXPECT_TRUE(county.Contains(county));

  EXPECT_FALSE(village.Contains(township));
  EXPECT_FALSE(township.Contains(county));
  EXPECT_FALSE(other_township.Contains(village));
  EXPECT_FALSE(other_county.Contains(village));
}

TEST(RegionCodeTest, HasPrefix) {
  const RegionCode village = *RegionCode::Parse("340722100201");
  EXPECT_TRUE(village.HasPrefix(""));
  EXPECT_TRUE(village.HasPrefix("340722"));
  EXPECT_TRUE(village.HasPrefix("340722100"));
  EXPECT_TRUE(village.HasPrefix("340722100201"));
  EXPECT_FALSE(village.HasPrefix("340723"));
  EXPECT_FALSE(village.HasPrefix("340722101"));
  EXPECT_FALSE(village.HasPrefix("3407221002010"));
}

TEST(RegionCodeTest, Equality) {
  EXPECT_EQ(*RegionCode::Parse("340722"), *RegionCode::Parse("340722"));
  EXPECT_NE(*RegionCode::Parse("340722"), *RegionCode::Parse("340722100"));
}

TEST(ValidateRegionPrefixTest, AcceptsEmptyAndCodeLengths) {
  EXPECT_TRUE(ValidateRegionPrefix("").ok());
  EXPECT_TRUE(ValidateRegionPrefix("340722").ok());
  EXPECT_TRUE(ValidateRegionPrefix("340722100").ok());
  EXPECT_TRUE(ValidateRegionPrefix("340722100201").ok());
}

TEST(ValidateRegionPrefixTest, RejectsOtherLengthsAndNonDigits) {
  for (const char* prefix :
       {"3", "3407", "3407221", "3407221002", "3407221002011", "34072x", "340722%", "340722 "}) {
    absl::Status status = ValidateRegionPrefix(prefix);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << prefix;
    EXPECT_EQ(status.message(), "must be empty or 6, 9 or 12 digits") << prefix;
  }
}

}  // namespace
}  // namespace civil
