// The grievance rules and the holiday calendar (services/common/grievance.h, holiday_calendar.h),
// the calendar read from the data the kit ships (migration 9005), so the edges are checked on
// the real 2023 and 2024 holidays and make-up working days.
#include "services/common/grievance.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "services/common/holiday_calendar.h"
#include "services/common/id_number.h"

namespace civil {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// The rows of holiday_calendar as the kit's migrations insert them (9005: 2023 and 2024; 9006:
// 2025 and 2026).
HolidayCalendar Shipped() {
  std::string sql;
  for (const char* file : {"9005_grievances.sql", "9006_holidays_2025_2026.sql"}) {
    std::ifstream in(std::string(CIVIL_SOURCE_DIR) + "/services/common/migrations/" + file);
    EXPECT_TRUE(in.good()) << file;
    std::stringstream text;
    text << in.rdbuf();
    sql += text.str();
  }
  std::vector<CalendarDay> days;
  const std::regex row(R"(\('(\d{4}-\d{2}-\d{2})', '(HOLIDAY|WORKDAY)')");
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), row); it != std::sregex_iterator();
       ++it) {
    days.push_back({*ParseDay((*it)[1].str()), *ParseCalendarDayKind((*it)[2].str())});
  }
  absl::StatusOr<HolidayCalendar> calendar = HolidayCalendar::FromDays(days);
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *calendar;
}

TEST(HolidayCalendar, ShipsBothYears) {
  const HolidayCalendar c = Shipped();
  EXPECT_GT(c.size(), 60u);
  EXPECT_FALSE(c.IsWorkingDay(D(2023, 10, 2)));  // 国庆 on a Monday
  EXPECT_TRUE(c.IsWorkingDay(D(2023, 10, 7)));   // 调休 Saturday
  EXPECT_FALSE(c.IsWorkingDay(D(2024, 2, 12)));  // 春节 on a Monday
  EXPECT_TRUE(c.IsWorkingDay(D(2024, 2, 4)));    // 调休 Sunday
  EXPECT_TRUE(c.IsWorkingDay(D(2023, 11, 1)));   // an ordinary Wednesday
  EXPECT_FALSE(c.IsWorkingDay(D(2023, 11, 4)));  // an ordinary Saturday
}

TEST(HolidayCalendar, ShipsTheYearsUpToTheCurrentOne) {
  const HolidayCalendar c = Shipped();
  EXPECT_FALSE(c.IsWorkingDay(D(2025, 2, 4)));   // 春节's eighth day, a Tuesday
  EXPECT_TRUE(c.IsWorkingDay(D(2025, 2, 8)));    // 调休 Saturday
  EXPECT_FALSE(c.IsWorkingDay(D(2025, 10, 8)));  // 国庆、中秋, a Wednesday
  EXPECT_TRUE(c.IsWorkingDay(D(2025, 10, 11)));  // 调休 Saturday
  EXPECT_FALSE(c.IsWorkingDay(D(2026, 2, 23)));  // 春节's ninth day, a Monday
  EXPECT_TRUE(c.IsWorkingDay(D(2026, 2, 28)));   // 调休 Saturday
  EXPECT_FALSE(c.IsWorkingDay(D(2026, 10, 7)));  // 国庆, a Wednesday
  EXPECT_TRUE(c.IsWorkingDay(D(2026, 10, 10)));  // 调休 Saturday
  // A reconsideration received on Friday 25 September 2026 (中秋): five working days are
  // Mon 28, Tue 29, Wed 30 September, then 国庆 rests to 7 October, Thu 8 (4), Fri 9 October (5).
  EXPECT_EQ(GrievanceDeadline({5, true}, D(2026, 9, 25), c), D(2026, 10, 9));
  // Seven: Sat 10 October is a make-up working day (6), then Mon 12 (7).
  EXPECT_EQ(GrievanceDeadline({7, true}, D(2026, 9, 25), c), D(2026, 10, 12));
}

TEST(HolidayCalendar, KnowsTheLastYearItLists) {
  EXPECT_EQ(HolidayCalendar().last_year(), 0);
  const absl::StatusOr<HolidayCalendar> c = HolidayCalendar::FromDays(
      {{D(2027, 1, 1), CalendarDayKind::kHoliday}, {D(2026, 10, 10), CalendarDayKind::kWorkday}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->last_year(), 2027);
  EXPECT_GE(Shipped().last_year(), 2026);
}

TEST(HolidayCalendar, RejectsADayListedTwice) {
  absl::StatusOr<HolidayCalendar> c = HolidayCalendar::FromDays(
      {{D(2023, 10, 1), CalendarDayKind::kHoliday}, {D(2023, 10, 1), CalendarDayKind::kWorkday}});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(GrievanceDeadline, WorkingDaysSkipTheNationalDayWeekAndCountTheMakeUpWeekend) {
  const HolidayCalendar c = Shipped();
  // Received Thursday 28 September 2023; 29 Sep – 6 Oct rest; Sat 7 and Sun 8 Oct are make-up
  // working days (1 and 2), then Mon 9 … Wed 11 (3 … 5).
  EXPECT_EQ(GrievanceDeadline({5, true}, D(2023, 9, 28), c), D(2023, 10, 11));
  // Without the calendar the same rule would end on 5 October, inside the holiday.
  EXPECT_EQ(GrievanceDeadline({5, true}, D(2023, 9, 28), HolidayCalendar()), D(2023, 10, 5));
}

TEST(GrievanceDeadline, AMakeUpSaturdayIsTheFirstWorkingDay) {
  const HolidayCalendar c = Shipped();
  EXPECT_EQ(GrievanceDeadline({1, true}, D(2023, 10, 6), c), D(2023, 10, 7));
  EXPECT_EQ(GrievanceDeadline({1, true}, D(2024, 5, 10), c), D(2024, 5, 11));  // 劳动节 调休
}

TEST(GrievanceDeadline, CalendarDaysEndingOnAHolidayMoveToTheNextWorkingDay) {
  const HolidayCalendar c = Shipped();
  // 1 Sep 2023 + 30 days = 1 Oct (国庆): extended past 2–6 Oct to the make-up Saturday 7 Oct
  // (民法典 第203条), which is a working day.
  EXPECT_EQ(GrievanceDeadline({30, false}, D(2023, 9, 1), c), D(2023, 10, 7));
  // An ordinary Saturday moves to Monday.
  EXPECT_EQ(GrievanceDeadline({3, false}, D(2023, 11, 1), c), D(2023, 11, 6));
  // 1 Mar + 60 = 30 Apr (劳动节 29 Apr – 3 May): 4 May.
  EXPECT_EQ(GrievanceDeadline({60, false}, D(2023, 3, 1), c), D(2023, 5, 4));
  // A working day stays.
  EXPECT_EQ(GrievanceDeadline({7, false}, D(2023, 11, 1), c), D(2023, 11, 8));
}

TEST(GrievanceDeadlines, DefaultsAndOverrides) {
  GrievanceDeadlines d;
  EXPECT_EQ(d.For(GrievanceKind::kReconsideration).days, 15);
  EXPECT_TRUE(d.For(GrievanceKind::kReconsideration).working_days);
  EXPECT_FALSE(d.For(GrievanceKind::kAdministrativeReview).working_days);
  absl::StatusOr<GrievanceDeadlines> p =
      GrievanceDeadlines::Parse("CIVIL_GRIEVANCE_DEADLINES", "RECONSIDERATION=10w, COMPLAINT=30");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->For(GrievanceKind::kReconsideration).days, 10);
  EXPECT_EQ(p->For(GrievanceKind::kComplaint).days, 30);
  EXPECT_FALSE(p->For(GrievanceKind::kComplaint).working_days);
  EXPECT_EQ(p->For(GrievanceKind::kHotline12345).days, 5);
  for (const char* bad : {"COMPLAINT", "NOPE=3", "COMPLAINT=0", "COMPLAINT=x", "COMPLAINT=400"}) {
    absl::StatusOr<GrievanceDeadlines> b =
        GrievanceDeadlines::Parse("CIVIL_GRIEVANCE_DEADLINES", bad);
    EXPECT_EQ(b.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(b.status().message().find("CIVIL_GRIEVANCE_DEADLINES"), std::string::npos);
  }
}

GrievanceState Responded() {
  GrievanceState g;
  g.status = GrievanceStatus::kResponded;
  g.received_on = D(2023, 9, 28);
  g.deadline = D(2023, 10, 11);
  return g;
}

TEST(GrievanceSteps, OrderAndReasons) {
  GrievanceState received = Responded();
  received.status = GrievanceStatus::kReceived;
  EXPECT_TRUE(CheckAssign(received).ok());
  EXPECT_EQ(CheckRespond(received).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Decide(received, GrievanceOutcome::kUpheld, "", false, D(2023, 10, 9)).status().code(),
            absl::StatusCode::kFailedPrecondition);

  const GrievanceState g = Responded();
  EXPECT_EQ(CheckAssign(g).code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<DecisionEffect> dismissed =
      Decide(g, GrievanceOutcome::kDismissed, "", false, D(2023, 10, 9));
  EXPECT_EQ(dismissed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(dismissed.status().message().find("reason"), std::string::npos);
  dismissed = Decide(g, GrievanceOutcome::kDismissed, "依据充分", false, D(2023, 10, 9));
  ASSERT_TRUE(dismissed.ok());
  EXPECT_EQ(dismissed->next, GrievanceStatus::kClosed);
  EXPECT_FALSE(dismissed->reopen);

  absl::StatusOr<DecisionEffect> upheld =
      Decide(g, GrievanceOutcome::kUpheld, "", false, D(2023, 10, 9));
  ASSERT_TRUE(upheld.ok());
  EXPECT_EQ(upheld->next, GrievanceStatus::kClosed);
  EXPECT_TRUE(upheld->reopen);
  EXPECT_EQ(Decide(g, GrievanceOutcome::kUpheld, "", false, D(2023, 9, 27)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(GrievanceSteps, UpheldThatPaysMoneyNeedsASecondReviewer) {
  GrievanceState g = Responded();
  absl::StatusOr<DecisionEffect> upheld =
      Decide(g, GrievanceOutcome::kUpheld, "", /*pays_money=*/true, D(2023, 10, 9));
  ASSERT_TRUE(upheld.ok());
  EXPECT_EQ(upheld->next, GrievanceStatus::kAwaitingConfirmation);
  EXPECT_FALSE(upheld->reopen);
  g.status = GrievanceStatus::kAwaitingConfirmation;
  g.proposed_by = "maker";
  EXPECT_EQ(CheckConfirm(g, "maker").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckConfirm(g, "checker").ok());
  EXPECT_EQ(CheckConfirm(Responded(), "checker").code(), absl::StatusCode::kFailedPrecondition);
  // Awaiting confirmation, a reviewer may still dismiss it; closed, nothing more is decided.
  absl::StatusOr<DecisionEffect> dismissed =
      Decide(g, GrievanceOutcome::kDismissed, "已恢复待遇", true, D(2023, 10, 10));
  ASSERT_TRUE(dismissed.ok());
  EXPECT_EQ(dismissed->next, GrievanceStatus::kClosed);
  g.status = GrievanceStatus::kClosed;
  EXPECT_EQ(Decide(g, GrievanceOutcome::kDismissed, "x", true, D(2023, 10, 10)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(GrievanceSteps, OverdueAndOnTime) {
  GrievanceState g = Responded();
  EXPECT_FALSE(IsOverdue(g, D(2023, 10, 11)));
  EXPECT_TRUE(IsOverdue(g, D(2023, 10, 12)));
  EXPECT_FALSE(ResolvedWithinDeadline(g));
  g.status = GrievanceStatus::kClosed;
  g.closed_on = D(2023, 10, 11);
  EXPECT_FALSE(IsOverdue(g, D(2023, 12, 1)));
  EXPECT_TRUE(ResolvedWithinDeadline(g));
  g.closed_on = D(2023, 10, 12);
  EXPECT_FALSE(ResolvedWithinDeadline(g));
}

TEST(GrievanceWorklist, APositionKeepsTheDeadlineAndTheSequenceInOrder) {
  const absl::CivilDay day(2023, 9, 8);
  const WorklistPoint back = WorklistAfter(WorklistPosition(day, 12345));
  EXPECT_EQ(back.deadline, day);
  EXPECT_EQ(back.seq, 12345);
  // An earlier deadline is an earlier position whatever the sequence; the same deadline orders by
  // sequence.
  EXPECT_LT(WorklistPosition(day, 999999), WorklistPosition(day + 1, 1));
  EXPECT_LT(WorklistPosition(day, 1), WorklistPosition(day, 2));
  EXPECT_GT(WorklistPosition(absl::CivilDay(1970, 1, 2), 1), 0);
  // The start lies before every grievance.
  const WorklistPoint start = WorklistAfter(0);
  EXPECT_LT(start.deadline, absl::CivilDay(1970, 1, 1));
  EXPECT_EQ(start.seq, 0);
}

}  // namespace
}  // namespace civil
