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

// Whether a household with this income and size is 低保边缘 (income per head ≤ multiplier ×
// standard).
bool IsMarginal(const StandardValues& standard, int members, Money household_income);

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

// `YYYY-MM` ⇄ CivilMonth. INVALID_ARGUMENT "<field>: must be YYYY-MM".
absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text, absl::string_view field);
std::string FormatMonth(absl::CivilMonth month);

// A date a step happened: empty means `today`; INVALID_ARGUMENT "<field>: …" for a malformed
// date or one after `today`.
absl::StatusOr<absl::CivilDay> StepDate(absl::string_view text, absl::string_view field,
                                        absl::CivilDay today);

// Whether an entry dated `happened` and recorded on `today` is a late entry.
bool IsLateEntry(const AssistanceRules& rules, absl::CivilDay happened, absl::CivilDay today);

// How the report writes an amount of money: 万元, whole when ≥ 50万元, else two decimals
// ("3808万元", "10.46万元", "0.85万元").
std::string ReportWanYuan(Money money);

}  // namespace civil::assistance
