// 居家养老服务补贴 rules (pure C++ on Abseil): an assessed elderly person (60 or older, on at least
// one ground: low-income, disabled, living alone; the assessment recorded with its level, date and
// assessor), level schedules as data (the monthly amount of each level per region prefix and
// month), maker ≠ checker, a reviewer's stop with its reason, the stop after a death, and the
// price of one month's payments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::eldercare {

// Numbers match civil.eldercare.v1.SubsidyStatus.
enum class SubsidyStatus { kPendingApproval = 1, kActive = 2, kStopped = 3 };
inline constexpr absl::string_view kSubsidyStatusNameList[] = {"", "PENDING_APPROVAL", "ACTIVE",
                                                               "STOPPED"};
inline constexpr EnumNames kSubsidyStatusNames{kSubsidyStatusNameList};
// Numbers match civil.eldercare.v1.SubsidyStopReason.
enum class SubsidyStopReason { kMovedOut = 1, kNoLongerEligible = 2, kOther = 3, kDeceased = 4 };
inline constexpr absl::string_view kSubsidyStopReasonNameList[] = {
    "", "MOVED_OUT", "NO_LONGER_ELIGIBLE", "OTHER", "DECEASED"};
inline constexpr EnumNames kSubsidyStopReasonNames{kSubsidyStopReasonNameList};

// An elderly person is 60 or older (老年人权益保障法 第2条).
inline constexpr int kElderlyAge = 60;
inline constexpr int kMinLevel = 1;
inline constexpr int kMaxLevel = 9;
inline constexpr int64_t kMaxSubsidyFen = 100'000'000;

// "level-2": the label payments and figures carry.
std::string LevelLabel(int level);

struct LevelAmount {
  int level = 0;
  int64_t monthly_fen = 0;
};

// The monthly amount of each assessed level in one region prefix from one month on.
struct LevelSchedule {
  RegionCode region_prefix;
  absl::CivilMonth effective_month;
  std::vector<LevelAmount> levels;  // ascending by level
};

// Validates a schedule as entered: a 6/9/12-digit prefix, a `YYYY-MM` month, at least one level,
// levels 1–9 strictly ascending, 1 to 100,000,000 fen. INVALID_ARGUMENT naming the field
// (`levels[1].level`).
absl::StatusOr<LevelSchedule> ValidateLevelSchedule(absl::string_view region_prefix,
                                                    absl::string_view effective_month,
                                                    const std::vector<LevelAmount>& levels);

// The schedule in force for `region_code` in `month`: the most local prefix containing it, then
// the latest month not after `month`. nullptr when none applies.
const LevelSchedule* LevelScheduleFor(const std::vector<LevelSchedule>& schedules,
                                      absl::string_view region_code, absl::CivilMonth month);

// The amount of `level` under `schedule`, or nullopt when the schedule has no such level.
std::optional<int64_t> LevelAmountOf(const LevelSchedule& schedule, int level);

// An assessment as entered.
struct AssessmentInput {
  std::string name;
  std::string id_number;
  std::string region_code;
  bool low_income = false;
  bool disabled = false;
  bool living_alone = false;
  int level = 0;
  std::string assessment_date;
  std::string assessor;
};

struct AssessmentDraft {
  std::string name;
  IdNumber id;
  RegionCode region;  // 12-digit residence
  bool low_income = false;
  bool disabled = false;
  bool living_alone = false;
  int level = 0;
  absl::CivilDay assessed_on;
  std::string assessor;
};

// Validates: name 1–64 characters, a valid ID number, a 12-digit residence, at least one ground
// (`grounds`), a level 1–9, the assessment date (default `today`, never in the future, not before
// the birth), the assessor 1–64 characters. INVALID_ARGUMENT naming the field.
absl::StatusOr<AssessmentDraft> ValidateAssessment(const AssessmentInput& input,
                                                   absl::CivilDay today);

// The rules of a subsidy under `schedule` (the one in force in the assessment month):
// FAILED_PRECONDITION "id_number: the person is N on <date>, under 60" for a younger person;
// "region_code: no 居家养老服务补贴 level schedule covers …" without a schedule; "level: level N is
// not in the schedule of <prefix> from <month> (levels 1, 2, 3)" for an unknown level.
absl::Status CheckAssessment(const LevelSchedule* schedule, const AssessmentDraft& draft);

// Approval by `approver` on `decided_on` of a subsidy recorded by `recorded_by`, assessed on
// `assessed_on`: PERMISSION_DENIED "maker-checker: …" when the approver recorded it;
// FAILED_PRECONDITION when it is not pending approval or the decision precedes the assessment.
absl::Status CheckSubsidyApproval(SubsidyStatus status, absl::string_view recorded_by,
                                  absl::string_view approver, absl::CivilDay assessed_on,
                                  absl::CivilDay decided_on);

// A reviewer's stop on `on` for `reason` (not DECEASED: deaths arrive as events) with `note`
// (required for OTHER): the first month no longer paid, the month after `on`, never before
// `start`. INVALID_ARGUMENT naming `reason`/`note`; FAILED_PRECONDITION "subsidy_id: …" unless
// the subsidy is active.
absl::StatusOr<absl::CivilMonth> SubsidyStopMonth(SubsidyStatus status, absl::CivilMonth start,
                                                  int reason, absl::string_view note,
                                                  absl::CivilDay on);

// The first month no longer paid after a death on `died`: the month after (the month of death is
// the last month paid).
absl::CivilMonth SubsidyStopAfterDeath(absl::CivilDay died);

// Whether an upheld grievance may reverse the stop of a subsidy in `status`: FAILED_PRECONDITION
// "case_id: …" unless it is stopped, when the person's death is recorded (a death is not reversed
// by a grievance), or when the person has another open subsidy since (`other_open`: one open
// subsidy per person).
absl::Status CheckSubsidyStopReversal(SubsidyStatus status, bool deceased, bool other_open);

// A person due in a month, as the store reads them.
struct DueSubsidy {
  std::string subsidy_id;
  int level = 0;
  std::string region_code;
};

struct PricedSubsidy {
  std::string subsidy_id;
  std::string level;  // LevelLabel
  int64_t amount_fen = 0;
  std::string region_code;
};

// One month's payments: each person due is paid the amount of their level under the schedule in
// force in the month for their region. Persons without a schedule, or whose level that schedule
// lacks, are counted in `unpriced` (a run with any stops: FAILED_PRECONDITION in the store).
struct PricedSubsidies {
  std::vector<PricedSubsidy> payments;
  int unpriced = 0;
};
PricedSubsidies PriceSubsidies(const std::vector<DueSubsidy>& due,
                               const std::vector<LevelSchedule>& schedules, absl::CivilMonth month);

}  // namespace civil::eldercare
