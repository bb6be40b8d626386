// Unit tests of the left-behind children rules (services/childwelfare/left_behind.h).
#include "services/childwelfare/left_behind.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/support/test_ids.h"

namespace civil::childwelfare {
namespace {

using civil::affairs::testing::Id;
absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

CareChildInput Child(const std::string& id, Whereabouts father, Whereabouts mother) {
  return CareChildInput{"小军",
                        id,
                        "340722100001",
                        static_cast<int>(CareKind::kLeftBehind),
                        static_cast<int>(father),
                        static_cast<int>(mother),
                        "张某",
                        "祖父",
                        "枞阳县第二小学",
                        "",
                        "2024-05-01"};
}

TEST(CareChildTest, ALeftBehindChildHasBothParentsAwayOrOneAwayAndTheOtherAbsent) {
  const std::string id = Id("20140301", true, 1);
  EXPECT_TRUE(ValidateCareChild(
                  Child(id, Whereabouts::kMigrantOutOfProvince, Whereabouts::kMigrantInProvince),
                  D(2024, 5, 1))
                  .ok());
  EXPECT_TRUE(
      ValidateCareChild(Child(id, Whereabouts::kDeceased, Whereabouts::kAbroad), D(2024, 5, 1))
          .ok());
  const absl::Status s =
      ValidateCareChild(Child(id, Whereabouts::kMigrantInProvince, Whereabouts::kAtHome),
                        D(2024, 5, 1))
          .status();
  EXPECT_TRUE(absl::StartsWith(s.message(), "mother:")) << s;
  EXPECT_TRUE(absl::StartsWith(
      ValidateCareChild(Child(id, Whereabouts::kAtHome, Whereabouts::kAtHome), D(2024, 5, 1))
          .status()
          .message(),
      "father:"));
  // 16 on the day: no longer a left-behind child; a wrong check character names the field.
  EXPECT_TRUE(absl::StartsWith(
      ValidateCareChild(Child(Id("20080501", true, 1), Whereabouts::kAbroad, Whereabouts::kAbroad),
                        D(2024, 5, 1))
          .status()
          .message(),
      "id_number: the child is 16"));
  std::string wrong = id;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  EXPECT_TRUE(absl::StartsWith(
      ValidateCareChild(Child(wrong, Whereabouts::kAbroad, Whereabouts::kAbroad), D(2024, 5, 1))
          .status()
          .message(),
      "id_number:"));
}

TEST(CareChildTest, AChildInDifficultySaysWhatItIs) {
  CareChildInput in = Child(Id("20140301", true, 1), Whereabouts::kAtHome, Whereabouts::kAtHome);
  in.kind = static_cast<int>(CareKind::kInDifficulty);
  EXPECT_TRUE(
      absl::StartsWith(ValidateCareChild(in, D(2024, 5, 1)).status().message(), "difficulty:"));
  in.difficulty = "家庭贫困";
  EXPECT_TRUE(ValidateCareChild(in, D(2024, 5, 1)).ok());
}

TEST(CareVisitTest, AWorkerVisitsOnlyTheirOwnVillageOrTownshipWhileInOffice) {
  const absl::CivilDay on = D(2024, 5, 10);
  EXPECT_TRUE(CheckVisitor(WorkerRole::kDirector, "340722100001", D(2023, 1, 1), false,
                           "340722100001", D(2024, 5, 1), on)
                  .ok());
  EXPECT_TRUE(absl::StartsWith(CheckVisitor(WorkerRole::kDirector, "340722100002", D(2023, 1, 1),
                                            false, "340722100001", D(2024, 5, 1), on)
                                   .message(),
                               "worker_id:"));
  EXPECT_TRUE(CheckVisitor(WorkerRole::kSupervisor, "340722100", D(2023, 1, 1), false,
                           "340722100001", D(2024, 5, 1), on)
                  .ok());
  EXPECT_FALSE(CheckVisitor(WorkerRole::kSupervisor, "340722100", D(2024, 6, 1), false,
                            "340722100001", D(2024, 5, 1), on)
                   .ok());
  EXPECT_FALSE(CheckVisitor(WorkerRole::kSupervisor, "340722100", D(2023, 1, 1), true,
                            "340722100001", D(2024, 5, 1), on)
                   .ok());
  EXPECT_TRUE(absl::StartsWith(CheckVisitor(WorkerRole::kSupervisor, "340722100", D(2023, 1, 1),
                                            false, "340722100001", D(2024, 5, 11), on)
                                   .message(),
                               "visit_date:"));
  EXPECT_TRUE(absl::StartsWith(
      ValidateVisit("not-a-uuid", "好", false, "", "", on).status().message(), "worker_id:"));
  EXPECT_TRUE(
      absl::StartsWith(ValidateVisit("00000000-0000-0000-0000-000000000001", "好", true, "", "", on)
                           .status()
                           .message(),
                       "follow_up:"));
}

TEST(CareVisitTest, TheQuarterStartsOnTheFirstOfJanuaryAprilJulyOctober) {
  EXPECT_EQ(QuarterStart(D(2024, 3, 31)), D(2024, 1, 1));
  EXPECT_EQ(QuarterStart(D(2024, 4, 1)), D(2024, 4, 1));
  EXPECT_EQ(QuarterStart(D(2024, 9, 30)), D(2024, 7, 1));
  EXPECT_EQ(QuarterStart(D(2024, 12, 31)), D(2024, 10, 1));
}

}  // namespace
}  // namespace civil::childwelfare
