// Unit tests of the disability subsidy rules (care eligibility, the 低保 decision, stop months,
// standards) and of the vagrant relief and shared value rules.
#include "services/affairs/disability.h"

#include <gtest/gtest.h>

#include "services/affairs/relief.h"
#include "services/common/values.h"
#include "tests/support/test_ids.h"

namespace civil::affairs {
namespace {

using testing::Id;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(CareSubsidyTest, OnlyGradeOneOrTwoNeedingLongTermCare) {
  EXPECT_TRUE(CheckCareEligibility(1, true).ok());
  EXPECT_TRUE(CheckCareEligibility(2, true).ok());
  absl::Status grade3 = CheckCareEligibility(3, true);
  EXPECT_EQ(grade3.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(grade3.message(),
            "kind: the care subsidy (重度残疾人护理补贴) is for disability grade 1 or 2; this "
            "person is grade 3");
  EXPECT_EQ(CheckCareEligibility(1, false).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LivingSubsidyTest, EligibleOnlyWithAnActiveDibaoEnrolment) {
  EXPECT_FALSE(DecideLiving({}).eligible);
  EnrolmentFact tekun{"e1", false, true, absl::CivilMonth(2020, 1), std::nullopt};
  EXPECT_FALSE(DecideLiving({tekun}).eligible);
  EnrolmentFact ended{"e2", true, false, absl::CivilMonth(2019, 1), absl::CivilMonth(2022, 8)};
  LivingEligibility no = DecideLiving({tekun, ended});
  EXPECT_FALSE(no.eligible);
  EXPECT_EQ(no.last_month, absl::CivilMonth(2022, 8));
  EnrolmentFact active{"e3", true, true, absl::CivilMonth(2022, 10), std::nullopt};
  LivingEligibility yes = DecideLiving({ended, active});
  EXPECT_TRUE(yes.eligible);
  EXPECT_EQ(yes.enrolment_id, "e3");
  EXPECT_EQ(yes.since, absl::CivilMonth(2022, 10));
}

TEST(LivingSubsidyTest, StopsFromTheMonthAfterLeaving) {
  LivingEligibility left{false, "", std::nullopt, absl::CivilMonth(2023, 4)};
  EXPECT_EQ(LivingStopMonth(left, Day(2023, 6, 10), absl::CivilMonth(2022, 1)),
            absl::CivilMonth(2023, 5));
  // Never before the subsidy started.
  EXPECT_EQ(LivingStopMonth(left, Day(2023, 6, 10), absl::CivilMonth(2023, 6)),
            absl::CivilMonth(2023, 6));
  LivingEligibility never{};
  EXPECT_EQ(LivingStopMonth(never, Day(2023, 12, 31), absl::CivilMonth(2022, 1)),
            absl::CivilMonth(2024, 1));
}

TEST(StandardTest, ValidatesKindGradeAndMonth) {
  absl::StatusOr<StandardDraft> s = ValidateStandard(2, 1, "340722", "2023-01", 10000);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->effective_month, absl::CivilMonth(2023, 1));
  EXPECT_EQ(ValidateStandard(2, 3, "340722", "2023-01", 1).status().message(),
            "grade: must be 0 (every grade) to 2");
  EXPECT_TRUE(ValidateStandard(1, 4, "340722", "2023-01", 1).ok());
  EXPECT_EQ(ValidateStandard(0, 0, "340722", "2023-01", 1).status().message(),
            "kind: must be given");
  EXPECT_EQ(ValidateStandard(1, 0, "340722", "2023-1", 1).status().message(),
            "effective_month: must be a month written YYYY-MM");
  EXPECT_EQ(ValidateStandard(1, 0, "340722", "2023-01", 0).status().message(),
            "monthly_fen: must be from 1 to 100000000");
}

TEST(DisabledPersonTest, ValidatesCertificateData) {
  DisabledPersonInput in{"李某", Id("19800101", false), "340722100001", 4, 2, "2020-05-01", true};
  ASSERT_TRUE(ValidateDisabledPerson(in, Day(2023, 6, 30)).ok());
  in.grade = 5;
  EXPECT_EQ(ValidateDisabledPerson(in, Day(2023, 6, 30)).status().message(),
            "grade: must be from 1 to 4");
  in.grade = 2;
  in.category = 8;
  EXPECT_EQ(ValidateDisabledPerson(in, Day(2023, 6, 30)).status().message(),
            "category: must be given");
  in.category = 4;
  in.certified_date = "2023-07-01";
  EXPECT_EQ(ValidateDisabledPerson(in, Day(2023, 6, 30)).status().message(),
            "certified_date: must not be in the future (today is 2023-06-30)");
}

TEST(ReliefTest, IdentityFieldsOnlyWhenKnown) {
  ReliefCaseInput in{"340722100", "县汽车站", "2023-05-01", false, "", "", {1, 2, 1}, 0, 2000, ""};
  absl::StatusOr<ReliefCaseDraft> d = ValidateReliefCase(in, Day(2023, 6, 30));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->family_tracing, kFamilyTracingInProgress);
  EXPECT_EQ(d->services, (std::vector<std::string>{"FOOD", "ACCOMMODATION"}));
  in.id_number = Id("19700101", true);
  EXPECT_EQ(ValidateReliefCase(in, Day(2023, 6, 30)).status().message(),
            "id_number: only when identity_known");
  in.identity_known = true;
  d = ValidateReliefCase(in, Day(2023, 6, 30));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->family_tracing, kFamilyTracingNotNeeded);
  ASSERT_TRUE(d->id.has_value());
  in.services = {9};
  EXPECT_EQ(ValidateReliefCase(in, Day(2023, 6, 30)).status().message(),
            "services[0]: must be a defined service");
}

TEST(ReliefTest, CampaignDates) {
  CampaignInput in{1, "夏季送清凉", "340722", "2023-06-01", "2023-06-30", 120, 50000};
  ASSERT_TRUE(ValidateCampaign(in, Day(2023, 6, 30)).ok());
  in.end_date = "2023-05-31";
  EXPECT_EQ(ValidateCampaign(in, Day(2023, 6, 30)).status().message(),
            "end_date: must not be before start_date");
  in.end_date = "";
  in.start_date = "";
  EXPECT_EQ(ValidateCampaign(in, Day(2023, 6, 30)).status().message(), "start_date: is required");
}

TEST(ValuesTest, EventDatesDefaultToTodayAndNeverLieInTheFuture) {
  EXPECT_EQ(*EventDate("date", "", Day(2024, 2, 29)), Day(2024, 2, 29));
  EXPECT_EQ(*EventDate("date", "2024-02-29", Day(2024, 2, 29)), Day(2024, 2, 29));
  EXPECT_EQ(EventDate("date", "2023-02-29", Day(2024, 2, 29)).status().message(),
            "date: no such date on the calendar");
  EXPECT_EQ(EventDate("date", "2024-03-01", Day(2024, 2, 29)).status().message(),
            "date: must not be in the future (today is 2024-02-29)");
  EXPECT_EQ(EventDate("date", "2024/03/01", Day(2024, 3, 1)).status().message(),
            "date: must be a date written YYYY-MM-DD");
}

TEST(ValuesTest, MonthsAndText) {
  EXPECT_EQ(*ParseMonth("2024-02"), absl::CivilMonth(2024, 2));
  EXPECT_FALSE(ParseMonth("2024-2").ok());
  EXPECT_FALSE(ParseMonth("2024-00").ok());
  EXPECT_EQ(FormatMonth(absl::CivilMonth(2005, 9)), "2005-09");
  EXPECT_EQ(*BoundedText("name", "  王五 ", 64), "王五");
  EXPECT_EQ(BoundedText("name", "a\tb", 64).status().message(),
            "name: must be text without control characters");
  EXPECT_EQ(BoundedText("name", std::string(65, 'a'), 64).status().message(),
            "name: must be at most 64 characters");
  EXPECT_EQ(RequireUuid("id", "x").message(), "id: must be a UUID");
}

TEST(SubsidyGrievanceTest, OnlyARefusalGoesBackToTheEligibilityCheck) {
  EXPECT_TRUE(CheckReopenRejectedSubsidy(SubsidyStatus::kRejected).ok());
  for (SubsidyStatus s :
       {SubsidyStatus::kPendingEligibility, SubsidyStatus::kActive, SubsidyStatus::kStopped}) {
    EXPECT_EQ(CheckReopenRejectedSubsidy(s).code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST(FederationCertificateTest, ARevocationStopsBothAGradeAboveTwoTheCareSubsidy) {
  const absl::CivilDay day(2023, 6, 10);
  EXPECT_EQ(SubsidiesStoppedBy({.revoked = true, .grade = 0, .event_date = day}),
            (std::vector<SubsidyKind>{SubsidyKind::kLiving, SubsidyKind::kCare}));
  EXPECT_EQ(SubsidiesStoppedBy({.revoked = false, .grade = 3, .event_date = day}),
            (std::vector<SubsidyKind>{SubsidyKind::kCare}));
  EXPECT_TRUE(SubsidiesStoppedBy({.revoked = false, .grade = 2, .event_date = day}).empty());
  EXPECT_EQ(CertificateStopMonth(day), absl::CivilMonth(2023, 7));
  EXPECT_TRUE(CheckCertificateValid(std::nullopt).ok());
  EXPECT_EQ(CheckCertificateValid(day).message(),
            "person_id: the disability certificate was revoked on 2023-06-10 (残联)");
}

TEST(SubsidyGrievanceTest, AReinstatedDibaoResumesOnlyTheLivingSubsidyItsExitStopped) {
  const absl::CivilMonth jan(2023, 1), jul(2023, 7), sep(2023, 9);
  // Stopped by the 低保 exit from July (the handler's and the review's reasons).
  EXPECT_TRUE(ResumesOnDibaoReinstated("left 低保 (EXIT_REASON_INELIGIBLE_INCOME)", jan, jul, jul));
  EXPECT_TRUE(ResumesOnDibaoReinstated("left 低保 (last month covered 2023-06)", jan, jul, jul));
  // A subsidy that started after the exit's month was stopped from its start.
  EXPECT_TRUE(ResumesOnDibaoReinstated("left 低保 (EXIT_REASON_INELIGIBLE_INCOME)", sep, sep, jul));
  // Another exit's stop, a death, a reviewer's stop: they stay.
  EXPECT_FALSE(
      ResumesOnDibaoReinstated("left 低保 (EXIT_REASON_INELIGIBLE_INCOME)", jan, sep, jul));
  EXPECT_FALSE(ResumesOnDibaoReinstated("deceased on 2023-06-10", jan, jul, jul));
  EXPECT_FALSE(ResumesOnDibaoReinstated("moved away", jan, jul, jul));
}

TEST(MoveOutTest, SubsidiesStopFromTheMonthAfterTheMove) {
  EXPECT_EQ(MoveOutStopMonth(Day(2023, 6, 10)), absl::CivilMonth(2023, 7));
  EXPECT_EQ(MoveOutStopMonth(Day(2023, 6, 30)), absl::CivilMonth(2023, 7));
  EXPECT_EQ(MoveOutStopMonth(Day(2023, 12, 1)), absl::CivilMonth(2024, 1));
}

std::vector<absl::CivilMonth> Months(std::initializer_list<std::pair<int, int>> months) {
  std::vector<absl::CivilMonth> out;
  for (const auto& [y, m] : months) out.push_back(absl::CivilMonth(y, m));
  return out;
}

TEST(BackPayTest, PaysTheUnpaidMonthsRunsPassedWhileStopped) {
  // Stopped from July, resumed on 15 October, runs done up to September: July–September.
  BackPayFacts facts{.end = absl::CivilMonth(2023, 7),
                     .resumed_on = Day(2023, 10, 15),
                     .last_run_month = absl::CivilMonth(2023, 9)};
  EXPECT_EQ(BackPayMonths(facts), Months({{2023, 7}, {2023, 8}, {2023, 9}}));
  // July was paid by its run before the stop reached it: only August and September.
  facts.paid = Months({{2023, 7}});
  EXPECT_EQ(BackPayMonths(facts), Months({{2023, 8}, {2023, 9}}));
  // Everything paid already (a second reinstatement): nothing.
  facts.paid = Months({{2023, 9}, {2023, 7}, {2023, 8}});
  EXPECT_TRUE(BackPayMonths(facts).empty());
}

TEST(BackPayTest, MonthsNoRunReachedAreLeftToTheRuns) {
  BackPayFacts facts{.end = absl::CivilMonth(2023, 7), .resumed_on = Day(2023, 10, 15)};
  EXPECT_TRUE(BackPayMonths(facts).empty()) << "no run yet";
  facts.last_run_month = absl::CivilMonth(2023, 6);
  EXPECT_TRUE(BackPayMonths(facts).empty()) << "the last run is before the stop";
  facts.last_run_month = absl::CivilMonth(2023, 7);
  EXPECT_EQ(BackPayMonths(facts), Months({{2023, 7}}));
  // The month of the reinstatement is paid back once its run has passed, never a later one.
  facts.last_run_month = absl::CivilMonth(2023, 12);
  EXPECT_EQ(BackPayMonths(facts), Months({{2023, 7}, {2023, 8}, {2023, 9}, {2023, 10}}));
  // Across a year.
  facts = BackPayFacts{.end = absl::CivilMonth(2023, 11),
                       .resumed_on = Day(2024, 2, 1),
                       .last_run_month = absl::CivilMonth(2024, 1)};
  EXPECT_EQ(BackPayMonths(facts), Months({{2023, 11}, {2023, 12}, {2024, 1}}));
}

TEST(BackPayTest, NoMonthAfterTheMonthOfDeath) {
  BackPayFacts facts{.end = absl::CivilMonth(2023, 7),
                     .resumed_on = Day(2023, 10, 15),
                     .last_run_month = absl::CivilMonth(2023, 9),
                     .died = Day(2023, 8, 31)};
  EXPECT_EQ(BackPayMonths(facts), Months({{2023, 7}, {2023, 8}}));
  facts.died = Day(2023, 6, 1);
  EXPECT_TRUE(BackPayMonths(facts).empty());
}

}  // namespace
}  // namespace civil::affairs
