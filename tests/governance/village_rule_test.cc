// Unit tests of the village-rules rules (services/governance/village_rule.h): no servers.
#include "services/governance/village_rule.h"

#include <gtest/gtest.h>

namespace civil::governance {
namespace {

const absl::CivilDay kToday(2023, 6, 30);

StepDraft Step(RuleStep step, absl::CivilDay on, std::optional<VoteCounts> vote = std::nullopt) {
  return StepDraft{step, on, "doc", vote};
}

TEST(VillageRuleRulesTest, TheFiveStepsGoInOrder) {
  RuleState s;
  const RuleStep order[] = {RuleStep::kCollectOpinions, RuleStep::kDraft, RuleStep::kLegalReview,
                            RuleStep::kVote, RuleStep::kFileAndPublish};
  int day = 1;
  for (RuleStep step : order) {
    std::optional<VoteCounts> vote;
    if (step == RuleStep::kVote) vote = VoteCounts{30, 25, 20, 3, 2};
    absl::StatusOr<RuleState> next = ApplyStep(s, Step(step, absl::CivilDay(2023, 3, day++), vote));
    ASSERT_TRUE(next.ok()) << next.status();
    EXPECT_EQ(next->completed, step);
    s = *next;
  }
  absl::StatusOr<RuleState> again = ApplyStep(s, Step(RuleStep::kFileAndPublish, kToday));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(VillageRuleRulesTest, AStepOutOfOrderNamesTheStep) {
  RuleState s{RuleStep::kCollectOpinions, absl::CivilDay(2023, 3, 1)};
  absl::StatusOr<RuleState> next = ApplyStep(s, Step(RuleStep::kLegalReview, kToday));
  EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(next.status().message(), "step: LEGAL_REVIEW is out of order; the next step is DRAFT");
  absl::StatusOr<RuleState> early =
      ApplyStep(s, Step(RuleStep::kDraft, absl::CivilDay(2023, 2, 1)));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(VillageRuleRulesTest, AVoteNeedsAQuorumAndAMajorityOfThosePresent) {
  EXPECT_TRUE(VotePasses({30, 20, 11, 9, 0}));   // 2/3 present, 11 of 20
  EXPECT_FALSE(VotePasses({30, 20, 10, 5, 5}));  // exactly half is not more than half
  EXPECT_FALSE(VotePasses({30, 19, 19, 0, 0}));  // below two thirds present
  EXPECT_TRUE(HasQuorum({3, 2, 0, 0, 0}));
  RuleState reviewed{RuleStep::kLegalReview, absl::CivilDay(2023, 3, 1)};
  absl::StatusOr<RuleState> failed =
      ApplyStep(reviewed, Step(RuleStep::kVote, kToday, VoteCounts{30, 20, 5, 15, 0}));
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->completed, RuleStep::kLegalReview);  // may vote again
}

TEST(VillageRuleRulesTest, MoreVotesThanMembersPresentIsInvalid) {
  absl::Status s = ValidateVote({30, 20, 15, 5, 1});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "members_present: 20 members present but 21 votes cast");
  EXPECT_EQ(ValidateVote({20, 21, 0, 0, 0}).message(),
            "members_present: 21 present but only 20 members");
  EXPECT_EQ(ValidateVote({20, 10, -1, 0, 0}).message(), "votes_for: must not be negative");
  EXPECT_EQ(ValidateStep(4, "", "doc", std::nullopt, kToday).status().message(),
            "vote: the vote step needs its counts");
  EXPECT_EQ(ValidateStep(1, "2023-07-01", "doc", std::nullopt, kToday).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<StepDraft> today = ValidateStep(1, "", "征求意见公告", std::nullopt, kToday);
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today->on, kToday);
}

TEST(VillageRuleRulesTest, OnlyFiledRulesMayBeSelected) {
  RuleState filed{RuleStep::kFileAndPublish, absl::CivilDay(2022, 12, 1)};
  EXPECT_TRUE(CheckSelection(filed, 2023, kToday).ok());
  EXPECT_TRUE(CheckSelection(filed, 2022, kToday).ok());
  EXPECT_EQ(CheckSelection(filed, 2021, kToday).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckSelection(filed, 2024, kToday).code(), absl::StatusCode::kInvalidArgument);
  RuleState voted{RuleStep::kVote, absl::CivilDay(2022, 12, 1)};
  EXPECT_EQ(CheckSelection(voted, 2023, kToday).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ValidateRule("340722", 1, "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateRule("340722100001", 0, "x").status().message(), "kind: is required");
}

}  // namespace
}  // namespace civil::governance
