// 高龄津贴 rules (pure C++ on Abseil): valid enrolments, maker ≠ checker, tier schedules as data
// (per region prefix and month), which tier a person is in for a month (the new tier applies from
// the month after the birthday), the price of one month's payment, and the stop after a death.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/allowance_months.h"
#include "services/common/enrolment_fact.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/common/values.h"

namespace civil::eldercare {

// Numbers match civil.eldercare.v1.EnrolmentStatus.
enum class EnrolmentStatus {
  kPendingApproval = 1,
  kActive = 2,
  kStopped = 3,
  kPendingEligibility = 4,
  kRejected = 5
};
inline constexpr absl::string_view kEnrolmentStatusNameList[] = {
    "", "PENDING_APPROVAL", "ACTIVE", "STOPPED", "PENDING_ELIGIBILITY", "REJECTED"};
inline constexpr EnumNames kEnrolmentStatusNames{kEnrolmentStatusNameList};
// Numbers match civil.eldercare.v1.LowIncome.
enum class LowIncome { kNotRequired = 1, kConfirmed = 2, kUnanswered = 3 };
inline constexpr absl::string_view kLowIncomeNameList[] = {"", "NOT_REQUIRED", "CONFIRMED",
                                                           "UNANSWERED"};
inline constexpr EnumNames kLowIncomeNames{kLowIncomeNameList};
// The assistance programmes that make a household low-income (低保, 特困, 低保边缘).
inline constexpr absl::string_view kLowIncomeProgrammes[] = {"PROGRAMME_DIBAO", "PROGRAMME_TEKUN",
                                                             "PROGRAMME_MARGINAL"};

// Bounds of a tier's ages and of a monthly amount.
inline constexpr int kMinTierAge = 60;
inline constexpr int kMaxTierAge = 150;
inline constexpr int64_t kMaxMonthlyFen = 100'000'000;
// The summary's label for persons enrolled who are of no tier's age in the month.
inline constexpr absl::string_view kBelowLowestTier = "below-lowest";
// … for persons whose region no schedule covers in the month …
inline constexpr absl::string_view kNoSchedule = "no-schedule";
// … and for persons of a low-income-only tier whose household is not confirmed low-income.
inline constexpr absl::string_view kNotLowIncome = "not-low-income";

// Persons aged min_age..max_age (inclusive; max_age 0 = no upper bound) receive monthly_fen; with
// `low_income_only`, only persons of a low-income household (a county may pay 80–89 so).
struct Tier {
  int min_age = 0;
  int max_age = 0;
  int64_t monthly_fen = 0;
  bool low_income_only = false;
};

// "80-89", or "100+" for an open-ended tier.
std::string TierLabel(const Tier& tier);

// The tiers of one region prefix from one month on, ascending by age.
struct TierSchedule {
  RegionCode region_prefix;
  absl::CivilMonth effective_month;
  std::vector<Tier> tiers;
};

// Validates a schedule as entered: a 6/9/12-digit prefix, a `YYYY-MM` month, at least one tier,
// ages 60–150, each tier starting the year after the previous one ends (no gaps, no overlaps),
// only the last open-ended, 1 to 100,000,000 fen. INVALID_ARGUMENT naming the field
// (`tiers[1].min_age`).
absl::StatusOr<TierSchedule> ValidateTierSchedule(absl::string_view region_prefix,
                                                  absl::string_view effective_month,
                                                  const std::vector<Tier>& tiers);

// The schedule in force for a person living in `region_code` in `month`: among the schedules
// whose prefix contains the region and whose month is not after `month`, the most local prefix,
// then the latest month. nullptr when none applies.
const TierSchedule* ScheduleFor(const std::vector<TierSchedule>& schedules,
                                absl::string_view region_code, absl::CivilMonth month);

// The age that decides the tier of `month`: the age on the last day of the month before, so that
// a new tier applies from the month after the birthday (a 29 February birthday is reached on
// 1 March in non-leap years, IdNumber::AgeOn).
int TierAge(absl::CivilDay birth, absl::CivilMonth month);

// The tier of a person born on `birth` in `month` under `schedule`; nullopt when the person is of
// no tier's age then.
std::optional<Tier> TierFor(const TierSchedule& schedule, absl::CivilDay birth,
                            absl::CivilMonth month);

// Whether an enrolment applied for on `applied_on` must be confirmed low-income: the tier holding
// the person's age that day under `schedule` is low-income-only. False without a schedule.
bool NeedsLowIncomeCheck(const TierSchedule* schedule, absl::CivilDay birth,
                         absl::CivilDay applied_on);

// What assistance's enrolments mean for a low-income-only tier.
struct LowIncomeDecision {
  bool low_income = false;
  std::string enrolment_id;  // the active 低保/特困/低保边缘 enrolment, when low-income
};
// Low-income when one of `facts` is an active enrolment in one of kLowIncomeProgrammes.
LowIncomeDecision DecideLowIncome(const std::vector<EnrolmentFact>& facts);

// Why a waiting enrolment is rejected: "not a low-income household: assistance reports no active
// 低保, 特困 or 低保边缘 enrolment on <date>".
std::string NotLowIncomeReason(absl::CivilDay as_of);

// FAILED_PRECONDITION "id_number: the 高龄津贴 tier of this person's age in <prefix> is paid only
// to low-income households; assistance reports none on <date>".
absl::Status NotLowIncomeError(absl::string_view region_prefix, absl::CivilDay as_of);

// An enrolment as entered.
struct EnrolmentInput {
  std::string name;
  std::string id_number;
  std::string region_code;
  std::string application_date;
};

struct EnrolmentDraft {
  std::string name;
  IdNumber id;
  RegionCode region;  // 12-digit residence
  absl::CivilDay applied_on;
};

// Validates: name 1–64 characters, a valid ID number, a 12-digit residence code, the application
// date (default `today`, never in the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<EnrolmentDraft> ValidateEnrolment(const EnrolmentInput& input, absl::CivilDay today);

// The age rule of an enrolment under `schedule` (the one in force in the application month):
// FAILED_PRECONDITION "region_code: no 高龄津贴 tier schedule covers …" without one, and
// "id_number: the person is N on <date>, under the lowest tier (80)" when younger than the lowest
// tier on the application date.
absl::Status CheckEnrolmentAge(const TierSchedule* schedule, absl::string_view region_code,
                               absl::CivilDay birth, absl::CivilDay applied_on);

// Approval of an enrolment recorded by `recorded_by` (applied on `applied_on`) by `approver` on
// `decided_on`: PERMISSION_DENIED "maker-checker: …" when the approver recorded it;
// FAILED_PRECONDITION when it is not pending approval (still waiting for the low-income check,
// say) or `decided_on` is before the application.
absl::Status CheckApproval(EnrolmentStatus status, absl::string_view recorded_by,
                           absl::string_view approver, absl::CivilDay applied_on,
                           absl::CivilDay decided_on);

// A reviewer's stop on `on` of an enrolment in `status` starting `start`: the first month no
// longer paid, the month after `on` (never before `start`). FAILED_PRECONDITION "enrolment_id: …"
// unless the enrolment is active.
absl::StatusOr<absl::CivilMonth> StopMonth(EnrolmentStatus status, absl::CivilMonth start,
                                           absl::CivilDay on);

// An upheld grievance (复核, 行政复议) against a stop reverses it: FAILED_PRECONDITION
// "case_id: …" unless the enrolment is stopped, or when the person's death is recorded (a death
// is not reversed by a grievance).
absl::Status CheckStopReversal(EnrolmentStatus status, bool deceased);

// The months owed once a stop is reversed are the kit's MonthsOwedAfterReversal, the stop after a
// move out of the county its MoveOutStopMonth (services/common/allowance_months.h).

// A person due in a month (approved, the enrolment covering it), as the store reads them.
struct DuePerson {
  std::string enrolment_id;
  absl::CivilDay birth;
  std::string region_code;
  bool low_income_confirmed = false;
};

struct PricedPayment {
  std::string enrolment_id;
  std::string tier;  // TierLabel
  int64_t amount_fen = 0;
  std::string region_code;
};

// One month's payments: each person due with a tier is paid that tier's amount under the
// schedule in force in the month for their region. Persons of no tier's age are not paid
// (`below_tier`), nor persons of a low-income-only tier not confirmed low-income
// (`not_low_income`); persons whose region no schedule covers are counted in `unpriced` (a run
// with any stops: FAILED_PRECONDITION in the store).
struct PricedMonth {
  std::vector<PricedPayment> payments;
  int below_tier = 0;
  int not_low_income = 0;
  int unpriced = 0;
};
PricedMonth PriceMonth(const std::vector<DuePerson>& due,
                       const std::vector<TierSchedule>& schedules, absl::CivilMonth month);

// The summary's tier of a person in `month`: TierLabel, or kBelowLowestTier, kNoSchedule,
// kNotLowIncome when the person is not paid in it.
std::string SummaryTier(const std::vector<TierSchedule>& schedules, absl::string_view region_code,
                        absl::CivilDay birth, bool low_income_confirmed, absl::CivilMonth month);

// The first month no longer paid after a death on `died`: the month after the death (the month of
// death is the last month paid).
absl::CivilMonth DeathStopMonth(absl::CivilDay died);

}  // namespace civil::eldercare
