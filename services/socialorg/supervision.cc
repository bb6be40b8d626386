#include "services/socialorg/supervision.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::socialorg {
namespace {

constexpr int kFirstYear = 1990;

absl::Status CheckYear(int year, absl::string_view day_field, absl::CivilDay day) {
  if (year < kFirstYear || year >= day.year()) {
    return InvalidField(
        "year", absl::StrCat("must be from ", kFirstYear, " to the year before the ", day_field,
                             " (", day.year() - 1, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::CivilDay ReportDue(int year) { return absl::CivilDay(year + 1, 3, 31); }
absl::CivilDay InspectionDue(int year) { return absl::CivilDay(year + 1, 5, 31); }

absl::StatusOr<ReportDraft> ValidateAnnualReport(int year, absl::string_view submitted_date,
                                                 absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay submitted,
                         EventDate("submitted_date", submitted_date, today));
  CIVIL_RETURN_IF_ERROR(CheckYear(year, "submitted_date", submitted));
  return ReportDraft{year, submitted, submitted > ReportDue(year)};
}

absl::StatusOr<InspectionDraft> ValidateInspection(int year, absl::string_view completed_date,
                                                   int result,
                                                   const std::vector<FindingInput>& findings,
                                                   absl::CivilDay today) {
  InspectionDraft draft;
  CIVIL_ASSIGN_OR_RETURN(draft.completed_on, EventDate("completed_date", completed_date, today));
  CIVIL_RETURN_IF_ERROR(CheckYear(year, "completed_date", draft.completed_on));
  draft.year = year;
  draft.late = draft.completed_on > InspectionDue(year);
  CIVIL_RETURN_IF_ERROR(kInspectionResultNames.Require("result", result));
  draft.result = static_cast<InspectionResult>(result);
  if (findings.size() > 20) return InvalidField("findings", "at most 20 findings");
  for (size_t i = 0; i < findings.size(); ++i) {
    const std::string field = absl::StrCat("findings[", i, "]");
    CIVIL_RETURN_IF_ERROR(
        kFindingAreaNames.Require(absl::StrCat(field, ".area"), findings[i].area));
    CIVIL_ASSIGN_OR_RETURN(std::string note,
                           BoundedText(absl::StrCat(field, ".note"), findings[i].note, 500));
    const FindingArea area = static_cast<FindingArea>(findings[i].area);
    if (area == FindingArea::kOfficialsHoldingPosts) draft.officials_flagged = true;
    draft.findings.push_back(Finding{area, std::move(note)});
  }
  if (draft.result != InspectionResult::kQualified && draft.findings.empty()) {
    return InvalidField("findings",
                        absl::StrCat("a result of ", kInspectionResultNames.Name(result),
                                     " needs at least one finding"));
  }
  return draft;
}

absl::Status CheckSupervisable(const OrgState& state, int year) {
  if (state.status == OrgStatus::kDeregistered) {
    return absl::FailedPreconditionError(absl::StrCat(
        "organisation_id: the organisation was deregistered on ",
        state.deregistered_on ? FormatDay(*state.deregistered_on) : std::string("record"),
        "; it takes no further reports or inspections"));
  }
  if (state.status != OrgStatus::kRegistered || !state.established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("organisation_id: the organisation is ",
                     kOrgStatusNames.Name(static_cast<int>(state.status)), ", not registered"));
  }
  if (state.established_on->year() > year) {
    return absl::FailedPreconditionError(absl::StrCat("year: the organisation was established on ",
                                                      FormatDay(*state.established_on), ", after ",
                                                      year));
  }
  return absl::OkStatus();
}

int LastInspectionYearDue(absl::CivilDay as_of) {
  const int last = static_cast<int>(as_of.year()) - 1;
  return as_of > InspectionDue(last) ? last : last - 1;
}

std::optional<std::vector<int>> DormantYears(absl::CivilDay established_on,
                                             const std::set<int>& inspected, absl::CivilDay as_of) {
  const int last = LastInspectionYearDue(as_of);
  const int earlier = last - 1;
  if (established_on.year() > earlier) return std::nullopt;  // not owed both years yet
  if (inspected.count(last) > 0 || inspected.count(earlier) > 0) return std::nullopt;
  return std::vector<int>{earlier, last};
}

absl::Status CheckWorklistYear(int year, absl::CivilDay as_of) {
  return CheckYear(year, "as_of", as_of);
}

std::vector<OverdueDuty> OverdueSupervision(absl::CivilDay established_on, int year, bool reported,
                                            bool inspected, absl::CivilDay as_of) {
  std::vector<OverdueDuty> overdue;
  // 凡在该年度12月31日前成立登记的: one established by 31 December owes that year's.
  if (established_on.year() > year) return overdue;
  const auto check = [&](SupervisionDuty duty, bool done, absl::CivilDay deadline) {
    if (!done && as_of > deadline) {
      overdue.push_back({duty, deadline, static_cast<int>(as_of - deadline)});
    }
  };
  check(SupervisionDuty::kAnnualReport, reported, ReportDue(year));
  check(SupervisionDuty::kInspection, inspected, InspectionDue(year));
  return overdue;
}

}  // namespace civil::socialorg
