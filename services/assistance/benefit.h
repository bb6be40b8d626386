// Benefit rules of the social assistance programmes (pure C++): which programmes pay and how
// much, the application state machine, benefit months, review cadence and phase-out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/money.h"

namespace civil::assistance {

// Numbers match civil.assistance.v1.Programme.
enum class Programme {
  kDibao = 1,
  kTekun = 2,
  kRetiredWorkerSubsidy = 3,
  kShanghaiResettledSubsidy = 4,
  kLeprosySubsidy = 5,
  kMarginal = 6,
  kExpenditureHardship = 7,
};

// Stable names stored in the database ("DIBAO", "TEKUN", …); INVALID_ARGUMENT for others.
absl::string_view ProgrammeName(Programme programme);
absl::StatusOr<Programme> ProgrammeFromName(absl::string_view name);
// INVALID_ARGUMENT "<field>: unknown programme" unless `number` is a contract Programme.
absl::StatusOr<Programme> ProgrammeFromNumber(int number, absl::string_view field);

// Whether the programme is granted to a household (低保, 边缘, 支出型) rather than one person.
bool IsHouseholdProgramme(Programme programme);
// Whether it pays monthly (the monitored low-income programmes do not).
bool IsPaid(Programme programme);
// Programmes in the same group exclude each other for one person: 低保 and 特困 share
// "SUBSISTENCE"; every other programme is its own group.
std::string ExclusiveGroup(Programme programme);

// Numbers match civil.assistance.v1.ExitReason.
enum class ExitReason {
  kDeath = 1,
  kIneligibleIncome = 2,
  kMovedAway = 3,
  kVoluntary = 4,
  kOther = 5
};
absl::string_view ExitReasonName(ExitReason reason);
absl::StatusOr<ExitReason> ExitReasonFromName(absl::string_view name);

// The values of one benefit standard.
struct StandardValues {
  Money monthly;  // per person (低保, 特困) or the fixed subsidy
  Money supplement_seriously_ill;
  Money supplement_severely_disabled;
  Money supplement_elderly;  // aged 60 or more
  Money supplement_minor;    // under 18
  int marginal_multiplier_permille = 1500;
};

// The 低保边缘 multiplier a standard is set with: `permille` as given, 1500 (1.5 × the line) when
// none is given (0).
int MarginalMultiplierPermille(int permille);

// What the 低保 supplements depend on, per enrolled member.
struct MemberFacts {
  absl::CivilDay birth_date;
  bool seriously_ill = false;
  bool severely_disabled = false;
};

// 低保 monthly amount (社会救助暂行办法 第12条): standard × members − household monthly income,
// on totals, rounded up to the yuan once, plus per-member supplements (分类施保). A member in more
// than one supplement category gets the highest one, not the sum. Ages are taken on `month`'s
// first day. FAILED_PRECONDITION when the income is not below the line (nothing to pay);
// INVALID_ARGUMENT for a negative income or no members.
absl::StatusOr<Money> DibaoMonthlyAmount(const StandardValues& standard,
                                         const std::vector<MemberFacts>& members,
                                         Money household_income, absl::CivilMonth month);

// The monthly amount of a per-person programme (特困 support, special-group subsidies): the
// standard's monthly value.
Money PerPersonMonthlyAmount(const StandardValues& standard);

// The 低保 supplement of one member in `month` (ages on its first day): the highest of the
// categories the member is in, not the sum; zero in none.
Money MemberSupplement(const StandardValues& standard, const MemberFacts& member,
                       absl::CivilMonth month);

// One benefit standard as set (benefit_standards): where and from when it applies.
struct StandardRecord {
  std::string standard_id;
  std::string region_prefix;  // 6 (county), 9 (township) or 12 (village) digits
  absl::CivilDay effective_from;
  StandardValues values;
};

// Which standard applies to a household in `region_code` for `month`, among `standards` of one
// programme and area (services/assistance/README.md, "Which standard applies"):
//   1. only standards whose region prefix is a prefix of `region_code`, and that took effect on
//      or before the first day of `month` (one from the 15th applies from the next month);
//   2. the most local of them wins: the longest prefix (village over township over county),
//      whatever their dates, so a township's own standard is not replaced by a newer county one;
//   3. among those of that prefix, the latest effective date.
// The index of the standard in `standards`; nullopt when none applies.
std::optional<size_t> StandardInForce(const std::vector<StandardRecord>& standards,
                                      absl::string_view region_code, absl::CivilMonth month);

// The amount an enrolment's decision row (enrolment_amounts) holds from `from` on: computed at
// approval or at a member's exit, or set by hand on review (INCREASE / DECREASE).
struct DecidedAmount {
  Money amount;
  int persons = 0;
  absl::CivilMonth from;
  bool set_on_review = false;
};

// What one month of an enrolment pays.
struct MonthlyPayment {
  Money amount;
  // 低保 whose gap (line × persons − income) is no longer positive at the standard in force: paid
  // nothing and listed for review.
  bool hold_for_review = false;
};

// The 低保 formula before its gap is checked: standard × `persons` − `income`, rounded up to
// the yuan once (also when negative), plus each member's supplement in `month`.
Money DibaoFormula(const StandardValues& standard, int persons, Money income,
                   const std::vector<MemberFacts>& members, absl::CivilMonth month);

// The amount paid for `month` (提标: it follows the standard in force for the month paid; past
// payments are never recomputed):
//   - no standard in force (`in_force` null), or 低保 without an investigated income (an
//     imported enrolment): the decided amount;
//   - an amount set on review: as set while the standard in force is the one the review was
//     decided on (`decided_on`, the standard in force in `decided.from`); after a newer one it
//     carries the change, amount + (formula on `in_force` − formula on `decided_on`), both on
//     the month's persons, income and members (低保; the standard's monthly difference for the
//     per-person programmes), never below zero — a raise never lowers what a reviewer set;
//   - 低保: DibaoFormula on the standard in force with `decided.persons`, the investigated
//     `income` and `members` (those enrolled in `month`); a gap (standard × persons − income)
//     that is not positive pays nothing and holds the household for review;
//   - 特困 and the special-group subsidies: the standard's monthly value.
MonthlyPayment AmountForMonth(Programme programme, const DecidedAmount& decided,
                              const StandardRecord* in_force, const StandardRecord* decided_on,
                              std::optional<Money> income, const std::vector<MemberFacts>& members,
                              absl::CivilMonth month);

// Whether a household with this income and size is 低保边缘 (income per head ≤ multiplier ×
// standard).
bool IsMarginal(const StandardValues& standard, int members, Money household_income);

// 特困 support (社会救助暂行办法 第14条) goes to a person in one of three categories who has no
// capacity to work, no source of income, and no legal supporter (法定赡养、抚养、扶养义务人) or
// one unable to support them. Numbers match civil.assistance.v1.TekunCategory.
enum class TekunCategory { kElderly = 1, kDisabled = 2, kMinor = 3 };
// Stable names stored in the database ("ELDERLY", "DISABLED", "MINOR").
absl::string_view TekunCategoryName(TekunCategory category);
absl::StatusOr<TekunCategory> TekunCategoryFromName(absl::string_view name);
// INVALID_ARGUMENT "<field>: unknown category" unless `number` is a contract TekunCategory.
absl::StatusOr<TekunCategory> TekunCategoryFromNumber(int number, absl::string_view field);

inline constexpr int kTekunElderlyAge = 60;  // 老年人: 60 or more
inline constexpr int kTekunMinorAge = 16;    // 未成年人: under 16

// What the township investigation found about a 特困 applicant.
struct TekunGrounds {
  TekunCategory category = TekunCategory::kElderly;
  bool no_work_capacity = false;
  bool no_income = false;
  bool no_supporter = false;
};

// Whether the category fits the applicant's age on `investigated_on` (birth date from the ID
// number): ELDERLY needs 60 or more, MINOR under 16, DISABLED any age. INVALID_ARGUMENT
// "<field>: …" naming the age and the limit otherwise.
absl::Status CheckTekunCategory(TekunCategory category, absl::CivilDay birth_date,
                                absl::CivilDay investigated_on, absl::string_view field);

// Whether a 特困 application may be approved on the recorded grounds (nullopt: none recorded):
// FAILED_PRECONDITION naming what is missing — the grounds, or each of no_work_capacity,
// no_income, no_supporter not established at investigation.
absl::Status CheckTekunGroundsForApproval(const std::optional<TekunGrounds>& grounds);

// 支出型困难家庭: a household whose income is at or above the 低保 line but whose rigid expenses
// (刚性支出: medical, education) per month push it under the line. Monitored, not paid.
struct RigidExpenses {
  Money medical;
  Money education;
};

// INVALID_ARGUMENT "<field>.medical_fen: …" / "<field>.education_fen: …" for a negative amount.
absl::Status CheckRigidExpenses(const RigidExpenses& expenses, absl::string_view field);

// Whether a 支出型 application may be approved (nullopt: no expenses recorded). The line is the
// 低保 one: `dibao_standard.monthly` (the standard in force) × `persons`. Eligible when the
// household monthly income is at or above the line (below it is a 低保 case) and income minus the
// rigid expenses is below it; FAILED_PRECONDITION "rigid_expenses: …" saying which otherwise.
absl::Status CheckExpenditureHardshipForApproval(const StandardValues& dibao_standard, int persons,
                                                 Money household_income,
                                                 const std::optional<RigidExpenses>& expenses);

// Application workflow (社会救助暂行办法 第11条).
enum class ApplicationStatus {
  kSubmitted = 1,
  kInvestigated = 2,
  kInNotice = 3,
  kApproved = 4,
  kRejected = 5
};
enum class ApplicationAction { kInvestigate, kPublish, kObject, kApprove, kReject };
absl::string_view ApplicationStatusName(ApplicationStatus status);
absl::StatusOr<ApplicationStatus> ApplicationStatusFromName(absl::string_view name);

// FAILED_PRECONDITION naming the rule when `action` is not allowed in `status`, e.g.
// "application is SUBMITTED: investigate it before the public notice".
absl::Status CheckTransition(ApplicationStatus status, ApplicationAction action);

// An upheld grievance against a rejection (复核, 社会救助暂行办法 第65条): the application goes
// back to investigation (SUBMITTED), its history kept. FAILED_PRECONDITION unless REJECTED.
absl::Status CheckReopenRejected(ApplicationStatus status);

// An upheld grievance against an exit: the enrolment is reinstated from the month after its last
// paid month. FAILED_PRECONDITION unless it ended (`ended`) for a reason other than death (a death
// is corrected in the death registry, not by a grievance).
absl::Status CheckExitReversal(bool ended, ExitReason reason);

// What a reinstated enrolment is owed for a month it was not paid in full: `due` less `paid`,
// never negative (paying the difference makes a second reckoning owe nothing).
Money BackPayment(Money due, Money paid);

inline constexpr int kNoticeDays = 7;
// The last day of a notice that starts on `start` (7 days, both ends included).
absl::CivilDay NoticeEnd(absl::CivilDay start);

// Tunable rules with their defaults (configurable per county).
struct AssistanceRules {
  int late_entry_days = 30;           // an entry dated further back is flagged late
  int review_months_urban_dibao = 6;  // 复审 cadence
  int review_months_rural_dibao = 12;
  int review_months_tekun = 12;
  int review_months_other = 12;
  int phase_out_months = 6;  // 渐退
};

// The first review date of an enrolment starting in `start`.
absl::CivilDay ReviewDue(const AssistanceRules& rules, Programme programme, bool urban,
                         absl::CivilMonth start);

// Whether an entry dated `happened` and recorded on `today` is a late entry.
bool IsLateEntry(const AssistanceRules& rules, absl::CivilDay happened, absl::CivilDay today);

}  // namespace civil::assistance
