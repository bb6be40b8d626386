// Unit tests of the "community whistle" rules (services/governance/whistle.h): no servers.
#include "services/governance/whistle.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

TEST(WhistleRulesTest, AWhistleIsDueAfterItsAnswerDays) {
  absl::StatusOr<WhistleDraft> w =
      ValidateWhistle("340722100001", "路灯损坏", "县住建局", "2023-06-01", 0, kToday);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ(w->due_on, absl::CivilDay(2023, 6, 8));
  EXPECT_EQ(ValidateWhistle("340722100001", "m", "d", "", 61, kToday).status().message(),
            "answer_days: must be from 0 (= 7) to 60");
  EXPECT_EQ(ValidateWhistle("340722100001", "m", "", "", 3, kToday).status().message(),
            "department: is required");
  EXPECT_EQ(ValidateWhistle("340722100001", "m", "d", "2023-07-01", 3, kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(WhistleRulesTest, AnItemIsAnsweredOnceNotBeforeTheWhistle) {
  AnswerDraft a{"县住建局", "已修复", absl::CivilDay(2023, 6, 5)};
  EXPECT_TRUE(CheckAnswer(absl::CivilDay(2023, 6, 1), std::nullopt, a).ok());
  EXPECT_EQ(CheckAnswer(absl::CivilDay(2023, 6, 6), std::nullopt, a).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckAnswer(absl::CivilDay(2023, 6, 1), absl::CivilDay(2023, 6, 2), a).message(),
            "item_id: the item was answered on 2023-06-02 already");
}

TEST(WhistleRulesTest, OverdueMeansUnansweredAfterTheDueDay) {
  const absl::CivilDay due(2023, 6, 8);
  EXPECT_FALSE(IsOverdue(due, std::nullopt, due));
  EXPECT_TRUE(IsOverdue(due, std::nullopt, due + 1));
  EXPECT_FALSE(IsOverdue(due, due + 3, due + 5));  // answered late, no longer overdue
  EXPECT_TRUE(IsOverdue(due, due + 3, due + 2));   // not answered yet on that day
}

}  // namespace
}  // namespace civil::governance
