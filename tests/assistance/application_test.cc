// Unit tests of the application rules (services/assistance/application.h) that
// ApplicationStore::Step and ::Approve used to apply inside their transactions: steps dated
// before the submission, what an investigation may record, maker ≠ checker, the 7-day public
// notice, the investigation's findings, and the amount an approval decides.
#include "services/assistance/application.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace civil::assistance {
namespace {

using S = ApplicationStatus;
using A = ApplicationAction;
using absl::CivilDay;
using absl::CivilMonth;

ApplicationFacts InNotice(Programme programme = Programme::kDibao) {
  ApplicationFacts a;
  a.status = S::kInNotice;
  a.programme = programme;
  a.submitted_by = "clerk-1";
  a.submitted_on = CivilDay(2023, 3, 1);
  a.notice_end = NoticeEnd(CivilDay(2023, 3, 10));  // 2023-03-16
  a.assets_ok = true;
  return a;
}

StandardValues Line(int64_t yuan) {
  StandardValues s;
  s.monthly = Money::Yuan(yuan);
  return s;
}

TEST(ExcludesEnrolledAtFilingTest, ThePaidProgrammesAndTheMarginalOne) {
  EXPECT_TRUE(ExcludesEnrolledAtFiling(Programme::kDibao));
  EXPECT_TRUE(ExcludesEnrolledAtFiling(Programme::kTekun));
  EXPECT_TRUE(ExcludesEnrolledAtFiling(Programme::kMarginal));
  EXPECT_FALSE(ExcludesEnrolledAtFiling(Programme::kExpenditureHardship));
}

TEST(CheckStepTest, FollowsTheWorkflowAndRefusesADateBeforeTheSubmission) {
  ApplicationFacts a = InNotice();
  a.status = S::kSubmitted;
  EXPECT_TRUE(CheckStep(a, A::kInvestigate, CivilDay(2023, 3, 1)).ok());
  absl::Status early = CheckStep(a, A::kInvestigate, CivilDay(2023, 2, 28));
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.message(), "the step is dated before the application was submitted (2023-03-01)");
  // Out of order: the transition's own message, before the date.
  absl::Status order = CheckStep(a, A::kPublish, CivilDay(2023, 2, 28));
  EXPECT_EQ(order.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(absl::StrContains(order.message(), "dated before"));
}

TEST(CheckInvestigationTest, GroundsAndExpensesBelongToTheirProgrammes) {
  const CivilDay on(2023, 3, 5);
  const TekunGrounds elderly{TekunCategory::kElderly, true, true, true};
  EXPECT_TRUE(CheckInvestigation(Programme::kTekun, elderly, CivilDay(1950, 1, 1), false, on).ok());
  absl::Status young =
      CheckInvestigation(Programme::kTekun, elderly, CivilDay(1990, 1, 1), false, on);
  EXPECT_EQ(young.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(young.message(), "tekun_grounds.category: ")) << young;
  absl::Status other = CheckInvestigation(Programme::kDibao, elderly, std::nullopt, false, on);
  EXPECT_EQ(other.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(other.message(), "tekun_grounds: only a 特困 application has 特困 grounds");
  EXPECT_TRUE(
      CheckInvestigation(Programme::kExpenditureHardship, std::nullopt, std::nullopt, true, on)
          .ok());
  absl::Status expenses =
      CheckInvestigation(Programme::kDibao, std::nullopt, std::nullopt, true, on);
  EXPECT_EQ(expenses.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(expenses.message(), "rigid_expenses: ")) << expenses;
}

TEST(DecideApprovalTest, ApprovesAfterTheNoticeFromTheNextMonth) {
  absl::StatusOr<ApprovalDecision> d =
      DecideApproval(InNotice(), "reviewer-1", CivilDay(2023, 3, 17));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->start, CivilMonth(2023, 4));
}

TEST(DecideApprovalTest, TheMakerIsNotTheChecker) {
  absl::StatusOr<ApprovalDecision> d = DecideApproval(InNotice(), "clerk-1", CivilDay(2023, 3, 17));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StartsWith(d.status().message(), "maker-checker: ")) << d.status();
}

TEST(DecideApprovalTest, TheSevenDayNoticeMustBeOver) {
  // Published 2023-03-10: the notice runs to the 16th, both ends included.
  absl::StatusOr<ApprovalDecision> d =
      DecideApproval(InNotice(), "reviewer-1", CivilDay(2023, 3, 16));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.status().message(),
            "decided_on: the public notice runs until 2023-03-16; decide after it");
  ApplicationFacts unpublished = InNotice();
  unpublished.notice_end.reset();
  EXPECT_EQ(DecideApproval(unpublished, "reviewer-1", CivilDay(2023, 3, 17)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(DecideApprovalTest, OnlyAnApplicationInNoticeIsApproved) {
  ApplicationFacts a = InNotice();
  a.status = S::kInvestigated;
  EXPECT_EQ(DecideApproval(a, "reviewer-1", CivilDay(2023, 3, 17)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  a.status = S::kApproved;
  EXPECT_EQ(DecideApproval(a, "reviewer-1", CivilDay(2023, 3, 17)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(DecideApprovalTest, AssetsBeyondTheLimitsAndMissingTekunGroundsAreRefused) {
  ApplicationFacts rich = InNotice();
  rich.assets_ok = false;
  absl::StatusOr<ApprovalDecision> d = DecideApproval(rich, "reviewer-1", CivilDay(2023, 3, 17));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(d.status().message(), "assets beyond the local limits"));
  ApplicationFacts tekun = InNotice(Programme::kTekun);
  EXPECT_EQ(DecideApproval(tekun, "reviewer-1", CivilDay(2023, 3, 17)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  tekun.tekun_grounds = TekunGrounds{TekunCategory::kElderly, true, true, true};
  EXPECT_TRUE(DecideApproval(tekun, "reviewer-1", CivilDay(2023, 3, 17)).ok());
}

TEST(ApprovalStandardProgrammeTest, TheMonitoredProgrammesUseTheDibaoLine) {
  EXPECT_EQ(ApprovalStandardProgramme(Programme::kDibao), Programme::kDibao);
  EXPECT_EQ(ApprovalStandardProgramme(Programme::kMarginal), Programme::kDibao);
  EXPECT_EQ(ApprovalStandardProgramme(Programme::kExpenditureHardship), Programme::kDibao);
  EXPECT_EQ(ApprovalStandardProgramme(Programme::kTekun), Programme::kTekun);
  EXPECT_EQ(ApprovalStandardProgramme(Programme::kLeprosySubsidy), Programme::kLeprosySubsidy);
}

TEST(ApprovalAmountTest, EachProgrammesFormula) {
  const std::vector<MemberFacts> two{{CivilDay(1980, 1, 1)}, {CivilDay(1982, 1, 1)}};
  const CivilMonth april(2023, 4);
  // 低保: 640 × 2 − 500 = 780 yuan.
  absl::StatusOr<Money> dibao =
      ApprovalAmount(Programme::kDibao, Line(640), two, Money::Yuan(500), std::nullopt, april);
  ASSERT_TRUE(dibao.ok()) << dibao.status();
  EXPECT_EQ(*dibao, Money::Yuan(780));
  EXPECT_EQ(
      ApprovalAmount(Programme::kDibao, Line(640), two, Money::Yuan(1300), std::nullopt, april)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
  // 特困 and the subsidies: the standard's monthly value.
  EXPECT_EQ(*ApprovalAmount(Programme::kTekun, Line(900), two, Money(), std::nullopt, april),
            Money::Yuan(900));
  // 低保边缘 (1.5 × the line per head) and 支出型: monitored, nothing paid.
  EXPECT_EQ(
      *ApprovalAmount(Programme::kMarginal, Line(640), two, Money::Yuan(1500), std::nullopt, april),
      Money());
  absl::StatusOr<Money> above =
      ApprovalAmount(Programme::kMarginal, Line(640), two, Money::Yuan(2000), std::nullopt, april);
  EXPECT_EQ(above.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(above.status().message(), "household income per head is above the 低保边缘 line");
  EXPECT_EQ(*ApprovalAmount(Programme::kExpenditureHardship, Line(640), two, Money::Yuan(1400),
                            RigidExpenses{Money::Yuan(600), Money()}, april),
            Money());
  EXPECT_EQ(ApprovalAmount(Programme::kExpenditureHardship, Line(640), two, Money::Yuan(1400),
                           std::nullopt, april)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace civil::assistance
