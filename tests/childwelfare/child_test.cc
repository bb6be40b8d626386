// Unit tests of the 孤儿 / 事实无人抚养儿童 rules (services/childwelfare/child.h): no servers.
#include "services/childwelfare/child.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/support/test_ids.h"

namespace civil::childwelfare {
namespace {

using civil::affairs::testing::Id;
using PS = ParentSituation;

absl::CivilMonth M(int y, int m) { return absl::CivilMonth(y, m); }
absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

ApplicationInput Input(const std::string& id, Category category = Category::kOrphanDispersed,
                       PS father = PS::kDeceased, PS mother = PS::kMissing) {
  return ApplicationInput{"小明",
                          id,
                          "340722100001",
                          static_cast<int>(category),
                          static_cast<int>(father),
                          static_cast<int>(mother),
                          "王某",
                          "祖母",
                          "祖母家",
                          "2023-03-02"};
}

std::string ErrorOf(const absl::Status& s) { return std::string(s.message()); }

TEST(GroundsTest, AnOrphansParentsAreBothDeadOrMissing) {
  EXPECT_TRUE(CheckGrounds(Category::kOrphanDispersed, PS::kDeceased, PS::kDeceased).ok());
  EXPECT_TRUE(CheckGrounds(Category::kOrphanCentralised, PS::kMissing, PS::kDeceased).ok());
  const absl::Status s = CheckGrounds(Category::kOrphanDispersed, PS::kDeceased, PS::kImprisoned);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "mother: is IMPRISONED")) << s;
  EXPECT_TRUE(absl::StartsWith(
      ErrorOf(CheckGrounds(Category::kOrphanCentralised, PS::kAble, PS::kDeceased)), "father:"));
}

TEST(GroundsTest, ADeFactoChildHasBothParentsGoneOrIncapableButNotBothGone) {
  EXPECT_TRUE(
      CheckGrounds(Category::kDeFactoUnsupported, PS::kImprisoned, PS::kSeverelyDisabled).ok());
  EXPECT_TRUE(CheckGrounds(Category::kDeFactoUnsupported, PS::kDeceased, PS::kLostContact).ok());
  EXPECT_TRUE(CheckGrounds(Category::kDeFactoUnsupported, PS::kCompulsoryRehab, PS::kMissing).ok());
  // One able parent raises the child.
  absl::Status s = CheckGrounds(Category::kDeFactoUnsupported, PS::kImprisoned, PS::kAble);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "mother: is ABLE")) << s;
  // Both gone: an orphan, not a de-facto child.
  s = CheckGrounds(Category::kDeFactoUnsupported, PS::kDeceased, PS::kMissing);
  EXPECT_TRUE(absl::StartsWith(s.message(), "category: both parents")) << s;
}

TEST(ApplicationTest, ValidatesEveryFieldByName) {
  const absl::CivilDay today = D(2023, 7, 15);
  absl::StatusOr<ApplicationDraft> ok = ValidateApplication(Input(Id("20150610", true)), today);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->applied_on, D(2023, 3, 2));
  EXPECT_EQ(ok->category, Category::kOrphanDispersed);
  EXPECT_EQ(ok->guardian_relation, "祖母");

  auto field = [&](const ApplicationInput& in) {
    absl::StatusOr<ApplicationDraft> d = ValidateApplication(in, today);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string m(d.status().message());
    return m.substr(0, m.find(':'));
  };
  std::string wrong = Id("20150610", true);
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  EXPECT_EQ(field(Input(wrong)), "id_number");
  ApplicationInput in = Input(Id("20150610", true));
  in.category = 0;
  EXPECT_EQ(field(in), "category");
  in = Input(Id("20150610", true));
  in.father = 42;
  EXPECT_EQ(field(in), "father");
  in = Input(Id("20150610", true));
  in.guardian_name = "";
  EXPECT_EQ(field(in), "guardian_name");
  in = Input(Id("20150610", true));
  in.placement = "";
  EXPECT_EQ(field(in), "placement");
  in = Input(Id("20150610", true));
  in.region_code = "340722100";
  EXPECT_EQ(field(in), "region_code");
  in = Input(Id("20150610", true));
  in.application_date = "2023-07-16";  // the future
  EXPECT_EQ(field(in), "application_date");
  // Empty date: today.
  in.application_date = "";
  EXPECT_EQ(ValidateApplication(in, today)->applied_on, today);
}

TEST(ApplicationTest, AChildAged18OrOverIsRefused) {
  const absl::CivilDay today = D(2023, 7, 15);
  ApplicationInput in = Input(Id("20050302", false));
  in.application_date = "2023-03-01";  // 17 the day before the 18th birthday
  EXPECT_TRUE(ValidateApplication(in, today).ok());
  in.application_date = "2023-03-02";  // 18 that day
  absl::StatusOr<ApplicationDraft> d = ValidateApplication(in, today);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(d.status().message(),
            "id_number: the child is 18 on 2023-03-02; only children under 18 are identified");
}

TEST(MakerCheckerTest, TheCheckerIsNotTheClerkAndTheApproverIsNeither) {
  const absl::CivilDay applied = D(2023, 3, 2);
  EXPECT_TRUE(
      CheckTownshipCheck(ChildStatus::kPendingCheck, "clerk", "township", applied, D(2023, 3, 3))
          .ok());
  absl::Status s =
      CheckTownshipCheck(ChildStatus::kPendingCheck, "clerk", "clerk", applied, D(2023, 3, 3));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StartsWith(s.message(), "maker-checker:")) << s;
  EXPECT_EQ(
      CheckTownshipCheck(ChildStatus::kPendingCheck, "clerk", "township", applied, D(2023, 3, 1))
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      CheckTownshipCheck(ChildStatus::kPendingApproval, "clerk", "township", applied, D(2023, 3, 3))
          .code(),
      absl::StatusCode::kFailedPrecondition);

  const absl::CivilDay checked = D(2023, 3, 3);
  EXPECT_TRUE(CheckApproval(ChildStatus::kPendingApproval, "clerk", "township", "county", checked,
                            D(2023, 3, 5))
                  .ok());
  EXPECT_EQ(CheckApproval(ChildStatus::kPendingApproval, "clerk", "township", "clerk", checked,
                          D(2023, 3, 5))
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckApproval(ChildStatus::kPendingApproval, "clerk", "township", "township", checked,
                          D(2023, 3, 5))
                .code(),
            absl::StatusCode::kPermissionDenied);
  // Not checked yet, or decided before the check.
  s = CheckApproval(ChildStatus::kPendingCheck, "clerk", "", "county", applied, D(2023, 3, 5));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(s.message(), "CheckChild first")) << s;
  EXPECT_EQ(CheckApproval(ChildStatus::kPendingApproval, "clerk", "township", "county", checked,
                          D(2023, 3, 2))
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(MakerCheckerTest, OnlyAReviewerOfTheCountyApproves) {
  EXPECT_TRUE(CheckCountyLevel("340722").ok());
  EXPECT_TRUE(CheckCountyLevel("3407").ok());
  EXPECT_TRUE(CheckCountyLevel("*").ok());
  const absl::Status township = CheckCountyLevel("340722100");
  EXPECT_EQ(township.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(township.message(),
            "region: the county approval needs a reviewer of the county; your scope is 340722100");
  EXPECT_EQ(CheckCountyLevel("").code(), absl::StatusCode::kPermissionDenied);
}

TEST(AgeStopTest, FromTheMonthAfterThe18thBirthday) {
  // Born on the 1st: 18 on 1 March 2026, paid through March, stopped from April.
  EXPECT_EQ(AgeStopMonth(D(2008, 3, 1), std::nullopt, 22), M(2026, 4));
  // Born on the 31st: the birthday month is still paid.
  EXPECT_EQ(AgeStopMonth(D(2008, 1, 31), std::nullopt, 22), M(2026, 2));
  EXPECT_EQ(AgeStopMonth(D(2007, 12, 31), std::nullopt, 22), M(2026, 1));
  // Born on 29 February: 18 on 1 March in a non-leap year, so March is paid.
  EXPECT_EQ(BirthdayAt(D(2008, 2, 29), 18), D(2026, 3, 1));
  EXPECT_EQ(AgeStopMonth(D(2008, 2, 29), std::nullopt, 22), M(2026, 4));
  // A year 18 after a leap year is never one: the 18th birthday is always 1 March.
  EXPECT_EQ(BirthdayAt(D(2004, 2, 29), 18), D(2022, 3, 1));
  EXPECT_EQ(AgeStopMonth(D(2004, 2, 29), std::nullopt, 22), M(2022, 4));
  // Born 28 February: February is the last month paid.
  EXPECT_EQ(AgeStopMonth(D(2008, 2, 28), std::nullopt, 22), M(2026, 3));
  // The birthday agrees with the kit's age count.
  EXPECT_EQ(AgeOn(D(2008, 2, 29), D(2026, 2, 28)), 17);
  EXPECT_EQ(AgeOn(D(2008, 2, 29), BirthdayAt(D(2008, 2, 29), 18)), 18);

  EXPECT_TRUE(CoversMonth(M(2023, 3), std::nullopt, M(2026, 4), M(2026, 3)));
  EXPECT_FALSE(CoversMonth(M(2023, 3), std::nullopt, M(2026, 4), M(2026, 4)));
  EXPECT_FALSE(CoversMonth(M(2023, 3), std::nullopt, M(2026, 4), M(2023, 2)));
  EXPECT_FALSE(CoversMonth(M(2023, 3), M(2024, 1), M(2026, 4), M(2024, 1)));
}

TEST(AgeStopTest, FullTimeEducationExtendsUpToTheConfiguredAge) {
  const absl::CivilDay birth = D(2008, 3, 1);  // 18 in March 2026, 22 in March 2030
  // Studying until June 2027: paid through June.
  EXPECT_EQ(AgeStopMonth(birth, M(2027, 6), 22), M(2027, 7));
  // Never past the month of the configured birthday.
  EXPECT_EQ(AgeStopMonth(birth, M(2031, 6), 22), M(2030, 4));
  EXPECT_EQ(AgeStopMonth(birth, M(2031, 6), 20), M(2028, 4));
  // Education ending before 18 does not shorten the allowance.
  EXPECT_EQ(AgeStopMonth(birth, M(2025, 6), 22), M(2026, 4));
  // An education record is validated by name.
  absl::StatusOr<EducationRecord> e = ValidateEducation("安徽大学", "2027-06", "", D(2026, 2, 1));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->on, D(2026, 2, 1));
  EXPECT_TRUE(absl::StartsWith(
      ValidateEducation("", "2027-06", "", D(2026, 2, 1)).status().message(), "school:"));
  EXPECT_TRUE(absl::StartsWith(
      ValidateEducation("安徽大学", "2026-01", "", D(2026, 2, 1)).status().message(),
      "education_until:"));
  EXPECT_TRUE(absl::StartsWith(
      ValidateEducation("安徽大学", "2027-06", "2026-02-02", D(2026, 2, 1)).status().message(),
      "date:"));
}

TEST(StandardTest, TheMostLocalLatestStandardOfTheCategoryApplies) {
  std::vector<Standard> standards = {
      *ValidateStandard("340722", "2023-01", 2, 110000),
      *ValidateStandard("340722", "2023-07", 2, 120000),  // raised from July
      *ValidateStandard("340722100", "2023-01", 2, 115000),
      *ValidateStandard("340722", "2023-01", 1, 150000),
  };
  auto fen = [&](Category c, absl::string_view region, absl::CivilMonth m) -> int64_t {
    const Standard* s = StandardFor(standards, c, region, m);
    return s == nullptr ? 0 : s->monthly_fen;
  };
  EXPECT_EQ(fen(Category::kOrphanDispersed, "340722200001", M(2023, 6)), 110000);
  EXPECT_EQ(fen(Category::kOrphanDispersed, "340722200001", M(2023, 7)), 120000);
  EXPECT_EQ(fen(Category::kOrphanDispersed, "340722100001", M(2023, 7)), 115000);
  EXPECT_EQ(fen(Category::kOrphanCentralised, "340722200001", M(2023, 7)), 150000);
  EXPECT_EQ(fen(Category::kDeFactoUnsupported, "340722200001", M(2023, 7)), 0);
  EXPECT_EQ(fen(Category::kOrphanDispersed, "340722200001", M(2022, 12)), 0);

  EXPECT_TRUE(absl::StartsWith(ValidateStandard("34072", "2023-01", 2, 1).status().message(),
                               "region_prefix:"));
  EXPECT_TRUE(absl::StartsWith(ValidateStandard("340722", "2023-13", 2, 1).status().message(),
                               "effective_month:"));
  EXPECT_TRUE(absl::StartsWith(ValidateStandard("340722", "2023-01", 0, 1).status().message(),
                               "category:"));
  EXPECT_TRUE(absl::StartsWith(ValidateStandard("340722", "2023-01", 2, 0).status().message(),
                               "monthly_fen:"));
  EXPECT_TRUE(absl::StartsWith(
      NoStandardError(Category::kDeFactoUnsupported, "340722100001", M(2023, 3)).message(),
      "category: no standard for DE_FACTO_UNSUPPORTED covers 340722100001 in 2023-03"));
}

TEST(PriceMonthTest, PaysChildrenBeforeTheAgeStopAtTheirCategorysStandard) {
  const std::vector<Standard> standards = {*ValidateStandard("340722", "2023-01", 2, 110000),
                                           *ValidateStandard("340722", "2023-01", 1, 150000)};
  const std::vector<DueChild> due = {
      {"a", D(2015, 6, 10), std::nullopt, Category::kOrphanDispersed, "340722100001"},
      {"b", D(2005, 5, 31), std::nullopt, Category::kOrphanCentralised,
       "340722100001"},                                                                 // 18 in May
      {"c", D(2005, 5, 31), M(2024, 6), Category::kOrphanCentralised, "340722100001"},  // studying
      {"d", D(2015, 6, 10), std::nullopt, Category::kDeFactoUnsupported, "340722100001"},
  };
  PricedMonth may = PriceMonth(due, standards, M(2023, 5), 22);
  EXPECT_EQ(may.unpriced, 1);  // d: no de-facto standard
  EXPECT_EQ(may.aged_out, 0);
  ASSERT_EQ(may.payments.size(), 3u);
  EXPECT_EQ(may.payments[1].amount_fen, 150000);
  PricedMonth june = PriceMonth(due, standards, M(2023, 6), 22);
  EXPECT_EQ(june.aged_out, 1);  // b
  ASSERT_EQ(june.payments.size(), 2u);
  EXPECT_EQ(june.payments[0].child_id, "a");
  EXPECT_EQ(june.payments[1].child_id, "c");
}

TEST(StipendTest, ASecondStipendInOneAcademicYearIsAlreadyExistsNamingTheYear) {
  EXPECT_TRUE(CheckStipendOnce({}, 2023, "3407**********0012").ok());
  EXPECT_TRUE(CheckStipendOnce({2022, 2024}, 2023, "3407**********0012").ok());
  const absl::Status again = CheckStipendOnce({2022, 2023}, 2023, "3407**********0012");
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(),
            "academic_year: 3407**********0012 has a university stipend for 2023-2024 already");
}

TEST(StipendTest, TheSentenceNamesTheStandardWhenEveryStipendWasTheSame) {
  EXPECT_EQ(StipendLine(26, 26'000'000, 1'000'000),
            "为在校孤儿大学生按照每人每学年1万元的标准,发放补助费用,共发放资金26万元,惠及26人");
  EXPECT_EQ(StipendLine(2, 1'800'000, 0),  // 10,000 and 8,000 yuan
            "为在校孤儿大学生发放补助费用,共发放资金1.8万元,惠及2人");
  EXPECT_EQ(StipendLine(0, 0, 0), "为在校孤儿大学生发放补助费用,共发放资金0万元,惠及0人");
}

TEST(StipendTest, OncePerAcademicYearAtTheCountysStandardForApprovedOrphans) {
  const absl::CivilDay today = D(2023, 9, 15);
  absl::StatusOr<StipendDraft> d = ValidateStipend("2023-2024", "安徽大学", 0, "", today);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->academic_year, 2023);
  EXPECT_EQ(d->amount_fen, 1'000'000);  // 10,000 yuan
  EXPECT_EQ(d->paid_on, today);
  EXPECT_EQ(AcademicYearLabel(2023), "2023-2024");
  EXPECT_EQ(ValidateStipend("2023-2024", "安徽大学", 800'000, "", today)->amount_fen, 800'000);
  auto field = [&](absl::string_view year, absl::string_view university, int64_t fen,
                   absl::string_view date) {
    const std::string m(ValidateStipend(year, university, fen, date, today).status().message());
    return m.substr(0, m.find(':'));
  };
  EXPECT_EQ(field("2023-2025", "安徽大学", 0, ""), "academic_year");
  EXPECT_EQ(field("2023", "安徽大学", 0, ""), "academic_year");
  EXPECT_EQ(field("", "安徽大学", 0, ""), "academic_year");
  EXPECT_EQ(field("2023-2024", "", 0, ""), "university");
  EXPECT_EQ(field("2023-2024", "安徽大学", -1, ""), "amount_fen");
  EXPECT_EQ(field("2023-2024", "安徽大学", 0, "2023-09-16"), "date");
  EXPECT_EQ(field("2024-2025", "安徽大学", 0, "2023-09-15"), "date");

  EXPECT_TRUE(
      CheckStipendEligible(Category::kOrphanDispersed, ChildStatus::kActive, true, std::nullopt)
          .ok());
  // Past the age stop (still ACTIVE, or stopped by adoption): still an orphan at university.
  EXPECT_TRUE(CheckStipendEligible(Category::kOrphanCentralised, ChildStatus::kStopped, true,
                                   StopReason::kAdopted)
                  .ok());
  EXPECT_EQ(
      CheckStipendEligible(Category::kDeFactoUnsupported, ChildStatus::kActive, true, std::nullopt)
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckStipendEligible(Category::kOrphanDispersed, ChildStatus::kPendingApproval, false,
                                 std::nullopt)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckStipendEligible(Category::kOrphanDispersed, ChildStatus::kStopped, true,
                                 StopReason::kDeceased)
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StopTest, StopsAfterTheMonthOfTheDateOrTheDeath) {
  EXPECT_EQ(*StopMonth(ChildStatus::kActive, M(2023, 3), D(2023, 6, 30)), M(2023, 7));
  EXPECT_EQ(*StopMonth(ChildStatus::kActive, M(2023, 3), D(2023, 1, 5)), M(2023, 3));
  EXPECT_EQ(StopMonth(ChildStatus::kPendingApproval, M(2023, 3), D(2023, 6, 30)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DeathStopMonth(D(2023, 5, 31)), M(2023, 6));
  EXPECT_TRUE(MonthNotAfterToday("month", M(2023, 7), D(2023, 7, 1)).ok());
  EXPECT_TRUE(absl::StartsWith(MonthNotAfterToday("month", M(2023, 8), D(2023, 7, 31)).message(),
                               "month:"));
}

TEST(ChildReopenTest, ARejectionGoesBackToTheCheckAStopIsRecordedOthersAreRefused) {
  EXPECT_EQ(*DecideChildReopen(ChildStatus::kRejected), ChildReopen::kBackToCheck);
  EXPECT_EQ(*DecideChildReopen(ChildStatus::kStopped), ChildReopen::kRecordOnly);
  for (ChildStatus s :
       {ChildStatus::kPendingCheck, ChildStatus::kPendingApproval, ChildStatus::kActive}) {
    const absl::StatusOr<ChildReopen> r = DecideChildReopen(s);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(absl::StrContains(r.status().message(), "nothing to reopen")) << r.status();
  }
}

TEST(MoveOutTest, ARunningCaseStopsFromTheMonthAfterTheMoveOthersAreLeftAlone) {
  EXPECT_EQ(*MoveOutStop(ChildStatus::kActive, M(2023, 3), D(2023, 6, 20)), M(2023, 7));
  EXPECT_EQ(*MoveOutStop(ChildStatus::kActive, M(2023, 3), D(2023, 6, 30)), M(2023, 7));
  // Reported for a day before the case started: nothing before its start.
  EXPECT_EQ(*MoveOutStop(ChildStatus::kActive, M(2023, 3), D(2023, 1, 5)), M(2023, 3));
  // Nothing paid yet, nothing running, or stopped already (earlier or later): left alone.
  for (ChildStatus s : {ChildStatus::kPendingCheck, ChildStatus::kPendingApproval,
                        ChildStatus::kRejected, ChildStatus::kStopped}) {
    EXPECT_FALSE(MoveOutStop(s, M(2023, 3), D(2023, 6, 20)).has_value())
        << kChildStatusNames.Name(static_cast<int>(s));
  }
  EXPECT_EQ(kStopReasonNames.Name(static_cast<int>(StopReason::kMovedOut)), "MOVED_OUT");
}

TEST(StopReversalTest, OnlyAStopNotForDeathIsReversed) {
  EXPECT_TRUE(CheckStopReversal(ChildStatus::kStopped, StopReason::kMovedOut, false).ok());
  EXPECT_TRUE(CheckStopReversal(ChildStatus::kStopped, StopReason::kReviewIneligible, false).ok());
  for (const absl::Status& dead :
       {CheckStopReversal(ChildStatus::kStopped, StopReason::kDeceased, false),
        CheckStopReversal(ChildStatus::kStopped, StopReason::kAdopted, true)}) {
    EXPECT_EQ(dead.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(absl::StartsWith(dead.message(), "case_id: the child's death")) << dead;
  }
  for (ChildStatus s : {ChildStatus::kPendingCheck, ChildStatus::kPendingApproval,
                        ChildStatus::kActive, ChildStatus::kRejected}) {
    const absl::Status st = CheckStopReversal(s, std::nullopt, false);
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(absl::StrContains(st.message(), "not stopped")) << st;
  }
}

TEST(BackPayTest, PaysEachMonthOwedAtItsStandardBeforeTheAgeStop) {
  // Dispersed from 2023-01 at 1,100 yuan, raised to 1,200 from 2023-06.
  const std::vector<Standard> standards = {*ValidateStandard("340722", "2023-01", 2, 110000),
                                           *ValidateStandard("340722", "2023-06", 2, 120000)};
  const DueChild child{"a", D(2015, 6, 10), std::nullopt, Category::kOrphanDispersed,
                       "340722100001"};
  absl::StatusOr<BackPay> back =
      PriceBackPay(child, {M(2023, 4), M(2023, 5), M(2023, 6)}, standards, 22);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->payments.size(), 3u);
  EXPECT_EQ(back->payments[0].month, M(2023, 4));
  EXPECT_EQ(back->payments[1].amount_fen, 110000);
  EXPECT_EQ(back->payments[2].amount_fen, 120000);
  EXPECT_EQ(back->total_fen, 340000);
  // Nothing owed: nothing paid.
  EXPECT_EQ(PriceBackPay(child, {}, standards, 22)->total_fen, 0);
  // 18 in May 2023: June is past the age stop.
  const DueChild adult{"b", D(2005, 5, 31), std::nullopt, Category::kOrphanDispersed,
                       "340722100001"};
  back = PriceBackPay(adult, {M(2023, 5), M(2023, 6)}, standards, 22);
  ASSERT_EQ(back->payments.size(), 1u);
  EXPECT_EQ(back->payments[0].month, M(2023, 5));
  EXPECT_EQ(back->total_fen, 110000);
  // A month no standard covers refuses the whole back-payment.
  const DueChild de_facto{"c", D(2015, 6, 10), std::nullopt, Category::kDeFactoUnsupported,
                          "340722100001"};
  back = PriceBackPay(de_facto, {M(2023, 4)}, standards, 22);
  EXPECT_EQ(back.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(back.status().message(), "category:")) << back.status();
}

}  // namespace
}  // namespace civil::childwelfare

namespace civil::childwelfare {
namespace {

TEST(BankProgrammeTest, TheBankFileNamesTheOrphansAndTheDeFactoAllowance) {
  EXPECT_EQ(BankProgrammeLabel(Category::kOrphanCentralised), "孤儿基本生活费");
  EXPECT_EQ(BankProgrammeLabel(Category::kOrphanDispersed), "孤儿基本生活费");
  EXPECT_EQ(BankProgrammeLabel(Category::kDeFactoUnsupported), "事实无人抚养儿童基本生活费");
}

}  // namespace
}  // namespace civil::childwelfare
