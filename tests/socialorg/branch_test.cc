// Unit tests of the branch rules (services/socialorg/branch.h): who may set up a branch and
// when. No servers.
#include "services/socialorg/branch.h"

#include <gtest/gtest.h>

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(BranchTest, ASocialGroupOrFoundationNotAPrivateNonEnterpriseUnit) {
  OrgState s;
  s.status = OrgStatus::kRegistered;
  s.established_on = D(2020, 1, 1);
  const Branch b{"青年委员会", "李某", "青年志愿服务", D(2023, 5, 1)};
  EXPECT_TRUE(CheckBranch(OrgKind::kSocialGroup, s, b).ok());
  EXPECT_TRUE(CheckBranch(OrgKind::kFoundation, s, b).ok());
  EXPECT_EQ(CheckBranch(OrgKind::kPrivateNonEnterpriseUnit, s, b).message(),
            "organisation_id: a private non-enterprise unit may not set up branches");
  EXPECT_EQ(CheckBranch(OrgKind::kSocialGroup, s, {"x", "y", "z", D(2019, 12, 31)}).message(),
            "established_date: must not be before the establishment on 2020-01-01");
  EXPECT_EQ(ValidateBranch("青年委员会", "", "服务", "", D(2023, 6, 30)).status().message(),
            "principal: is required");
  EXPECT_EQ(
      ValidateBranch("青年委员会", "李某", "服务", "2023-07-01", D(2023, 6, 30)).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(BranchClosureTest, AClosureIsDatedWithDocumentsAndAReason) {
  absl::StatusOr<BranchClosure> c =
      ValidateBranchClosure("", {"注销决议"}, "业务调整", Day(2023, 6, 30));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->closed_on, Day(2023, 6, 30));
  EXPECT_EQ(ValidateBranchClosure("2023-07-01", {"注销决议"}, "业务调整", Day(2023, 6, 30))
                .status()
                .message()
                .substr(0, 13),
            "closure_date:");
  EXPECT_EQ(ValidateBranchClosure("", {}, "业务调整", Day(2023, 6, 30)).status().message(),
            "documents: at least one document reference is required");
  EXPECT_EQ(ValidateBranchClosure("", {"决议"}, "", Day(2023, 6, 30)).status().message(),
            "reason: a closure needs its reason");
}

TEST(BranchClosureTest, AnOpenBranchClosesOnceWithAnotherPersonsApproval) {
  const BranchClosure c{Day(2023, 5, 1), {"决议"}, "撤销"};
  EXPECT_TRUE(CheckBranchClosure(BranchStatus::kOpen, Day(2020, 1, 1), c).ok());
  EXPECT_EQ(CheckBranchClosure(BranchStatus::kClosed, Day(2020, 1, 1), c).message(),
            "branch_id: the branch is closed already");
  EXPECT_EQ(CheckBranchClosure(BranchStatus::kClosing, Day(2020, 1, 1), c).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckBranchClosure(BranchStatus::kOpen, Day(2023, 5, 2), c).message(),
            "closure_date: must not be before the branch's establishment on 2023-05-02");

  EXPECT_TRUE(
      CheckClosureDecision(EventStatus::kPending, "clerk", "reviewer", c.closed_on, Day(2023, 5, 1))
          .ok());
  EXPECT_EQ(
      CheckClosureDecision(EventStatus::kPending, "clerk", "clerk", c.closed_on, Day(2023, 5, 2))
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckClosureDecision(EventStatus::kApproved, "clerk", "reviewer", c.closed_on,
                                 Day(2023, 5, 2))
                .message(),
            "closure_id: the closure is APPROVED, not pending");
  EXPECT_EQ(CheckClosureDecision(EventStatus::kPending, "clerk", "reviewer", c.closed_on,
                                 Day(2023, 4, 30))
                .message(),
            "decision_date: must not be before the closure date 2023-05-01");
}

TEST(BranchClosureTest, BranchesAreCountedOpenOrClosedAsOfADay) {
  BranchCounts counts;
  CountBranch(Day(2020, 1, 1), std::nullopt, Day(2023, 6, 30), &counts);
  CountBranch(Day(2020, 1, 1), Day(2023, 5, 1), Day(2023, 6, 30), &counts);
  CountBranch(Day(2020, 1, 1), Day(2023, 7, 1), Day(2023, 6, 30), &counts);  // closes later
  CountBranch(Day(2023, 7, 1), std::nullopt, Day(2023, 6, 30), &counts);     // not yet set up
  EXPECT_EQ(counts.established, 3);
  EXPECT_EQ(counts.open, 2);
  EXPECT_EQ(counts.closed, 1);
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

absl::CivilDay Dy(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(BranchDeregistrationTest, TheDeregistrationClosesEveryBranchNotClosedYet) {
  const std::vector<BranchStanding> branches = {
      {"青年委员会", BranchStatus::kOpen, Dy(2020, 1, 1)},
      {"妇女委员会", BranchStatus::kClosed, Dy(2020, 2, 1)},
      {"专家委员会", BranchStatus::kOpen, Dy(2023, 6, 10)}};
  absl::StatusOr<std::vector<size_t>> closed =
      BranchesClosedByDeregistration(branches, Dy(2023, 6, 10));
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(*closed, (std::vector<size_t>{0, 2}));  // one set up on the day itself too
  EXPECT_TRUE(BranchesClosedByDeregistration({}, Dy(2023, 6, 10))->empty());
  EXPECT_EQ(DeregistrationClosureReason("e-1"),
            "closed with the organisation's deregistration (注销), event e-1");
}

TEST(BranchDeregistrationTest, APendingClosureOrABranchSetUpAfterTheDateRefusesIt) {
  absl::StatusOr<std::vector<size_t>> pending =
      BranchesClosedByDeregistration({{"青年委员会", BranchStatus::kOpen, Dy(2020, 1, 1)},
                                      {"妇女委员会", BranchStatus::kClosing, Dy(2020, 2, 1)}},
                                     Dy(2023, 6, 10));
  EXPECT_EQ(pending.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(pending.status().message(),
            "event_id: a closure of the branch 妇女委员会 is pending; a reviewer decides it before "
            "the deregistration");
  EXPECT_EQ(BranchesClosedByDeregistration({{"专家委员会", BranchStatus::kOpen, Dy(2023, 6, 11)}},
                                           Dy(2023, 6, 10))
                .status()
                .message(),
            "event_id: the branch 专家委员会 was set up on 2023-06-11, after the deregistration's "
            "date 2023-06-10");
}

TEST(BranchDeregistrationTest, ADeregisteredOrganisationSetsUpNoBranch) {
  OrgState s;
  s.status = OrgStatus::kDeregistered;
  s.established_on = Dy(2020, 1, 1);
  s.deregistered_on = Dy(2023, 6, 10);
  const absl::Status st =
      CheckBranch(OrgKind::kSocialGroup, s, {"青年委员会", "李某", "服务", Dy(2023, 6, 1)});
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(),
            "organisation_id: the organisation was deregistered on 2023-06-10; it takes no further "
            "events");
}

}  // namespace
}  // namespace civil::socialorg
