// Unit tests of the marriage rules: legal age on the registration date (birthdays, leap days),
// one man and one woman, and the divorce cooling-off period and certificate window edges.
#include "services/affairs/marriage.h"

#include <gtest/gtest.h>

#include "tests/support/test_ids.h"

namespace civil::affairs {
namespace {

using testing::Id;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

absl::Status Register(const std::string& a, const std::string& b, const std::string& date) {
  return ValidateMarriage({"甲", a}, {"乙", b}, date, "J340722-2024-0001", "340722",
                          Day(2030, 1, 1))
      .status();
}

TEST(MarriageAgeTest, AManMayMarryOnHisTwentySecondBirthdayNotTheDayBefore) {
  const std::string man = Id("20020315", true);
  const std::string woman = Id("20000101", false);
  absl::Status before = Register(man, woman, "2024-03-14");
  EXPECT_EQ(before.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(before.message(),
            "party_a: under the legal marriage age (民法典第1047条): a man may marry from 22, "
            "this party is 21 on 2024-03-14");
  EXPECT_TRUE(Register(man, woman, "2024-03-15").ok());
}

TEST(MarriageAgeTest, AWomanMayMarryOnHerTwentiethBirthdayNotTheDayBefore) {
  const std::string man = Id("19900101", true);
  const std::string woman = Id("20040610", false);
  absl::Status before = Register(man, woman, "2024-06-09");
  EXPECT_EQ(before.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(before.message().find("party_b: under the legal marriage age"),
            absl::string_view::npos);
  EXPECT_NE(before.message().find("a woman may marry from 20, this party is 19"),
            absl::string_view::npos);
  EXPECT_TRUE(Register(man, woman, "2024-06-10").ok());
}

TEST(MarriageAgeTest, BornOnTwentyNinthFebruary) {
  const std::string woman = Id("20040229", false);  // turns 20 on 2024-02-29 (a leap year)
  const std::string man = Id("19900101", true);
  EXPECT_EQ(Register(man, woman, "2024-02-28").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Register(man, woman, "2024-02-29").ok());
  // Born 2000-02-29, he turns 22 in 2022 (not a leap year) on 1 March.
  const std::string leapling = Id("20000229", true);
  const std::string bride = Id("19990101", false);
  EXPECT_EQ(Register(leapling, bride, "2022-02-28").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Register(leapling, bride, "2022-03-01").ok());
}

TEST(MarriageRulesTest, RequiresOneManAndOneWoman) {
  absl::Status s = Register(Id("19900101", true, 1), Id("19910101", true, 2), "2024-01-10");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("民法典第1049条"), absl::string_view::npos);
}

TEST(MarriageRulesTest, RejectsBadInputNamingTheField) {
  const std::string man = Id("19900101", true), woman = Id("19920101", false);
  std::string wrong = woman;
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  EXPECT_EQ(Register(man, wrong, "2024-01-10").message(),
            "party_b.id_number: wrong check character");
  EXPECT_EQ(Register(man, man, "2024-01-10").message(),
            "party_b.id_number: is the same person as party_a");
  EXPECT_EQ(Register(man, woman, "2024-02-30").message(),
            "registration_date: no such date on the calendar");
  EXPECT_EQ(Register(man, woman, "2030-01-02").message(),
            "registration_date: must not be in the future (today is 2030-01-01)");
  EXPECT_EQ(ValidateMarriage({"", man}, {"乙", woman}, "", "J1", "340722", Day(2030, 1, 1))
                .status()
                .message(),
            "party_a.name: is required");
  EXPECT_EQ(ValidateMarriage({"甲", man}, {"乙", woman}, "", "J 1", "340722", Day(2030, 1, 1))
                .status()
                .message(),
            "certificate_number: must be ASCII letters, digits and -");
  EXPECT_EQ(ValidateMarriage({"甲", man}, {"乙", woman}, "", "J1", "3407", Day(2030, 1, 1))
                .status()
                .message(),
            "region_code: must be a 6/9/12-digit region code");
}

TEST(MarriageRulesTest, RegistrationDateDefaultsToToday) {
  absl::StatusOr<MarriageDraft> draft =
      ValidateMarriage({"甲", Id("19900101", true)}, {"乙", Id("19920101", false)}, "", "J1",
                       "340722", Day(2024, 5, 20));
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->registered_on, Day(2024, 5, 20));
}

// The periods count from the day after the application (民法典第201条): applied on day 0, the
// cooling-off period covers days 1–30, the certificate window days 31–60, lapse on day 61.
class DivorceTimelineTest : public ::testing::Test {
 protected:
  const absl::CivilDay applied_ = Day(2023, 3, 1);
  DivorceFacts facts_{applied_, std::nullopt, std::nullopt, std::nullopt};
  absl::CivilDay DayN(int n) const { return applied_ + n; }
};

TEST_F(DivorceTimelineTest, TimelineDates) {
  const DivorceTimeline t = TimelineOf(applied_);
  EXPECT_EQ(t.cooling_off_end, Day(2023, 3, 31));
  EXPECT_EQ(t.window_start, Day(2023, 4, 1));
  EXPECT_EQ(t.window_end, Day(2023, 4, 30));
  EXPECT_EQ(t.lapsed, Day(2023, 5, 1));
}

TEST_F(DivorceTimelineTest, StateOnEachEdge) {
  EXPECT_EQ(DivorceStateOn(facts_, DayN(0)), DivorceState::kCoolingOff);
  EXPECT_EQ(DivorceStateOn(facts_, DayN(30)), DivorceState::kCoolingOff);
  EXPECT_EQ(DivorceStateOn(facts_, DayN(31)), DivorceState::kAwaitingCertificate);
  EXPECT_EQ(DivorceStateOn(facts_, DayN(60)), DivorceState::kAwaitingCertificate);
  EXPECT_EQ(DivorceStateOn(facts_, DayN(61)), DivorceState::kWithdrawnByLaw);
  EXPECT_EQ(DivorceStateOn(facts_, DayN(400)), DivorceState::kWithdrawnByLaw);
}

TEST_F(DivorceTimelineTest, CompletionOnlyInTheWindow) {
  absl::Status day30 = CheckCompletion(facts_, DayN(30));
  EXPECT_EQ(day30.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(day30.message(),
            "date: the divorce cooling-off period (民法典第1077条) runs until 2023-03-31; the "
            "certificate may be issued from 2023-04-01");
  EXPECT_TRUE(CheckCompletion(facts_, DayN(31)).ok());
  EXPECT_TRUE(CheckCompletion(facts_, DayN(60)).ok());
  absl::Status day61 = CheckCompletion(facts_, DayN(61));
  EXPECT_EQ(day61.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(day61.message(),
            "date: the parties did not appear by 2023-04-30, so the application is deemed "
            "withdrawn (民法典第1077条)");
  EXPECT_EQ(CheckCompletion(facts_, DayN(0)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckCompletion(facts_, DayN(-1)).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DivorceTimelineTest, WithdrawalOnlyDuringCoolingOff) {
  EXPECT_TRUE(CheckWithdrawal(facts_, DayN(0)).ok());
  EXPECT_TRUE(CheckWithdrawal(facts_, DayN(30)).ok());
  absl::Status day31 = CheckWithdrawal(facts_, DayN(31));
  EXPECT_EQ(day31.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(day31.message().find("cooling-off period ended on 2023-03-31"),
            absl::string_view::npos);
}

TEST_F(DivorceTimelineTest, ClosedApplicationsTakeNoFurtherStep) {
  DivorceFacts withdrawn = facts_;
  withdrawn.withdrawn = DayN(10);
  EXPECT_EQ(CheckCompletion(withdrawn, DayN(40)).message(),
            "application_id: the application was withdrawn on 2023-03-11");
  EXPECT_EQ(CheckWithdrawal(withdrawn, DayN(12)).code(), absl::StatusCode::kFailedPrecondition);
  // A state on a date before the withdrawal still shows the cooling-off period.
  EXPECT_EQ(DivorceStateOn(withdrawn, DayN(9)), DivorceState::kCoolingOff);
  EXPECT_EQ(DivorceStateOn(withdrawn, DayN(10)), DivorceState::kWithdrawn);
  DivorceFacts completed = facts_;
  completed.completed = DayN(45);
  EXPECT_EQ(CheckCompletion(completed, DayN(50)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DivorceStateOn(completed, DayN(44)), DivorceState::kAwaitingCertificate);
  EXPECT_EQ(DivorceStateOn(completed, DayN(45)), DivorceState::kCompleted);
  EXPECT_EQ(DivorceStateOn(completed, DayN(100)), DivorceState::kCompleted);
}

TEST(DivorceLeapYearTest, PeriodsCrossTwentyNinthFebruary) {
  // 2024 is a leap year: 30 days after 2024-02-10 is 2024-03-11; in 2023 it is 2023-03-12.
  EXPECT_EQ(TimelineOf(Day(2024, 2, 10)).cooling_off_end, Day(2024, 3, 11));
  EXPECT_EQ(TimelineOf(Day(2023, 2, 10)).cooling_off_end, Day(2023, 3, 12));
  EXPECT_EQ(TimelineOf(Day(2024, 1, 30)).window_end, Day(2024, 3, 30));
  EXPECT_EQ(TimelineOf(Day(2023, 1, 30)).window_end, Day(2023, 3, 31));
  DivorceFacts leap{Day(2024, 2, 10), std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(CheckCompletion(leap, Day(2024, 3, 11)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckCompletion(leap, Day(2024, 3, 12)).ok());
}

TEST(DivorceNewApplicationTest, OneOpenApplicationPerMarriage) {
  const DivorceFacts open{Day(2023, 3, 1), std::nullopt, std::nullopt, std::nullopt};
  absl::Status again = CheckNewApplication({open}, Day(2023, 4, 30));
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(),
            "application_date: an application filed on 2023-03-01 is open until 2023-04-30");
  EXPECT_TRUE(CheckNewApplication({open}, Day(2023, 5, 1)).ok());  // the first one lapsed
  DivorceFacts withdrawn = open;
  withdrawn.withdrawn = Day(2023, 3, 5);
  EXPECT_TRUE(CheckNewApplication({withdrawn}, Day(2023, 3, 5)).ok());
  EXPECT_EQ(CheckNewApplication({withdrawn}, Day(2023, 3, 4)).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CheckNewApplication({open}, Day(2023, 2, 1)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ArchiveProgressTest, StagesNeverExceedThePreviousOne) {
  ArchiveTotals t{100, 60, 40, 10};
  EXPECT_TRUE(CheckArchiveProgress(t, ArchiveStage::kScanned, 40).ok());
  EXPECT_EQ(CheckArchiveProgress(t, ArchiveStage::kScanned, 41).message(),
            "files: 60 + 41 would exceed the 100 files in the batch");
  EXPECT_TRUE(CheckArchiveProgress(t, ArchiveStage::kVerified, 20).ok());
  EXPECT_EQ(CheckArchiveProgress(t, ArchiveStage::kVerified, 21).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckArchiveProgress(t, ArchiveStage::kTransferred, 30).ok());
  EXPECT_EQ(CheckArchiveProgress(t, ArchiveStage::kTransferred, 31).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ArchiveBatchTest, ValidatesMonthsAndCounts) {
  const absl::CivilDay today = Day(2023, 6, 30);
  absl::StatusOr<ArchiveBatchDraft> ok =
      ValidateArchiveBatch("340722", "2005-09", "2022-12", 156640, "2023-01-05", today);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->covers_from, absl::CivilMonth(2005, 9));
  EXPECT_EQ(ValidateArchiveBatch("340722", "2022-12", "2005-09", 1, "", today).status().message(),
            "covers_to: must not be before covers_from");
  EXPECT_EQ(ValidateArchiveBatch("340722", "2005-13", "2022-12", 1, "", today).status().message(),
            "covers_from: must be a month written YYYY-MM");
  EXPECT_EQ(ValidateArchiveBatch("340722", "2005-01", "2022-12", 0, "", today).status().message(),
            "files_total: must be from 1 to 10000000");
}

}  // namespace
}  // namespace civil::affairs

namespace civil::affairs {
namespace {

// 民法典 第203条 over the holiday calendar: National Day 2023 rests from 29 September to
// 6 October, and Saturday 7 and Sunday 8 October are make-up working days.
HolidayCalendar NationalDay2023() {
  std::vector<CalendarDay> days;
  for (absl::CivilDay d(2023, 9, 29); d <= absl::CivilDay(2023, 10, 6); ++d) {
    days.push_back({d, CalendarDayKind::kHoliday});
  }
  days.push_back({absl::CivilDay(2023, 10, 7), CalendarDayKind::kWorkday});
  days.push_back({absl::CivilDay(2023, 10, 8), CalendarDayKind::kWorkday});
  return *HolidayCalendar::FromDays(days);
}

TEST(DivorceHolidayTest, APeriodEndingOnAHolidayEndsOnTheNextWorkingDay) {
  // Applied 1 September: day 30 is 1 October (国庆), so the cooling-off period runs to the
  // make-up Saturday, 7 October, a working day; the window counts 30 days from there.
  const DivorceTimeline t = TimelineOf(absl::CivilDay(2023, 9, 1), NationalDay2023());
  EXPECT_EQ(t.cooling_off_end, absl::CivilDay(2023, 10, 7));
  EXPECT_EQ(t.window_start, absl::CivilDay(2023, 10, 8));
  EXPECT_EQ(t.window_end, absl::CivilDay(2023, 11, 6));
  EXPECT_EQ(t.lapsed, absl::CivilDay(2023, 11, 7));
  const DivorceFacts facts{absl::CivilDay(2023, 9, 1), std::nullopt, std::nullopt, std::nullopt, t};
  EXPECT_TRUE(CheckWithdrawal(facts, absl::CivilDay(2023, 10, 6)).ok());
  EXPECT_TRUE(CheckWithdrawal(facts, absl::CivilDay(2023, 10, 7)).ok());
  EXPECT_EQ(CheckWithdrawal(facts, absl::CivilDay(2023, 10, 8)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DivorceStateOn(facts, absl::CivilDay(2023, 10, 7)), DivorceState::kCoolingOff);
  EXPECT_EQ(DivorceStateOn(facts, absl::CivilDay(2023, 11, 6)), DivorceState::kAwaitingCertificate);
  EXPECT_EQ(DivorceStateOn(facts, absl::CivilDay(2023, 11, 7)), DivorceState::kWithdrawnByLaw);
}

TEST(DivorceHolidayTest, AWeekendEndMovesToMondayAndAWorkingDayStays) {
  // Applied Wednesday 11 October: day 30 is Friday 10 November (stays); the window's day 30 is
  // Sunday 10 December, moved to Monday 11 December.
  const DivorceTimeline t = TimelineOf(absl::CivilDay(2023, 10, 11), NationalDay2023());
  EXPECT_EQ(t.cooling_off_end, absl::CivilDay(2023, 11, 10));
  EXPECT_EQ(t.window_end, absl::CivilDay(2023, 12, 11));
}

}  // namespace
}  // namespace civil::affairs
