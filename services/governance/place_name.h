// Rules of place and road naming (地名管理条例, pure C++ on Abseil): an application for a
// proposed name of a road, street, residential area, bridge, … in a region is approved by a
// reviewer who is not the clerk who filed it, filed (备案) within 15 days of the approval and
// announced (公告) within 15 days of the filing. Steps come in that order, each dated (never in
// the future, never before the previous step); a step after its due day is late, a step not
// done and past its due day is overdue.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/region_code.h"
#include "services/common/values.h"
#include "services/governance/region.h"

namespace civil::governance {

// Numbers match civil.governance.v1.PlaceKind.
enum class PlaceKind {
  kRoad = 1,
  kStreet = 2,
  kResidentialArea = 3,
  kBridge = 4,
  kBuilding = 5,
  kSquare = 6,
  kPark = 7,
  kOther = 8
};
inline constexpr absl::string_view kPlaceKindNameList[] = {
    "", "ROAD", "STREET", "RESIDENTIAL_AREA", "BRIDGE", "BUILDING", "SQUARE", "PARK", "OTHER"};
inline constexpr EnumNames kPlaceKindNames{kPlaceKindNameList};

// The steps in their order. Numbers match civil.governance.v1.NamingStep.
enum class NamingStep { kApplication = 1, kApproval = 2, kFiling = 3, kAnnouncement = 4 };
inline constexpr absl::string_view kNamingStepNameList[] = {"", "APPLICATION", "APPROVAL", "FILING",
                                                            "ANNOUNCEMENT"};
inline constexpr EnumNames kNamingStepNames{kNamingStepNameList};

// Days from the approval to the filing, and from the filing to the announcement.
inline constexpr int kFilingDays = 15;
inline constexpr int kAnnouncementDays = 15;

// An application as entered.
struct NamingApplication {
  std::string proposed_name;
  PlaceKind kind;
  RegionCode region;
  std::string applicant;
  absl::CivilDay applied_on;
};

// Validates: a name of 1–64 characters, a defined kind, a region code of 6, 9 or 12 digits, an
// applicant of 1–100 characters, the date (default `today`, never in the future).
// INVALID_ARGUMENT naming `proposed_name`, `kind`, `region_code`, `applicant` or
// `application_date`.
absl::StatusOr<NamingApplication> ValidateNamingApplication(absl::string_view proposed_name,
                                                            int kind, absl::string_view region_code,
                                                            absl::string_view applicant,
                                                            absl::string_view application_date,
                                                            absl::CivilDay today);

// Whether a name may be given in `region` (its row of the tree, nullopt when absent):
// FAILED_PRECONDITION "region_code: …" when not in the tree or merged into another.
absl::Status CheckNamingRegion(const std::optional<RegionFacts>& region,
                               absl::string_view region_code);

// A later step as entered: APPROVAL, FILING or ANNOUNCEMENT.
struct NamingStepDraft {
  NamingStep step;
  absl::CivilDay on;
  std::string document;
};

// The request field carrying a step's date: `approval_date`, `filing_date`,
// `announcement_date`.
absl::string_view StepDateField(NamingStep step);

// Validates the step's date (its StepDateField; default `today`, never in the future) and a
// document of 1–200 characters. INVALID_ARGUMENT naming the field.
absl::StatusOr<NamingStepDraft> ValidateNamingStep(NamingStep step, absl::string_view date,
                                                   absl::string_view document,
                                                   absl::CivilDay today);

// Where a name stands: the dates of the steps done.
struct NamingState {
  std::string applied_by;
  absl::CivilDay applied_on;
  std::optional<absl::CivilDay> approved_on;
  std::optional<absl::CivilDay> filed_on;
  std::optional<absl::CivilDay> announced_on;
};

// The last step done.
NamingStep LastStep(const NamingState& state);

// Whether `actor` may record `draft` now: FAILED_PRECONDITION "step: FILING is out of order; the
// next step is APPROVAL" (or "… after the name was announced") when it is not the next step,
// "<date field>: … before the <previous step> (…)" when dated before the previous step;
// PERMISSION_DENIED "maker-checker: …" when the approver filed the application.
absl::Status CheckNamingStep(const NamingState& state, const NamingStepDraft& draft,
                             absl::string_view actor);

// The day a step is due by, once the step before it is done: FILING the approval + 15 days,
// ANNOUNCEMENT the filing + 15 days; nullopt before that (or for the other steps).
std::optional<absl::CivilDay> DueOn(const NamingState& state, NamingStep step);

// Whether a step done on `done_on` is late against `due_on`.
inline bool IsLate(absl::CivilDay due_on, absl::CivilDay done_on) { return done_on > due_on; }

// A step late or overdue as of a day.
struct LateStep {
  NamingStep step;
  absl::CivilDay due_on;
  std::optional<absl::CivilDay> done_on;  // nullopt: not done by the day (overdue)
};

// The filing and announcement of `state` as of `as_of` (steps dated after it are not done yet):
// each one due by then that was done after its due day, or is not done and `as_of` is past it.
std::vector<LateStep> LateSteps(const NamingState& state, absl::CivilDay as_of);

}  // namespace civil::governance
