// Rules of 临时救助: approval levels and limits, the case's states, emergency completion
// deadlines — pure C++, no SQL or gRPC.
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

// A case as a decision on it needs it.
struct ReliefCaseFacts {
  ReliefStatus status = ReliefStatus::kSubmitted;
  bool emergency = false;
  Money amount;  // granted
  absl::CivilDay happened_on;
  std::optional<absl::CivilDay> decided_on;
  std::string submitted_by;  // the clerk who submitted the case
};

// Who approves, rejects or pays a case: their subject and the level they decide at
// (ApprovalLevelOf).
struct ReliefDecider {
  std::string subject;
  ApprovalLevel level = ApprovalLevel::kNone;
};

// What a step decided.
struct ReliefStepDecision {
  ReliefStatus next = ReliefStatus::kSubmitted;
  // The history row: "APPROVED", "COMPLETED" (an emergency case paid first, approved after),
  // "REJECTED", "PAID" or "PAID_FIRST".
  absl::string_view history_action;
  Money paid;                                    // kPay: the amount paid
  std::optional<absl::CivilDay> completion_due;  // kPay of an emergency case paid first
};

// Decides `action` on case `c` by `who`, dated `on` (`date_field` names the request field the
// date came from), paying `amount` (kPay; zero = the amount granted):
// - the status after the action (NextReliefStatus; FAILED_PRECONDITION out of order);
// - FAILED_PRECONDITION "<date_field>: before the case happened (…)" for a date before the case;
// - kPay: PERMISSION_DENIED for a decider of no level; FAILED_PRECONDITION "<date_field>: before
//   the approval (…)"; INVALID_ARGUMENT "amount_fen: more than the … yuan granted"; paid first
//   (an emergency case not yet approved): completion due CompletionDue(rules, on);
// - kApprove / kReject: CheckReliefApproval (a township decides up to the limit, the county
//   above it); PERMISSION_DENIED "maker-checker: …" when `who` submitted the case.
absl::StatusOr<ReliefStepDecision> DecideReliefStep(const ReliefRules& rules,
                                                    const ReliefCaseFacts& c, ReliefAction action,
                                                    absl::CivilDay on, absl::string_view date_field,
                                                    Money amount, const ReliefDecider& who);

// The last day to complete an emergency case paid on `paid_on`.
absl::CivilDay CompletionDue(const ReliefRules& rules, absl::CivilDay paid_on);
// Whether a case due on `due` and still pending is overdue on `as_of` (the due day itself is not).
bool IsCompletionOverdue(absl::CivilDay due, absl::CivilDay as_of);

}  // namespace civil::assistance
