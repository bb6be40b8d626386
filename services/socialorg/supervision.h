// Supervision of social organisations (pure C++ on Abseil): the annual work report of a year
// (due 31 March of the next year) and its annual inspection (年检, due 31 May of the next year)
// with result and findings, which organisations may be supervised, and dormancy (瘫痪/半瘫痪): no
// inspection for the last two years due, decided on a day given, across year boundaries; and the
// worklist of a year's reports and inspections overdue on a day.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/values.h"
#include "services/socialorg/lifecycle.h"

namespace civil::socialorg {

// Numbers match civil.socialorg.v1.InspectionResult.
enum class InspectionResult { kQualified = 1, kBasicallyQualified = 2, kUnqualified = 3 };
inline constexpr absl::string_view kInspectionResultNameList[] = {
    "", "QUALIFIED", "BASICALLY_QUALIFIED", "UNQUALIFIED"};
inline constexpr EnumNames kInspectionResultNames{kInspectionResultNameList};

// Numbers match civil.socialorg.v1.FindingArea.
enum class FindingArea {
  kPersonnel = 1,
  kFinance = 2,
  kCompliance = 3,
  kOfficialsHoldingPosts = 4
};
inline constexpr absl::string_view kFindingAreaNameList[] = {
    "", "PERSONNEL", "FINANCE", "COMPLIANCE", "OFFICIALS_HOLDING_POSTS"};
inline constexpr EnumNames kFindingAreaNames{kFindingAreaNameList};

// The day the annual work report of `year` is due: 31 March of the next year.
absl::CivilDay ReportDue(int year);
// The day the annual inspection of `year` is due: 31 May of the next year.
absl::CivilDay InspectionDue(int year);

struct Finding {
  FindingArea area = FindingArea::kPersonnel;
  std::string note;
};

struct FindingInput {
  int area = 0;
  std::string note;
};

struct ReportDraft {
  int year = 0;
  absl::CivilDay submitted_on;
  bool late = false;
};

// A report of `year` (1990 or later, before the submission's year) submitted on
// `submitted_date` (default `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<ReportDraft> ValidateAnnualReport(int year, absl::string_view submitted_date,
                                                 absl::CivilDay today);

struct InspectionDraft {
  int year = 0;
  absl::CivilDay completed_on;
  bool late = false;
  InspectionResult result = InspectionResult::kQualified;
  std::vector<Finding> findings;
  bool officials_flagged = false;  // a finding of officials holding posts
};

// An inspection of `year` (1990 or later, before the completion's year) completed on
// `completed_date` (default `today`, never in the future) with `result` and at most 20 findings
// (each an area and a note of 1–500 characters); a basically qualified or unqualified result
// needs a finding. INVALID_ARGUMENT naming the field (`findings[1].note`).
absl::StatusOr<InspectionDraft> ValidateInspection(int year, absl::string_view completed_date,
                                                   int result,
                                                   const std::vector<FindingInput>& findings,
                                                   absl::CivilDay today);

// Whether an organisation in `state` may have a report or inspection of `year` recorded:
// FAILED_PRECONDITION "organisation_id: …" when it is deregistered ("takes no further reports or
// inspections"), not established, or established after `year`.
absl::Status CheckSupervisable(const OrgState& state, int year);

// The last year whose inspection was due before `as_of`: the year before last until 31 May, the
// last year from 1 June.
int LastInspectionYearDue(absl::CivilDay as_of);

// The two years an organisation established on `established_on` went without an inspection, as
// of `as_of`, when it is dormant: the last two years due (LastInspectionYearDue and the year
// before), both owed (the organisation was established by the end of the earlier one) and
// neither in `inspected`. nullopt when it is not dormant.
std::optional<std::vector<int>> DormantYears(absl::CivilDay established_on,
                                             const std::set<int>& inspected, absl::CivilDay as_of);

// What an organisation owes for a year. Numbers match civil.socialorg.v1.SupervisionDuty.
enum class SupervisionDuty { kAnnualReport = 1, kInspection = 2 };
inline constexpr absl::string_view kSupervisionDutyNameList[] = {"", "ANNUAL_REPORT", "INSPECTION"};
inline constexpr EnumNames kSupervisionDutyNames{kSupervisionDutyNameList};

// The year of an overdue-supervision worklist as of `as_of`: from 1990 to the year before
// `as_of`'s year (a later year's report and inspection cannot be due yet). INVALID_ARGUMENT
// "year: …".
absl::Status CheckWorklistYear(int year, absl::CivilDay as_of);

// A duty of a year not done by its deadline.
struct OverdueDuty {
  SupervisionDuty duty = SupervisionDuty::kAnnualReport;
  absl::CivilDay deadline;
  int days_overdue = 0;  // from the day after the deadline, that day counting 1
};

// The duties of `year` an organisation established on `established_on` has not done by `as_of`
// past their deadlines: the annual work report when none is on record by then (`reported`) and
// `as_of` is after ReportDue(year) (31 March of the next year itself is not overdue, 1 April
// is), the inspection likewise after InspectionDue(year) (31 May / 1 June). An organisation
// established by 31 December of `year` owes them (as the annual inspection rules have it: 凡在
// 上一年度12月31日前成立登记的), also one established during the year; a later one owes nothing.
// The report first; empty when nothing is overdue.
std::vector<OverdueDuty> OverdueSupervision(absl::CivilDay established_on, int year, bool reported,
                                            bool inspected, absl::CivilDay as_of);

}  // namespace civil::socialorg
