// Unit tests of the community-grid rules (services/governance/grid.h): no servers.
#include "services/governance/grid.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

TEST(GridRulesTest, AGridCodeIsTheVillagesAndAThreeDigitNumber) {
  EXPECT_EQ(*GridCode("340722100001", 1), "340722100001001");
  EXPECT_EQ(*GridCode("340722100001", 999), "340722100001999");
  absl::StatusOr<std::string> full = GridCode("340722100001", 1000);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(IsGridCode("340722100001001"));
  EXPECT_FALSE(IsGridCode("34072210000100"));
  EXPECT_FALSE(IsGridCode("34072210000100a"));
}

TEST(GridRulesTest, GridsNeedACurrentVillageOrCommunity) {
  RegionFacts village{"340722102201", "龙虎村", RegionKind::kVillage, "340722102", "", {}};
  EXPECT_TRUE(CheckGridVillage(village, village.code).ok());
  EXPECT_EQ(CheckGridVillage(std::nullopt, "340722102299").message(),
            "village_code: 340722102299 is not in the region tree");
  village.merged_into = "340722102001";
  EXPECT_EQ(CheckGridVillage(village, village.code).code(), absl::StatusCode::kFailedPrecondition);
  RegionFacts town{"340722102", "项铺镇", RegionKind::kTown, "340722", "", {}};
  EXPECT_FALSE(CheckGridVillage(town, town.code).ok());
  EXPECT_TRUE(
      absl::StartsWith(ValidateGrid("340722102", "一网格").status().message(), "village_code: "));
  EXPECT_TRUE(
      absl::StartsWith(ValidateGrid("340722102201", "").status().message(), "name: is required"));
}

TEST(GridRulesTest, AMovedGridKeepsItsNameUnlessTakenThenTakesItsVillagesName) {
  EXPECT_EQ(MovedGridName("白石村", "第一网格", {"第二网格"}), "第一网格");
  EXPECT_EQ(MovedGridName("白石村", "第一网格", {"第一网格"}), "白石村第一网格");
  EXPECT_EQ(MovedGridName("白石村", "第一网格", {"第一网格", "白石村第一网格"}),
            "白石村第一网格 (2)");
}

TEST(GridRulesTest, AWorkerHasANameAPhoneAndAStartNotInTheFuture) {
  absl::StatusOr<WorkerDraft> w = ValidateWorker("张网格", "0556-1234567", "", kToday);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->start, kToday);
  EXPECT_TRUE(ValidateWorker("张网格", "13800000000", "2023-01-01", kToday).ok());
  for (const char* bad : {"123456", "1380000000a", "-13800000000", "1380--0000000", "138000-"}) {
    absl::Status s = ValidateWorker("张网格", bad, "", kToday).status();
    EXPECT_TRUE(absl::StartsWith(s.message(), "phone: ")) << bad << " " << s;
  }
  EXPECT_EQ(ValidateWorker("张网格", "", "", kToday).status().message(), "phone: is required");
  EXPECT_TRUE(absl::StartsWith(
      ValidateWorker("张网格", "13800000000", "2023-07-01", kToday).status().message(),
      "start_date: "));
}

TEST(GridRulesTest, NoticesAreThreeKindsAndTheMissingOnesAreListedInOrder) {
  EXPECT_EQ(MissingNotices({}).size(), 3u);
  EXPECT_EQ(MissingNotices({NoticeKind::kGridMap}),
            (std::vector<NoticeKind>{NoticeKind::kIntroduction, NoticeKind::kServiceFlow}));
  EXPECT_TRUE(
      MissingNotices({NoticeKind::kServiceFlow, NoticeKind::kIntroduction, NoticeKind::kGridMap})
          .empty());
  absl::StatusOr<NoticeDraft> n =
      ValidateNotice("340722100001", 2, "", "网格示意图(2023版)", kToday);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->kind, NoticeKind::kGridMap);
  EXPECT_TRUE(absl::StartsWith(
      ValidateNotice("340722100001", 4, "", "x", kToday).status().message(), "kind: "));
  EXPECT_TRUE(absl::StartsWith(ValidateNotice("340722100001", 1, "", "", kToday).status().message(),
                               "document: "));
  EXPECT_TRUE(absl::StartsWith(
      ValidateNotice("340722100001", 1, "2024-01-01", "x", kToday).status().message(),
      "publish_date: "));
}

}  // namespace
}  // namespace civil::governance
