// Unit tests of the region tree's rules (services/governance/region.h): no servers.
#include "services/governance/region.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::governance {
namespace {

constexpr int kTown = static_cast<int>(RegionKind::kTown);
constexpr int kZone = static_cast<int>(RegionKind::kDevelopmentZone);
constexpr int kVillage = static_cast<int>(RegionKind::kVillage);
constexpr int kCommunity = static_cast<int>(RegionKind::kCommunity);

RegionFacts Village(std::string code, std::string merged_into = "") {
  RegionFacts f;
  f.code = code;
  f.name = "某村";
  f.kind = RegionKind::kVillage;
  f.parent_code = code.substr(0, 9);
  f.merged_into = std::move(merged_into);
  if (!f.merged_into.empty()) f.merged_on = absl::CivilDay(2023, 3, 1);
  return f;
}

TEST(RegionRulesTest, ANewRegionsParentIsItsCodeOneLevelUp) {
  absl::StatusOr<NewRegion> v = ValidateNewRegion("340722102203", " 新村 ", kVillage);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->parent.value(), "340722102");
  EXPECT_EQ(v->name, "新村");
  absl::StatusOr<NewRegion> t = ValidateNewRegion("340722115", "新镇", kTown);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->parent.value(), "340722");
}

TEST(RegionRulesTest, TheKindMustFitTheCodesLastThreeDigits) {
  EXPECT_TRUE(ValidateNewRegion("340722100003", "社区", kCommunity).ok());
  EXPECT_TRUE(ValidateNewRegion("340722100401", "类社区", kCommunity).ok());
  EXPECT_TRUE(ValidateNewRegion("340722100601", "类村", kVillage).ok());
  EXPECT_TRUE(ValidateNewRegion("340722401", "园区", kZone).ok());
  absl::Status s = ValidateNewRegion("340722100003", "村", kVillage).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "kind: a village's code")) << s;
  EXPECT_FALSE(ValidateNewRegion("340722100201", "社区", kCommunity).ok());
  EXPECT_FALSE(ValidateNewRegion("340722100000", "零", kCommunity).ok());
  EXPECT_FALSE(ValidateNewRegion("340722400", "镇", kTown).ok());
  EXPECT_FALSE(ValidateNewRegion("340722100", "区", kZone).ok());
  // A village kind on a township code, a county, an unknown kind.
  EXPECT_FALSE(ValidateNewRegion("340722101", "村", kVillage).ok());
  EXPECT_FALSE(ValidateNewRegion("340722", "县", static_cast<int>(RegionKind::kCounty)).ok());
  s = ValidateNewRegion("340722100003", "社区", 0).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "kind: is required")) << s;
}

TEST(RegionRulesTest, BadCodesAndNamesNameTheirField) {
  absl::Status s = ValidateNewRegion("34072210020", "村", kVillage).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "code: ")) << s;
  s = ValidateNewRegion("340722", "县", kTown).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "code: ")) << s;
  s = ValidateNewRegion("340722102203", "", kVillage).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "name: is required")) << s;
  s = ValidateNewRegion("340722102203", std::string(33 * 3, 'a'), kVillage).status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "name: must be at most 32")) << s;
  EXPECT_EQ(RegionName("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二")
                .status()
                .code(),
            absl::StatusCode::kOk);
}

TEST(RegionRulesTest, AParentMustExistBeCurrentAndAboveVillageLevel) {
  EXPECT_TRUE(CheckParent(RegionFacts{"340722102", "项铺镇", RegionKind::kTown, "340722", "", {}},
                          "340722102")
                  .ok());
  absl::Status s = CheckParent(std::nullopt, "340722199");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "code: the parent 340722199 is not in the region tree");
  EXPECT_FALSE(CheckParent(Village("340722102201"), "340722102201").ok());
}

TEST(RegionRulesTest, VillagesMergeWithinTheirTownshipOnce) {
  EXPECT_TRUE(CheckMerge(Village("340722102202"), Village("340722102201")).ok());
  absl::Status s = CheckMerge(Village("340722102202"), Village("340722103201"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "into_code: 340722103201 lies in township")) << s;
  s = CheckMerge(Village("340722102202"), Village("340722102202"));
  EXPECT_TRUE(absl::StartsWith(s.message(), "into_code: a village cannot")) << s;
  s = CheckMerge(Village("340722102202", "340722102201"), Village("340722102203"));
  EXPECT_TRUE(absl::StartsWith(s.message(), "code: 340722102202 was merged")) << s;
  s = CheckMerge(Village("340722102202"), Village("340722102203", "340722102201"));
  EXPECT_TRUE(absl::StartsWith(s.message(), "into_code: 340722102203 was merged")) << s;
  RegionFacts town{"340722102", "项铺镇", RegionKind::kTown, "340722", "", {}};
  s = CheckMerge(town, Village("340722102201"));
  EXPECT_TRUE(absl::StartsWith(s.message(), "code: 340722102 is not a village")) << s;
}

TEST(RegionRulesTest, AMergedVillageIsNotRenamed) {
  EXPECT_TRUE(CheckRename(Village("340722102202")).ok());
  absl::Status s = CheckRename(Village("340722102202", "340722102201"));
  EXPECT_EQ(s.message(), "code: 340722102202 was merged into 340722102201 on 2023-03-01");
}

}  // namespace
}  // namespace civil::governance
