// 孤儿 and 事实无人抚养儿童 rules (pure C++ on Abseil): the grounds that make each category, valid
// applications, the township check and the county approval (maker ≠ checker), standards as data
// per region prefix, category and month, the age stop (the month after the 18th birthday, later
// with full-time education up to a configurable age), the price of one month and the stops.
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

namespace civil::childwelfare {

// Numbers match civil.childwelfare.v1.Category.
enum class Category { kOrphanCentralised = 1, kOrphanDispersed = 2, kDeFactoUnsupported = 3 };
inline constexpr absl::string_view kCategoryNameList[] = {
    "", "ORPHAN_CENTRALISED", "ORPHAN_DISPERSED", "DE_FACTO_UNSUPPORTED"};
inline constexpr EnumNames kCategoryNames{kCategoryNameList};
bool IsOrphan(Category category);
// The programme as the bank file (services/common/bank_file.h) names it: 孤儿基本生活费 (both care
// forms) or 事实无人抚养儿童基本生活费.
absl::string_view BankProgrammeLabel(Category category);

// Numbers match civil.childwelfare.v1.ParentSituation.
enum class ParentSituation {
  kAble = 1,
  kDeceased = 2,
  kMissing = 3,
  kSeverelyDisabled = 4,
  kSeriouslyIll = 5,
  kImprisoned = 6,
  kCompulsoryRehab = 7,
  kOtherDetention = 8,
  kLostContact = 9
};
inline constexpr absl::string_view kParentSituationNameList[] = {"",
                                                                 "ABLE",
                                                                 "DECEASED",
                                                                 "MISSING",
                                                                 "SEVERELY_DISABLED",
                                                                 "SERIOUSLY_ILL",
                                                                 "IMPRISONED",
                                                                 "COMPULSORY_REHAB",
                                                                 "OTHER_DETENTION",
                                                                 "LOST_CONTACT"};
inline constexpr EnumNames kParentSituationNames{kParentSituationNameList};

// Numbers match civil.childwelfare.v1.ChildStatus.
enum class ChildStatus {
  kPendingCheck = 1,
  kPendingApproval = 2,
  kActive = 3,
  kStopped = 4,
  kRejected = 5
};
inline constexpr absl::string_view kChildStatusNameList[] = {
    "", "PENDING_CHECK", "PENDING_APPROVAL", "ACTIVE", "STOPPED", "REJECTED"};
inline constexpr EnumNames kChildStatusNames{kChildStatusNameList};

// Numbers match civil.childwelfare.v1.StopReason.
enum class StopReason {
  kAdopted = 1,
  kGuardianshipReturned = 2,
  kOther = 3,
  kDeceased = 4,
  kReviewIneligible = 5,  // the yearly review's (review.h)
  kMovedOut = 6           // the exchange's PersonMovedOut (public security's 户籍迁出)
};
inline constexpr absl::string_view kStopReasonNameList[] = {
    "", "ADOPTED", "GUARDIANSHIP_RETURNED", "OTHER", "DECEASED", "REVIEW_INELIGIBLE", "MOVED_OUT"};
inline constexpr EnumNames kStopReasonNames{kStopReasonNameList};

// The age up to which the allowance is paid, and the default of the education extension.
inline constexpr int kAdultAge = 18;
inline constexpr int kDefaultEducationMaxAge = 22;
inline constexpr int64_t kMaxMonthlyFen = 100'000'000;

// Whether the parents' situations make the category (民发〔2019〕62号): an orphan's parents are
// both dead or missing; a child without de-facto guardians has both parents incapable (severely
// disabled, seriously ill, imprisoned, in compulsory rehabilitation, otherwise detained,
// unreachable), or one dead or missing and the other incapable. INVALID_ARGUMENT naming `father`
// or `mother` (or `category` when both are dead or missing for a de-facto application).
absl::Status CheckGrounds(Category category, ParentSituation father, ParentSituation mother);

// An application as entered.
struct ApplicationInput {
  std::string name;
  std::string id_number;
  std::string region_code;
  int category = 0;
  int father = 0;
  int mother = 0;
  std::string guardian_name;
  std::string guardian_relation;
  std::string placement;
  std::string application_date;
};

struct ApplicationDraft {
  std::string name;
  IdNumber id;
  RegionCode region;  // 12-digit residence
  Category category = Category::kOrphanDispersed;
  ParentSituation father = ParentSituation::kAble;
  ParentSituation mother = ParentSituation::kAble;
  std::string guardian_name;
  std::string guardian_relation;
  std::string placement;
  absl::CivilDay applied_on;
};

// Validates: name 1–64 characters, a valid ID number, a 12-digit residence code, a category, the
// parents' situations (CheckGrounds), guardian name and relation 1–64, placement 1–200, the
// application date (default `today`, never in the future, not before birth), and a child under 18
// on that date (`id_number: …`). INVALID_ARGUMENT naming the field.
absl::StatusOr<ApplicationDraft> ValidateApplication(const ApplicationInput& input,
                                                     absl::CivilDay today);

// The township check by `checker` on `on` of an application recorded by `recorded_by`:
// PERMISSION_DENIED "maker-checker: …" when the checker recorded it; FAILED_PRECONDITION unless
// pending check, or when `on` is before the application.
absl::Status CheckTownshipCheck(ChildStatus status, absl::string_view recorded_by,
                                absl::string_view checker, absl::CivilDay applied_on,
                                absl::CivilDay on);

// The county approval by `approver` on `on`: PERMISSION_DENIED "maker-checker: …" when the
// approver recorded or checked the application; FAILED_PRECONDITION unless pending approval, or
// when `on` is before the check.
absl::Status CheckApproval(ChildStatus status, absl::string_view recorded_by,
                           absl::string_view checked_by, absl::string_view approver,
                           absl::CivilDay checked_on, absl::CivilDay on);

// The county approval is the county's: PERMISSION_DENIED "region: …" unless the approver's region
// scope is the county or wider (at most 6 digits, or `*`).
absl::Status CheckCountyLevel(absl::string_view approver_scope);

// The day a person born on `birth` turns `age` (a 29 February birthday falls on 1 March in
// non-leap years, as AgeOn counts it).
absl::CivilDay BirthdayAt(absl::CivilDay birth, int age);

// The first month not paid because of age: the month after the 18th birthday; with full-time
// education recorded up to `education_until`, the month after that, but never later than the
// month after the birthday of `education_max_age`.
absl::CivilMonth AgeStopMonth(absl::CivilDay birth, std::optional<absl::CivilMonth> education_until,
                              int education_max_age);

// Whether an approved case starting `start`, stopped from `end` (if any), is paid in `month`.
bool CoversMonth(absl::CivilMonth start, std::optional<absl::CivilMonth> end,
                 absl::CivilMonth age_stop, absl::CivilMonth month);

// Validates an education record: school 1–100 characters, `education_until` a `YYYY-MM` not
// before the month of `on`, the date (default today, never in the future). INVALID_ARGUMENT.
struct EducationRecord {
  std::string school;
  absl::CivilMonth until;
  absl::CivilDay on;
};
absl::StatusOr<EducationRecord> ValidateEducation(absl::string_view school, absl::string_view until,
                                                  absl::string_view date, absl::CivilDay today);

// A stop of a case in `status` starting `start` on `on`: the first month no longer paid, the month
// after `on` (never before `start`). FAILED_PRECONDITION "child_id: …" unless active.
absl::StatusOr<absl::CivilMonth> StopMonth(ChildStatus status, absl::CivilMonth start,
                                           absl::CivilDay on);

// A move of the child's household registration out of the county on `moved` (the exchange's
// PersonMovedOut) to a case in `status` starting `start`: the first month no longer paid,
// MoveOutStopMonth (services/common/allowance_months.h: the month after the move), never before
// `start`, for an active case; nullopt for any other (pending or rejected: nothing is paid;
// stopped: it stopped before the move was known and is left as it is).
std::optional<absl::CivilMonth> MoveOutStop(ChildStatus status, absl::CivilMonth start,
                                            absl::CivilDay moved);

// What an upheld grievance (复核, 行政复议) against a case (case kind CHILD: its identification)
// does.
enum class ChildReopen {
  kBackToCheck,  // rejected at the township check: pending the check again
  kRecordOnly,   // stopped: the outcome is recorded (a stop is contested as an ALLOWANCE)
};
// FAILED_PRECONDITION "case_id: …" for a case with nothing to reopen (pending or active: a
// second reopening of the same rejection finds it pending the check).
absl::StatusOr<ChildReopen> DecideChildReopen(ChildStatus status);

// An upheld grievance against a stop (case kind ALLOWANCE) reverses it: FAILED_PRECONDITION
// "case_id: …" unless the case is stopped, or when the stop was for death or the child's death is
// recorded (a death is not reversed by a grievance).
absl::Status CheckStopReversal(ChildStatus status, std::optional<StopReason> reason, bool deceased);

// The first month no longer paid after a death on `died` (the month of death is paid).
absl::CivilMonth DeathStopMonth(absl::CivilDay died);

// The university stipend (助学) of an orphan: once per person per academic year, by default
// 10,000 yuan (the county's standard).
inline constexpr int64_t kDefaultStipendFen = 1'000'000;
struct StipendDraft {
  int academic_year = 0;  // the year it starts: 2023 for 2023-2024
  std::string university;
  int64_t amount_fen = 0;
  absl::CivilDay paid_on;
};
// "2023-2024".
std::string AcademicYearLabel(int start_year);
// Validates: `academic_year` as `YYYY-YYYY` (consecutive years), university 1–100 characters,
// amount 0 (= kDefaultStipendFen) or 1 to 100,000,000 fen, the date paid (default today, never in
// the future). INVALID_ARGUMENT naming the field.
absl::StatusOr<StipendDraft> ValidateStipend(absl::string_view academic_year,
                                             absl::string_view university, int64_t amount_fen,
                                             absl::string_view date, absl::CivilDay today);
// Once per person per academic year: ALREADY_EXISTS "academic_year: <who> has a university
// stipend for 2023-2024 already" when `years_granted` (the academic years the person, under any of
// their cases, was granted one) holds `academic_year`.
absl::Status CheckStipendOnce(const std::vector<int>& years_granted, int academic_year,
                              absl::string_view who);
// The seed's sentence: "为在校孤儿大学生按照每人每学年1万元的标准,发放补助费用,共发放资金26万元,
// 惠及26人". `standard_fen` is the one amount every stipend of the period was; 0 when they differ,
// and then the sentence names no standard.
std::string StipendLine(int persons, int64_t paid_fen, int64_t standard_fen);
// Only an orphan whose case was approved (active, or stopped other than by death: an orphan at
// university is often past the age stop) receives it. FAILED_PRECONDITION "child_id: …".
absl::Status CheckStipendEligible(Category category, ChildStatus status, bool approved,
                                  std::optional<StopReason> stop_reason);

// The monthly standard of one category in one region prefix from one month.
struct Standard {
  RegionCode region_prefix;
  absl::CivilMonth effective_month;
  Category category = Category::kOrphanDispersed;
  int64_t monthly_fen = 0;
};

// Validates a standard as entered: a 6/9/12-digit prefix, a `YYYY-MM` month, a category, 1 to
// 100,000,000 fen. INVALID_ARGUMENT naming the field.
absl::StatusOr<Standard> ValidateStandard(absl::string_view region_prefix,
                                          absl::string_view effective_month, int category,
                                          int64_t monthly_fen);

// The standard in force for `category` in `region_code` in `month`: the most local prefix, then
// the latest month not after `month`. nullptr when none applies.
const Standard* StandardFor(const std::vector<Standard>& standards, Category category,
                            absl::string_view region_code, absl::CivilMonth month);

// FAILED_PRECONDITION "category: no standard for <CATEGORY> covers <region> in <month>; …".
absl::Status NoStandardError(Category category, absl::string_view region_code,
                             absl::CivilMonth month);

// A child due in a month as the store reads them (approved, the case covering the month).
struct DueChild {
  std::string child_id;
  absl::CivilDay birth;
  std::optional<absl::CivilMonth> education_until;
  Category category = Category::kOrphanDispersed;
  std::string region_code;
};

struct PricedPayment {
  std::string child_id;
  Category category = Category::kOrphanDispersed;
  int64_t amount_fen = 0;
  std::string region_code;
};

// One month's payments: each child before the age stop is paid the standard of their category in
// force for their region; children past it are counted in `aged_out`, children no standard covers
// in `unpriced` (the store refuses the run then).
struct PricedMonth {
  std::vector<PricedPayment> payments;
  int aged_out = 0;
  int unpriced = 0;
};
PricedMonth PriceMonth(const std::vector<DueChild>& due, const std::vector<Standard>& standards,
                       absl::CivilMonth month, int education_max_age);

// The back-payment of a reversed stop: one adjustment per month owed (MonthsOwedAfterReversal,
// services/common/allowance_months.h) before the child's age stop, at the standard of the
// child's category in force for their region in that month.
struct BackPayment {
  absl::CivilMonth month;
  Category category = Category::kOrphanDispersed;
  int64_t amount_fen = 0;
};
struct BackPay {
  std::vector<BackPayment> payments;  // oldest month first
  int64_t total_fen = 0;
};
// FAILED_PRECONDITION "category: …" (NoStandardError) when no standard covers a month owed:
// nothing is paid then.
absl::StatusOr<BackPay> PriceBackPay(const DueChild& child,
                                     const std::vector<absl::CivilMonth>& owed,
                                     const std::vector<Standard>& standards, int education_max_age);

}  // namespace civil::childwelfare
