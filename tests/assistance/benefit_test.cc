// Unit tests of the benefit rules (services/assistance/benefit.h).
#include "services/assistance/benefit.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/common/values.h"

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
  // The kit's EventDate and month helpers (services/common/values.h), which assistance uses.
  EXPECT_EQ(*EventDate("on", "", today), today);
  EXPECT_TRUE(absl::StartsWith(EventDate("on", "2023-07-01", today).status().message(),
                               "on: must not be in the future"));
  EXPECT_EQ(EventDate("on", "2023-02-30", today).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseMonth("2023-02"), absl::CivilMonth(2023, 2));
  EXPECT_EQ(ParseMonth("2023-13").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseMonth("2023-2").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatMonth(absl::CivilMonth(2023, 2)), "2023-02");
}

// ----- which standard applies, and the amount paid for a month (提标) -----------------------

StandardRecord Standard(const std::string& id, const std::string& prefix, absl::CivilDay from,
                        int64_t monthly_fen) {
  StandardRecord s{id, prefix, from, Rural()};
  s.values.monthly = Money::Fen(monthly_fen);
  return s;
}

// The id of the standard StandardInForce picks, "" for none.
std::string Picked(const std::vector<StandardRecord>& standards, const std::string& region,
                   absl::CivilMonth month) {
  std::optional<size_t> i = StandardInForce(standards, region, month);
  return i ? standards[*i].standard_id : "";
}

TEST(StandardInForce, TakesTheLatestDateOfOnePrefixFromTheMonthItTakesEffect) {
  const std::vector<StandardRecord> county = {
      Standard("790", "340722", absl::CivilDay(2023, 1, 1), 79000),
      Standard("830", "340722", absl::CivilDay(2023, 7, 1), 83000),
      Standard("850", "340722", absl::CivilDay(2023, 9, 15), 85000),
  };
  const std::string village = "340722100101";
  EXPECT_EQ(Picked(county, village, absl::CivilMonth(2022, 12)), "");  // none yet
  EXPECT_EQ(Picked(county, village, absl::CivilMonth(2023, 1)), "790");
  EXPECT_EQ(Picked(county, village, absl::CivilMonth(2023, 6)), "790");
  EXPECT_EQ(Picked(county, village, absl::CivilMonth(2023, 7)), "830");  // on the first day
  // One from the 15th is not in force on the month's first day: it applies from the next month.
  EXPECT_EQ(Picked(county, village, absl::CivilMonth(2023, 9)), "830");
  EXPECT_EQ(Picked(county, village, absl::CivilMonth(2023, 10)), "850");
  // Order of the candidates does not matter.
  const std::vector<StandardRecord> reversed(county.rbegin(), county.rend());
  EXPECT_EQ(Picked(reversed, village, absl::CivilMonth(2023, 8)), "830");
}

TEST(StandardInForce, TheMostLocalStandardWinsOverANewerCountyOne) {
  const std::vector<StandardRecord> standards = {
      Standard("county-790", "340722", absl::CivilDay(2023, 1, 1), 79000),
      Standard("town-800", "340722100", absl::CivilDay(2023, 3, 1), 80000),
      Standard("county-830", "340722", absl::CivilDay(2023, 7, 1), 83000),
      Standard("village-900", "340722100101", absl::CivilDay(2023, 8, 1), 90000),
      Standard("other-town", "340722200", absl::CivilDay(2023, 1, 1), 99000),
  };
  // Before the township's own standard takes effect, the county's applies.
  EXPECT_EQ(Picked(standards, "340722100102", absl::CivilMonth(2023, 2)), "county-790");
  EXPECT_EQ(Picked(standards, "340722100102", absl::CivilMonth(2023, 3)), "town-800");
  // The county's later raise does not replace the township's own standard ...
  EXPECT_EQ(Picked(standards, "340722100102", absl::CivilMonth(2023, 7)), "town-800");
  // ... but reaches every township without one.
  EXPECT_EQ(Picked(standards, "340722300101", absl::CivilMonth(2023, 7)), "county-830");
  // A village's own standard wins over its township's from the month it takes effect.
  EXPECT_EQ(Picked(standards, "340722100101", absl::CivilMonth(2023, 7)), "town-800");
  EXPECT_EQ(Picked(standards, "340722100101", absl::CivilMonth(2023, 8)), "village-900");
  // A prefix matches whole leading digits only: 340722200 is not a prefix of 340722100101.
  EXPECT_EQ(Picked(standards, "340722200101", absl::CivilMonth(2023, 1)), "other-town");
  EXPECT_EQ(Picked(standards, "340723100101", absl::CivilMonth(2023, 7)), "");  // other county
}

const absl::CivilMonth kJuly(2023, 7);

TEST(AmountForMonth, DibaoFollowsTheLineInForceWithItsSupplements) {
  StandardRecord raised = Standard("830", "340722", absl::CivilDay(2023, 7, 1), 83000);
  raised.values.supplement_elderly = Money::Fen(6000);
  const DecidedAmount decided{Money::Fen(64000 * 2 - 50000 + 5000), 2, absl::CivilMonth(2023, 2)};
  const std::vector<MemberFacts> members = {{absl::CivilDay(1950, 1, 1)},
                                            {absl::CivilDay(1985, 1, 1)}};
  // 830 × 2 − 500.01 = 1159.99 → 1160 yuan, + 60 yuan for the elderly head at the new amount.
  MonthlyPayment paid = AmountForMonth(Programme::kDibao, decided, &raised, nullptr,
                                       Money::Fen(50001), members, kJuly);
  EXPECT_EQ(paid.amount.fen(), 116000 + 6000);
  EXPECT_FALSE(paid.hold_for_review);
  // The same as DibaoMonthlyAmount on the members enrolled that month.
  EXPECT_EQ(paid.amount, *DibaoMonthlyAmount(raised.values, members, Money::Fen(50001), kJuly));
  // Ages are taken on the month paid: the younger member turns 18 → no minor supplement.
  raised.values.supplement_minor = Money::Fen(3000);
  const std::vector<MemberFacts> minor = {{absl::CivilDay(2005, 7, 2)}};
  EXPECT_EQ(AmountForMonth(Programme::kDibao, {Money(), 1, kJuly}, &raised, nullptr, Money(), minor,
                           kJuly)
                .amount.fen(),
            83000 + 3000);
  EXPECT_EQ(AmountForMonth(Programme::kDibao, {Money(), 1, kJuly}, &raised, nullptr, Money(), minor,
                           absl::CivilMonth(2023, 8))
                .amount.fen(),
            83000);
}

TEST(AmountForMonth, AGapNoLongerPositivePaysNothingAndHoldsForReview) {
  const StandardRecord line = Standard("790", "340722", absl::CivilDay(2023, 1, 1), 79000);
  const DecidedAmount decided{Money::Fen(1000), 1, absl::CivilMonth(2023, 2)};
  const std::vector<MemberFacts> one = {{absl::CivilDay(1950, 1, 1)}};
  MonthlyPayment at_line =
      AmountForMonth(Programme::kDibao, decided, &line, nullptr, Money::Fen(79000), one, kJuly);
  EXPECT_EQ(at_line.amount, Money());
  EXPECT_TRUE(at_line.hold_for_review);
  EXPECT_TRUE(
      AmountForMonth(Programme::kDibao, decided, &line, nullptr, Money::Fen(90000), one, kJuly)
          .hold_for_review);
  // One fen below the line is a gap: rounded up to a yuan, plus the supplement.
  MonthlyPayment below =
      AmountForMonth(Programme::kDibao, decided, &line, nullptr, Money::Fen(78999), one, kJuly);
  EXPECT_FALSE(below.hold_for_review);
  EXPECT_EQ(below.amount.fen(), 100 + 5000);
}

TEST(AmountForMonth, PerPersonProgrammesPayTheStandardInForce) {
  const StandardRecord tekun = Standard("t", "340722", absl::CivilDay(2023, 7, 1), 108000);
  const DecidedAmount decided{Money::Fen(102700), 1, absl::CivilMonth(2023, 2)};
  for (Programme p : {Programme::kTekun, Programme::kRetiredWorkerSubsidy}) {
    MonthlyPayment paid = AmountForMonth(p, decided, &tekun, nullptr, std::nullopt, {}, kJuly);
    EXPECT_EQ(paid.amount.fen(), 108000);
    EXPECT_FALSE(paid.hold_for_review);
  }
}

TEST(AmountForMonth, AReviewAmountCarriesTheChangeOfStandard) {
  StandardRecord old_line = Standard("790", "340722", absl::CivilDay(2023, 1, 1), 79000);
  StandardRecord new_line = Standard("830", "340722", absl::CivilDay(2023, 7, 1), 83000);
  new_line.values.supplement_elderly = Money::Fen(6000);
  // A reviewer raised a single person's 690 yuan (790 − 100) to 750 from April.
  const DecidedAmount review{Money::Fen(75000), 1, absl::CivilMonth(2023, 4),
                             /*set_on_review=*/true};
  const std::vector<MemberFacts> young = {{absl::CivilDay(1985, 1, 1)}};
  // Decided on the 790 line: paid as set while that line is in force.
  EXPECT_EQ(AmountForMonth(Programme::kDibao, review, &old_line, &old_line, Money::Fen(10000),
                           young, absl::CivilMonth(2023, 6))
                .amount.fen(),
            75000);
  // From July the raise is added to what the reviewer set (730 − 690 = +40 yuan), not the
  // formula's 730 yuan in its place: a raise never lowers an amount.
  EXPECT_EQ(AmountForMonth(Programme::kDibao, review, &new_line, &old_line, Money::Fen(10000),
                           young, kJuly)
                .amount.fen(),
            79000);
  // The supplements' change is carried too (an elderly member: +40 + 10 yuan).
  const std::vector<MemberFacts> elderly = {{absl::CivilDay(1950, 1, 1)}};
  EXPECT_EQ(AmountForMonth(Programme::kDibao, review, &new_line, &old_line, Money::Fen(10000),
                           elderly, kJuly)
                .amount.fen(),
            75000 + 4000 + 1000);
  // Per-person programmes: the standard's difference.
  EXPECT_EQ(AmountForMonth(Programme::kTekun, review, &new_line, &old_line, std::nullopt, {}, kJuly)
                .amount.fen(),
            75000 + 4000);
  // A lower standard lowers it, never below zero; no hold (the amount is the reviewer's).
  const DecidedAmount small{Money::Fen(1000), 1, absl::CivilMonth(2023, 4), true};
  MonthlyPayment lowered = AmountForMonth(Programme::kDibao, small, &old_line, &new_line,
                                          Money::Fen(10000), young, kJuly);
  EXPECT_EQ(lowered.amount, Money());
  EXPECT_FALSE(lowered.hold_for_review);
}

TEST(DibaoFormula, RoundsUpOnceAlsoBelowZero) {
  const std::vector<MemberFacts> one = {{absl::CivilDay(1985, 1, 1)}};
  EXPECT_EQ(DibaoFormula(Rural(), 1, Money::Fen(10001), one, kJuly).fen(), 54000);
  EXPECT_EQ(DibaoFormula(Rural(), 1, Money::Fen(64150), one, kJuly).fen(), -100);
}

TEST(AmountForMonth, WithoutAStandardOrAnIncomeTheDecidedAmountIsPaid) {
  const StandardRecord line = Standard("790", "340722", absl::CivilDay(2023, 1, 1), 79000);
  const DecidedAmount imported{Money::Fen(45600), 2, absl::CivilMonth(2023, 2)};
  EXPECT_EQ(AmountForMonth(Programme::kDibao, imported, nullptr, nullptr, Money(), {}, kJuly)
                .amount.fen(),
            45600);
  EXPECT_EQ(AmountForMonth(Programme::kDibao, imported, &line, nullptr, std::nullopt, {}, kJuly)
                .amount.fen(),
            45600);
}

// 特困 grounds (社会救助暂行办法 第14条).
const absl::CivilDay kInvestigated(2023, 6, 10);

TEST(TekunCategory, ElderlyNeedsSixtyOnTheInvestigationDay) {
  // 60 exactly on the day.
  EXPECT_TRUE(CheckTekunCategory(TekunCategory::kElderly, absl::CivilDay(1963, 6, 10),
                                 kInvestigated, "tekun_grounds.category")
                  .ok());
  // 60 the day after: still 59.
  absl::Status s = CheckTekunCategory(TekunCategory::kElderly, absl::CivilDay(1963, 6, 11),
                                      kInvestigated, "tekun_grounds.category");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "tekun_grounds.category: ELDERLY needs an applicant aged 60 or more; the applicant is "
            "59 on the investigation day");
}

TEST(TekunCategory, MinorMustBeUnderSixteen) {
  EXPECT_TRUE(CheckTekunCategory(TekunCategory::kMinor, absl::CivilDay(2007, 6, 11), kInvestigated,
                                 "tekun_grounds.category")
                  .ok());
  absl::Status s = CheckTekunCategory(TekunCategory::kMinor, absl::CivilDay(2007, 6, 10),
                                      kInvestigated, "tekun_grounds.category");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "tekun_grounds.category: MINOR needs an applicant under 16; the applicant is 16 on "
            "the investigation day");
}

TEST(TekunCategory, DisabledAtAnyAge) {
  for (absl::CivilDay birth :
       {absl::CivilDay(2015, 1, 1), absl::CivilDay(1980, 1, 1), absl::CivilDay(1940, 1, 1)}) {
    EXPECT_TRUE(
        CheckTekunCategory(TekunCategory::kDisabled, birth, kInvestigated, "category").ok());
  }
}

TEST(TekunCategory, NamesAndNumbers) {
  EXPECT_EQ(TekunCategoryName(TekunCategory::kMinor), "MINOR");
  EXPECT_EQ(*TekunCategoryFromName("DISABLED"), TekunCategory::kDisabled);
  EXPECT_FALSE(TekunCategoryFromName("POOR").ok());
  EXPECT_EQ(*TekunCategoryFromNumber(1, "c"), TekunCategory::kElderly);
  absl::StatusOr<TekunCategory> none = TekunCategoryFromNumber(0, "tekun_grounds.category");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(none.status().message(),
            "tekun_grounds.category: unknown category: ELDERLY, DISABLED or MINOR");
  EXPECT_FALSE(TekunCategoryFromNumber(4, "c").ok());
}

TEST(TekunGroundsForApproval, AllThreeConditionsApprove) {
  EXPECT_TRUE(
      CheckTekunGroundsForApproval(TekunGrounds{TekunCategory::kElderly, true, true, true}).ok());
}

TEST(TekunGroundsForApproval, NoGroundsRecordedIsRefused) {
  absl::Status s = CheckTekunGroundsForApproval(std::nullopt);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "tekun_grounds: the investigation recorded no"))
      << s.message();
}

TEST(TekunGroundsForApproval, NamesEachMissingCondition) {
  absl::Status s =
      CheckTekunGroundsForApproval(TekunGrounds{TekunCategory::kDisabled, true, false, false});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(
      s.message(), "tekun_grounds: not established at investigation: no_income, no_supporter "))
      << s.message();
  s = CheckTekunGroundsForApproval(TekunGrounds{TekunCategory::kMinor, false, true, true});
  EXPECT_TRUE(absl::StartsWith(
      s.message(), "tekun_grounds: not established at investigation: no_work_capacity "))
      << s.message();
}

// 支出型困难家庭: income at or above the 低保 line, income minus rigid expenses below it.
TEST(ExpenditureHardship, IncomeLessRigidExpensesBelowTheLineIsEligible) {
  // Line 640 × 2 = 1280 yuan; income 1500 − (200 + 20.01) = 1279.99 < 1280.
  EXPECT_TRUE(
      CheckExpenditureHardshipForApproval(Rural(), 2, Money::Fen(150000),
                                          RigidExpenses{Money::Fen(20000), Money::Fen(2001)})
          .ok());
  // Income exactly on the line is not a 低保 case: eligible with any expense.
  EXPECT_TRUE(CheckExpenditureHardshipForApproval(Rural(), 2, Money::Fen(128000),
                                                  RigidExpenses{Money::Fen(0), Money::Fen(1)})
                  .ok());
}

TEST(ExpenditureHardship, IncomeLessExpensesOnOrAboveTheLineIsRefused) {
  // 1500 − 220 = 1280: on the line, not below it.
  absl::Status s = CheckExpenditureHardshipForApproval(
      Rural(), 2, Money::Fen(150000), RigidExpenses{Money::Fen(20000), Money::Fen(2000)});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      s.message(),
      "rigid_expenses: household income 1500.00 yuan less rigid expenses 220.00 yuan is "
      "1280.00 yuan, not below the 低保 line 1280.00 yuan (2 × 640.00): not a 支出型困难家庭; "
      "reject the application");
}

TEST(ExpenditureHardship, IncomeBelowTheLineIsADibaoCase) {
  absl::Status s = CheckExpenditureHardshipForApproval(
      Rural(), 2, Money::Fen(127999), RigidExpenses{Money::Fen(50000), Money::Fen(0)});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "rigid_expenses: household income 1279.99 yuan is below the 低保 line 1280.00 yuan "
            "(2 × 640.00): a 低保 case, not 支出型; reject the application and file it for 低保");
}

TEST(ExpenditureHardship, NoExpensesRecordedIsRefused) {
  absl::Status s =
      CheckExpenditureHardshipForApproval(Rural(), 2, Money::Fen(150000), std::nullopt);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "rigid_expenses: the investigation recorded no"))
      << s.message();
}

TEST(RigidExpenses, NegativeAmountsNameTheField) {
  EXPECT_TRUE(
      CheckRigidExpenses(RigidExpenses{Money::Fen(0), Money::Fen(0)}, "rigid_expenses").ok());
  absl::Status s =
      CheckRigidExpenses(RigidExpenses{Money::Fen(-1), Money::Fen(0)}, "rigid_expenses");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "rigid_expenses.medical_fen: must not be negative");
  s = CheckRigidExpenses(RigidExpenses{Money::Fen(100), Money::Fen(-5)}, "rigid_expenses");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "rigid_expenses.education_fen: must not be negative");
}

TEST(GrievanceReopenTest, OnlyARejectionGoesBackToInvestigation) {
  EXPECT_TRUE(CheckReopenRejected(ApplicationStatus::kRejected).ok());
  for (ApplicationStatus s : {ApplicationStatus::kSubmitted, ApplicationStatus::kInvestigated,
                              ApplicationStatus::kInNotice, ApplicationStatus::kApproved}) {
    EXPECT_EQ(CheckReopenRejected(s).code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST(GrievanceReopenTest, AnExitIsReversedUnlessActiveOrForDeath) {
  EXPECT_TRUE(CheckExitReversal(true, ExitReason::kIneligibleIncome).ok());
  EXPECT_EQ(CheckExitReversal(false, ExitReason::kIneligibleIncome).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckExitReversal(true, ExitReason::kDeath).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(GrievanceReopenTest, BackPaymentIsTheDifferenceNeverNegative) {
  EXPECT_EQ(BackPayment(Money::Fen(64000), Money()).fen(), 64000);
  EXPECT_EQ(BackPayment(Money::Fen(64000), Money::Fen(30000)).fen(), 34000);
  EXPECT_EQ(BackPayment(Money::Fen(64000), Money::Fen(64000)).fen(), 0);
  EXPECT_EQ(BackPayment(Money::Fen(30000), Money::Fen(64000)).fen(), 0);
}

TEST(MarginalMultiplierPermille, OneAndAHalfTimesTheLineUnlessSet) {
  EXPECT_EQ(MarginalMultiplierPermille(0), 1500);
  EXPECT_EQ(MarginalMultiplierPermille(2000), 2000);
}

}  // namespace
}  // namespace civil::assistance
