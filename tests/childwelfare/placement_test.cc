// Unit tests of the guardian and placement change rules (services/childwelfare/placement.h).
#include "services/childwelfare/placement.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::childwelfare {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

PlacementChangeInput Change() {
  return PlacementChangeInput{"县儿童福利院",
                              "机构",
                              static_cast<int>(PlacementKind::kInstitution),
                              "枞阳县儿童福利院",
                              "祖母病故,无人照料",
                              "2024-03-20"};
}

TEST(PlacementChangeTest, ValidatesNamingTheField) {
  PlacementChangeInput in = Change();
  in.kind = 0;
  EXPECT_TRUE(
      absl::StartsWith(ValidatePlacementChange(in, D(2024, 3, 20)).status().message(), "kind:"));
  in = Change();
  in.reason = "";
  EXPECT_TRUE(
      absl::StartsWith(ValidatePlacementChange(in, D(2024, 3, 20)).status().message(), "reason:"));
  EXPECT_TRUE(absl::StartsWith(ValidatePlacementChange(Change(), D(2024, 3, 19)).status().message(),
                               "change_date:"));
  absl::StatusOr<PlacementChangeDraft> ok = ValidatePlacementChange(Change(), D(2024, 3, 20));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->kind, PlacementKind::kInstitution);
}

TEST(PlacementChangeTest, AnOrphansCategoryFollowsThePlacementFromTheMonthAfter) {
  EXPECT_EQ(CategoryIn(Category::kOrphanDispersed, PlacementKind::kInstitution),
            Category::kOrphanCentralised);
  EXPECT_EQ(CategoryIn(Category::kOrphanCentralised, PlacementKind::kFoster),
            Category::kOrphanDispersed);
  EXPECT_EQ(CategoryIn(Category::kDeFactoUnsupported, PlacementKind::kInstitution),
            Category::kDeFactoUnsupported);
  EXPECT_EQ(ChangeEffectiveMonth(D(2024, 3, 31)), absl::CivilMonth(2024, 4));
  EXPECT_EQ(ChangeEffectiveMonth(D(2024, 12, 1)), absl::CivilMonth(2025, 1));
}

TEST(PlacementDecisionTest, AnotherPersonDecidesACategoryChangeFromItsMonth) {
  const absl::CivilDay change = D(2024, 3, 20);
  EXPECT_EQ(
      CheckChangeDecision(ChangeStatus::kPending, "clerk", "clerk", change, false, true, change)
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      CheckChangeDecision(ChangeStatus::kPending, "clerk", "reviewer", change, false, true, change)
          .ok());
  const absl::Status early = CheckChangeDecision(ChangeStatus::kPending, "clerk", "reviewer",
                                                 change, true, true, D(2024, 3, 31));
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(early.message(), "decision_date:")) << early;
  EXPECT_TRUE(CheckChangeDecision(ChangeStatus::kPending, "clerk", "reviewer", change, true, true,
                                  D(2024, 4, 1))
                  .ok());
  // A rejection may come at once; a decided change is not decided again.
  EXPECT_TRUE(
      CheckChangeDecision(ChangeStatus::kPending, "clerk", "reviewer", change, true, false, change)
          .ok());
  EXPECT_EQ(CheckChangeDecision(ChangeStatus::kApproved, "clerk", "reviewer", change, false, true,
                                D(2024, 4, 1))
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckChangeable(ChildStatus::kStopped, D(2023, 1, 1), change).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace civil::childwelfare
