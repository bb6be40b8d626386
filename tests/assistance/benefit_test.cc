// Unit tests of the benefit rules (services/assistance/benefit.h).
#include "services/assistance/benefit.h"

#include <gtest/gtest.h>

namespace civil::assistance {
namespace {

StandardValues Rural() {
  StandardValues s;
  s.monthly = Money::Fen(64000);
  s.supplement_seriously_ill = Money::Fen(10000);
  s.supplement_severely_disabled = Money::Fen(8000);
  s.supplement_elderly = Money::Fen(5000);
  s.supplement_minor = Money::Fen(3000);
  return s;
}

const absl::CivilMonth kJune(2023, 6);

TEST(DibaoMonthlyAmount, IsStandardTimesMembersMinusIncomeRoundedUpOnce) {
  // 640 × 3 − 1000.01 = 919.99 → rounded up once, on the total: 920 yuan.
  std::vector<MemberFacts> three(3, MemberFacts{absl::CivilDay(1985, 1, 1)});
  auto amount = DibaoMonthlyAmount(Rural(), three, Money::Fen(100001), kJune);
  ASSERT_TRUE(amount.ok()) << amount.status();
  EXPECT_EQ(amount->fen(), 92000);
  // Per person first would give 3 × ceil(306.66) = 921: the total is what counts.
}

TEST(DibaoMonthlyAmount, AddsTheHighestSupplementOfEachMember) {
  std::vector<MemberFacts> members = {
      {absl::CivilDay(1950, 1, 1), /*seriously_ill=*/true, /*severely_disabled=*/false},
      {absl::CivilDay(2010, 6, 2)},  // 12 on 2023-06-01: minor
      {absl::CivilDay(1963, 6, 1)},  // 60 exactly on 2023-06-01: elderly
      {absl::CivilDay(1963, 6, 2)},  // 59 on 2023-06-01
  };
  auto amount = DibaoMonthlyAmount(Rural(), members, Money::Fen(0), kJune);
  ASSERT_TRUE(amount.ok());
  EXPECT_EQ(amount->fen(), 64000 * 4 + 10000 + 3000 + 5000);
}

TEST(DibaoMonthlyAmount, RefusesIncomeAtOrAboveTheLine) {
  std::vector<MemberFacts> one = {{absl::CivilDay(1985, 1, 1)}};
  EXPECT_EQ(DibaoMonthlyAmount(Rural(), one, Money::Fen(64000), kJune).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DibaoMonthlyAmount(Rural(), one, Money::Fen(-1), kJune).status().message(),
            "household_monthly_income_fen: must not be negative");
  EXPECT_FALSE(DibaoMonthlyAmount(Rural(), {}, Money::Fen(0), kJune).ok());
}

TEST(IsMarginal, ComparesIncomePerHeadWithTheMultipliedStandard) {
  // Line: 1.5 × 640 = 960 yuan per head.
  EXPECT_TRUE(IsMarginal(Rural(), 2, Money::Fen(192000)));
  EXPECT_FALSE(IsMarginal(Rural(), 2, Money::Fen(192001)));
}

TEST(Programmes, KnowTheirKind) {
  EXPECT_TRUE(IsHouseholdProgramme(Programme::kDibao));
  EXPECT_FALSE(IsHouseholdProgramme(Programme::kTekun));
  EXPECT_FALSE(IsPaid(Programme::kMarginal));
  EXPECT_TRUE(IsPaid(Programme::kRetiredWorkerSubsidy));
  EXPECT_EQ(ExclusiveGroup(Programme::kDibao), ExclusiveGroup(Programme::kTekun));
  EXPECT_NE(ExclusiveGroup(Programme::kDibao), ExclusiveGroup(Programme::kMarginal));
  EXPECT_EQ(*ProgrammeFromName("TEKUN"), Programme::kTekun);
  EXPECT_EQ(ProgrammeFromNumber(0, "programme").status().message(), "programme: unknown programme");
}

TEST(CheckTransition, FollowsTheProcedure) {
  using S = ApplicationStatus;
  using A = ApplicationAction;
  EXPECT_TRUE(CheckTransition(S::kSubmitted, A::kInvestigate).ok());
  EXPECT_TRUE(CheckTransition(S::kInvestigated, A::kPublish).ok());
  EXPECT_TRUE(CheckTransition(S::kInNotice, A::kObject).ok());
  EXPECT_TRUE(CheckTransition(S::kInNotice, A::kApprove).ok());
  EXPECT_TRUE(CheckTransition(S::kSubmitted, A::kReject).ok());
  EXPECT_EQ(CheckTransition(S::kSubmitted, A::kApprove).message(),
            "application is SUBMITTED: approval comes after investigation and the public notice");
  EXPECT_EQ(CheckTransition(S::kInvestigated, A::kInvestigate).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckTransition(S::kApproved, A::kReject).message(),
            "application is APPROVED: it is decided; file a new one");
  EXPECT_FALSE(CheckTransition(S::kRejected, A::kInvestigate).ok());
  EXPECT_FALSE(CheckTransition(S::kInvestigated, A::kObject).ok());
}

TEST(Dates, NoticeReviewAndLateEntries) {
  EXPECT_EQ(NoticeEnd(absl::CivilDay(2023, 2, 25)), absl::CivilDay(2023, 3, 3));
  AssistanceRules rules;
  EXPECT_EQ(ReviewDue(rules, Programme::kDibao, true, absl::CivilMonth(2023, 8)),
            absl::CivilDay(2024, 2, 1));
  EXPECT_EQ(ReviewDue(rules, Programme::kDibao, false, absl::CivilMonth(2023, 8)),
            absl::CivilDay(2024, 8, 1));
  EXPECT_EQ(ReviewDue(rules, Programme::kTekun, true, absl::CivilMonth(2023, 8)),
            absl::CivilDay(2024, 8, 1));
  EXPECT_FALSE(IsLateEntry(rules, absl::CivilDay(2023, 6, 1), absl::CivilDay(2023, 7, 1)));
  EXPECT_TRUE(IsLateEntry(rules, absl::CivilDay(2023, 6, 1), absl::CivilDay(2023, 7, 2)));
  const absl::CivilDay today(2023, 6, 30);
  EXPECT_EQ(*StepDate("", "on", today), today);
  EXPECT_EQ(StepDate("2023-07-01", "on", today).status().message(),
            "on: must not be in the future");
  EXPECT_EQ(StepDate("2023-02-30", "on", today).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseMonth("2023-02", "month"), absl::CivilMonth(2023, 2));
  EXPECT_EQ(ParseMonth("2023-13", "month").status().message(), "month: must be YYYY-MM");
  EXPECT_EQ(ParseMonth("2023-2", "month").status().message(), "month: must be YYYY-MM");
  EXPECT_EQ(FormatMonth(absl::CivilMonth(2023, 2)), "2023-02");
}

TEST(ReportWanYuan, WritesAmountsAsTheReportDoes) {
  EXPECT_EQ(ReportWanYuan(Money::Yuan(38080000)), "3808万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(5449876)), "545万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(680000)), "68万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(104600)), "10.46万元");
  EXPECT_EQ(ReportWanYuan(Money::Yuan(8500)), "0.85万元");
}

}  // namespace
}  // namespace civil::assistance
