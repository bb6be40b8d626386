// Unit tests of the supervision rules (services/socialorg/supervision.h): deadlines, results
// and findings, who may be supervised, and dormancy across year boundaries. No servers.
#include "services/socialorg/supervision.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"

namespace civil::socialorg {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }
const absl::CivilDay kToday = D(2023, 6, 30);

std::string Message(const absl::Status& s) { return s.ok() ? "ok" : std::string(s.message()); }

TEST(DeadlineTest, ReportBy31MarchInspectionBy31MayOfTheNextYear) {
  EXPECT_EQ(ReportDue(2022), D(2023, 3, 31));
  EXPECT_EQ(InspectionDue(2022), D(2023, 5, 31));
  EXPECT_FALSE(ValidateAnnualReport(2022, "2023-03-31", kToday)->late);
  EXPECT_TRUE(ValidateAnnualReport(2022, "2023-04-01", kToday)->late);
  EXPECT_FALSE(ValidateInspection(2022, "2023-05-31", 1, {}, kToday)->late);
  EXPECT_TRUE(ValidateInspection(2022, "2023-06-01", 1, {}, kToday)->late);
}

TEST(DeadlineTest, TheYearIsBeforeTheDateItIsRecordedOn) {
  EXPECT_EQ(Message(ValidateAnnualReport(2023, "2023-06-01", kToday).status()),
            "year: must be from 1990 to the year before the submitted_date (2022)");
  EXPECT_EQ(Message(ValidateInspection(0, "2023-06-01", 1, {}, kToday).status()),
            "year: must be from 1990 to the year before the completed_date (2022)");
  EXPECT_TRUE(
      absl::StartsWith(Message(ValidateInspection(2022, "2023-07-01", 1, {}, kToday).status()),
                       "completed_date: must not be in the future"));
}

TEST(InspectionTest, ANonQualifiedResultNeedsAFindingAndOfficialsAreFlagged) {
  EXPECT_EQ(Message(ValidateInspection(2022, "2023-05-01", 0, {}, kToday).status()),
            "result: is required");
  EXPECT_EQ(Message(ValidateInspection(2022, "2023-05-01", 3, {}, kToday).status()),
            "findings: a result of UNQUALIFIED needs at least one finding");
  EXPECT_EQ(Message(ValidateInspection(2022, "2023-05-01", 2, {{0, "x"}}, kToday).status()),
            "findings[0].area: is required");
  EXPECT_EQ(Message(ValidateInspection(2022, "2023-05-01", 2, {{2, ""}}, kToday).status()),
            "findings[0].note: is required");
  absl::StatusOr<InspectionDraft> d =
      ValidateInspection(2022, "2023-05-01", 2, {{2, "报销凭证不全"}}, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_FALSE(d->officials_flagged);
  d = ValidateInspection(2022, "2023-05-01", 3, {{1, "换届未备案"}, {4, "副局长兼任会长"}}, kToday);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->officials_flagged);
  ASSERT_EQ(d->findings.size(), 2u);
  EXPECT_EQ(d->findings[1].area, FindingArea::kOfficialsHoldingPosts);
}

TEST(SupervisableTest, ADeregisteredOrganisationTakesNoInspection) {
  OrgState s;
  s.status = OrgStatus::kRegistered;
  s.established_on = D(2020, 4, 1);
  EXPECT_TRUE(CheckSupervisable(s, 2020).ok());
  EXPECT_EQ(Message(CheckSupervisable(s, 2019)),
            "year: the organisation was established on 2020-04-01, after 2019");
  s.status = OrgStatus::kDeregistered;
  s.deregistered_on = D(2023, 2, 1);
  const absl::Status st = CheckSupervisable(s, 2022);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Message(st),
            "organisation_id: the organisation was deregistered on 2023-02-01; it takes no "
            "further reports or inspections");
  OrgState pending;
  EXPECT_EQ(CheckSupervisable(pending, 2022).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(DormancyTest, TheLastYearDueMovesOn1June) {
  EXPECT_EQ(LastInspectionYearDue(D(2023, 5, 31)), 2021);
  EXPECT_EQ(LastInspectionYearDue(D(2023, 6, 1)), 2022);
  EXPECT_EQ(LastInspectionYearDue(D(2022, 12, 31)), 2021);
  EXPECT_EQ(LastInspectionYearDue(D(2023, 1, 1)), 2021);
}

TEST(DormancyTest, TwoConsecutiveYearsWithoutInspectionAcrossTheYearBoundary) {
  // Inspected for 2019 and 2020, not for 2021 nor 2022 (two years across a New Year).
  const std::set<int> inspected = {2019, 2020};
  const absl::CivilDay established = D(2019, 3, 1);
  // On 31 May 2023 the 2022 inspection is not overdue yet: 2020 and 2021 are the years due.
  EXPECT_EQ(DormantYears(established, inspected, D(2023, 5, 31)), std::nullopt);
  // From 1 June 2023, 2021 and 2022 are both missing.
  EXPECT_EQ(DormantYears(established, inspected, D(2023, 6, 1)), (std::vector<int>{2021, 2022}));
  // The year boundary itself changes nothing: 31 Dec 2022 and 1 Jan 2023 both see 2020 and 2021.
  EXPECT_EQ(DormantYears(established, inspected, D(2022, 12, 31)), std::nullopt);
  EXPECT_EQ(DormantYears(established, inspected, D(2023, 1, 1)), std::nullopt);
  EXPECT_EQ(DormantYears(established, {2019}, D(2022, 12, 31)), (std::vector<int>{2020, 2021}));
  EXPECT_EQ(DormantYears(established, {2019}, D(2023, 1, 1)), (std::vector<int>{2020, 2021}));
}

TEST(DormancyTest, OneMissingYearOrAYoungOrganisationIsNotDormant) {
  // 2021 missing but 2022 inspected: not two in a row.
  EXPECT_EQ(DormantYears(D(2019, 3, 1), {2019, 2020, 2022}, D(2023, 6, 1)), std::nullopt);
  // Established in 2022: only 2022 was owed by 1 June 2023.
  EXPECT_EQ(DormantYears(D(2022, 3, 1), {}, D(2023, 6, 1)), std::nullopt);
  // Established in 2021 and never inspected: 2021 and 2022 owed and missing.
  EXPECT_EQ(DormantYears(D(2021, 12, 31), {}, D(2023, 6, 1)), (std::vector<int>{2021, 2022}));
}

}  // namespace
}  // namespace civil::socialorg

namespace civil::socialorg {
namespace {

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// The duties OverdueSupervision finds, as "ANNUAL_REPORT 2024-03-31 +1" lines.
std::vector<std::string> Overdue(absl::CivilDay established_on, int year, bool reported,
                                 bool inspected, absl::CivilDay as_of) {
  std::vector<std::string> lines;
  for (const OverdueDuty& d :
       OverdueSupervision(established_on, year, reported, inspected, as_of)) {
    lines.push_back(std::string(kSupervisionDutyNames.Name(static_cast<int>(d.duty))) + " " +
                    FormatDay(d.deadline) + " +" + std::to_string(d.days_overdue));
  }
  return lines;
}

using Lines = std::vector<std::string>;

TEST(OverdueSupervisionTest, TheReportIsOverdueFrom1AprilNotOn31March) {
  const absl::CivilDay established = Day(2020, 5, 1);
  EXPECT_EQ(Overdue(established, 2023, false, false, Day(2024, 3, 31)), Lines{});
  EXPECT_EQ(Overdue(established, 2023, false, false, Day(2024, 4, 1)),
            (Lines{"ANNUAL_REPORT 2024-03-31 +1"}));
  EXPECT_EQ(Overdue(established, 2023, true, false, Day(2024, 4, 1)), Lines{});
}

TEST(OverdueSupervisionTest, TheInspectionIsOverdueFrom1JuneNotOn31May) {
  const absl::CivilDay established = Day(2020, 5, 1);
  EXPECT_EQ(Overdue(established, 2023, true, false, Day(2024, 5, 31)), Lines{});
  EXPECT_EQ(Overdue(established, 2023, true, false, Day(2024, 6, 1)),
            (Lines{"INSPECTION 2024-05-31 +1"}));
  EXPECT_EQ(Overdue(established, 2023, true, true, Day(2024, 6, 1)), Lines{});
  // Both missing: the report first, each with its own deadline; across the year's end.
  EXPECT_EQ(Overdue(established, 2023, false, false, Day(2024, 6, 1)),
            (Lines{"ANNUAL_REPORT 2024-03-31 +62", "INSPECTION 2024-05-31 +1"}));
  EXPECT_EQ(Overdue(established, 2023, false, false, Day(2025, 1, 1)),
            (Lines{"ANNUAL_REPORT 2024-03-31 +276", "INSPECTION 2024-05-31 +215"}));
}

TEST(OverdueSupervisionTest, AnOrganisationRegisteredByTheYearsEndOwesItsDuties) {
  EXPECT_EQ(Overdue(Day(2023, 1, 1), 2023, false, false, Day(2024, 12, 1)).size(), 2u);
  EXPECT_EQ(Overdue(Day(2023, 12, 31), 2023, false, false, Day(2024, 12, 1)).size(), 2u);
  EXPECT_EQ(Overdue(Day(2022, 12, 31), 2023, false, false, Day(2024, 12, 1)).size(), 2u);
  // One registered after the year owes nothing for it.
  EXPECT_EQ(Overdue(Day(2024, 1, 1), 2023, false, false, Day(2024, 12, 1)), Lines{});
  EXPECT_EQ(Overdue(Day(2023, 7, 1), 2023, false, true, Day(2024, 4, 1)),
            (Lines{"ANNUAL_REPORT 2024-03-31 +1"}));
}

TEST(OverdueSupervisionTest, TheYearIsBeforeTheAsOfDatesYear) {
  EXPECT_TRUE(CheckWorklistYear(2023, Day(2024, 1, 1)).ok());
  EXPECT_TRUE(CheckWorklistYear(1990, Day(2024, 1, 1)).ok());
  EXPECT_EQ(Message(CheckWorklistYear(2024, Day(2024, 6, 1))),
            "year: must be from 1990 to the year before the as_of (2023)");
  EXPECT_EQ(CheckWorklistYear(1989, Day(2024, 6, 1)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckWorklistYear(0, Day(2024, 6, 1)).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace civil::socialorg
