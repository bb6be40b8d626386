// Rules of 临时救助 (approval limits, emergency completion deadlines), mutual-aid coverage, audit
// findings (kinds, keys, the 低保 line), reviews and the bank file — pure C++, no SQL or gRPC.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/money.h"

namespace civil::assistance {

// Tunable rules of temporary relief, with their defaults.
struct ReliefRules {
  Money township_limit = Money::Fen(100000);  // 1000 yuan: above it the county approves
  int completion_days = 30;                   // emergency paid first: approve within this
};

// Reads CIVIL_ASSISTANCE_RELIEF_TOWNSHIP_LIMIT_FEN [100000] and
// CIVIL_ASSISTANCE_RELIEF_COMPLETION_DAYS [30]. INVALID_ARGUMENT naming every malformed one.
absl::StatusOr<ReliefRules> LoadReliefRules();

// ---------------------------------------------------------------------------------------------
// 临时救助 approval.

// Numbers match civil.assistance.v1.ApprovalLevel.
enum class ApprovalLevel { kNone = 0, kTownship = 1, kCounty = 2 };

// The level a caller decides at: county for an `assistance.reviewer` whose scope is a county
// (6 digits) or everywhere (`*`); township for anyone else scoped to a township or wider;
// none for a village scope or no scope.
ApprovalLevel ApprovalLevelOf(bool is_reviewer, absl::string_view region_scope);
// "TOWNSHIP", "COUNTY", or "" for none.
absl::string_view ApprovalLevelName(ApprovalLevel level);

// OK when `level` may decide a case of `amount`. PERMISSION_DENIED "amount_fen: …" naming the
// limit when a township decides above it; PERMISSION_DENIED when the level is none.
absl::Status CheckReliefApproval(const ReliefRules& rules, ApprovalLevel level, Money amount);

// Numbers match civil.assistance.v1.ReliefCaseStatus.
enum class ReliefStatus {
  kSubmitted = 1,
  kApproved = 2,
  kPaid = 3,
  kPaidPendingCompletion = 4,
  kRejected = 5
};
enum class ReliefAction { kApprove, kReject, kPay };

// Stored names ("SUBMITTED", …); INVALID_ARGUMENT for unknown ones.
absl::string_view ReliefStatusName(ReliefStatus status);
absl::StatusOr<ReliefStatus> ReliefStatusFromName(absl::string_view name);

// The status after `action`: approve SUBMITTED → APPROVED, PAID_PENDING_COMPLETION → PAID (the
// procedure completed); pay APPROVED → PAID, SUBMITTED emergency → PAID_PENDING_COMPLETION;
// reject SUBMITTED or APPROVED → REJECTED. FAILED_PRECONDITION naming the rule otherwise, e.g.
// "relief case is SUBMITTED: approve it before paying (only an emergency case is paid first)".
absl::StatusOr<ReliefStatus> NextReliefStatus(ReliefStatus status, ReliefAction action,
                                              bool emergency);

// The last day to complete an emergency case paid on `paid_on`.
absl::CivilDay CompletionDue(const ReliefRules& rules, absl::CivilDay paid_on);
// Whether a case due on `due` and still pending is overdue on `as_of` (the due day itself is not).
bool IsCompletionOverdue(absl::CivilDay due, absl::CivilDay as_of);

// ---------------------------------------------------------------------------------------------
// Mutual aid.

// `registered` / `known` in per mille, rounded down; 0 when nothing is known.
int CoveragePermille(int64_t registered, int64_t known);

// ---------------------------------------------------------------------------------------------
// Audits (专项整治).

// Numbers match civil.assistance.v1.FindingKind.
enum class FindingKind {
  kExclusiveEnrolments = 1,
  kTwoHouseholds = 2,
  kPaidAfterEnd = 3,
  kPaidAfterDeath = 4,
  kReviewOverdue = 5,
  kEligibleNotEnrolled = 6,
};
absl::string_view FindingKindName(FindingKind kind);
absl::StatusOr<FindingKind> FindingKindFromName(absl::string_view name);

// The report's three headings (应享未享, 重复享受, 违规享受); kNone for findings the report does
// not count (reviews overdue).
enum class FindingCategory { kNone, kEligibleNotEnrolled, kDuplicate, kImproper };
FindingCategory CategoryOf(FindingKind kind);

// The identity of a finding: re-running an audit yields the same key for the same problem.
struct FindingKey {
  FindingKind kind;
  std::string subject_key;  // blind index and/or record ids, never a clear ID number
  std::string period;       // `YYYY-MM`, or `YYYY-MM-DD` for a review due date

  friend bool operator==(const FindingKey&, const FindingKey&) = default;
};

// Keys per kind: a person (blind index) whose enrolments overlap from `first_month`; a person in
// two households from `first_month`; an enrolment paid after its end from `first_month`; a
// person counted after death in an enrolment from `first_month`; an enrolment whose review was
// due on `due`; a household investigated in `month` under the line.
FindingKey ExclusiveEnrolmentsKey(absl::string_view id_index, absl::CivilMonth first_month);
FindingKey TwoHouseholdsKey(absl::string_view id_index, absl::CivilMonth first_month);
FindingKey PaidAfterEndKey(absl::string_view enrolment_id, absl::CivilMonth first_month);
FindingKey PaidAfterDeathKey(absl::string_view enrolment_id, absl::string_view id_index,
                             absl::CivilMonth first_month);
FindingKey ReviewOverdueKey(absl::string_view enrolment_id, absl::CivilDay due);
FindingKey EligibleNotEnrolledKey(absl::string_view household_id, absl::CivilMonth month);

// 应享未享 test: household income strictly below the 低保 line (standard × members).
bool IsBelowDibaoLine(Money monthly_standard, int members, Money household_income);

// Numbers match civil.assistance.v1.FindingStatus.
enum class FindingStatus { kOpen = 1, kConfirmed = 2, kDismissed = 3 };
absl::string_view FindingStatusName(FindingStatus status);
absl::StatusOr<FindingStatus> FindingStatusFromName(absl::string_view name);

// Whether a finding in `status` may be decided as `to` (CONFIRMED or DISMISSED): only open ones,
// FAILED_PRECONDITION "finding is CONFIRMED: …" otherwise; INVALID_ARGUMENT "reason: …" for a
// dismissal without a reason.
absl::Status CheckFindingDecision(FindingStatus status, FindingStatus to, absl::string_view reason);

// ---------------------------------------------------------------------------------------------
// Reviews (复审复核).

// Numbers match civil.assistance.v1.ReviewOutcome.
enum class ReviewOutcome { kIncrease = 1, kDecrease = 2, kStop = 3, kUnchanged = 4 };
absl::string_view ReviewOutcomeName(ReviewOutcome outcome);
absl::StatusOr<ReviewOutcome> ReviewOutcomeFromName(absl::string_view name);

// For INCREASE the new amount must be above the current one, for DECREASE below it (and not
// negative): FAILED_PRECONDITION "new_monthly_amount_fen: …" naming the current amount.
absl::Status CheckReviewAmount(ReviewOutcome outcome, Money current, Money proposed);

// The first month a review decided on `decided_on` changes: the month after the decision, or
// the month after the last month already paid when that is later (payments are never
// rewritten).
absl::CivilMonth ReviewEffectiveMonth(absl::CivilDay decided_on,
                                      std::optional<absl::CivilMonth> last_paid);

// ---------------------------------------------------------------------------------------------
// Bank file (一卡通).

// The largest bank file one call returns; larger batches are exported by region.
inline constexpr int kMaxBankFileRows = 30000;

// One payment as the bank file lists it.
struct BankFileLine {
  int64_t payment_id = 0;
  std::string name;
  std::string id_number;  // full or masked, as the caller may see it
  Money amount;
  absl::CivilMonth month;
  std::string region_code;
  std::string programme;  // e.g. 低保
};

// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled.
std::string CsvField(absl::string_view value);
// The header row and one row per line, each ending in CRLF.
std::string BankFileHeader();
std::string BankFileRow(const BankFileLine& line);
// The programme as the bank file names it (低保, 特困, …).
absl::string_view ProgrammeLabel(absl::string_view programme_name);

}  // namespace civil::assistance
