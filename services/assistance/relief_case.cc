#include "services/assistance/relief_case.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/assistance/benefit.h"
#include "services/common/config.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::assistance {
namespace {

constexpr absl::string_view kReliefStatusNames[] = {
    "", "SUBMITTED", "APPROVED", "PAID", "PAID_PENDING_COMPLETION", "REJECTED"};
constexpr EnumNames kReliefStatuses(kReliefStatusNames);

}  // namespace

absl::StatusOr<ReliefRules> LoadReliefRules() {
  EnvReader env;
  ReliefRules rules;
  rules.township_limit = Money::Fen(env.Int("CIVIL_ASSISTANCE_RELIEF_TOWNSHIP_LIMIT_FEN",
                                            rules.township_limit.fen(), 0, int64_t{100000000}));
  rules.completion_days = static_cast<int>(
      env.Int("CIVIL_ASSISTANCE_RELIEF_COMPLETION_DAYS", rules.completion_days, 1, 365));
  if (absl::Status s = env.Status(); !s.ok()) return s;
  return rules;
}

ApprovalLevel ApprovalLevelOf(bool is_reviewer, absl::string_view region_scope) {
  const bool county_wide = region_scope == "*" || region_scope.size() == 6;
  if (county_wide && is_reviewer) return ApprovalLevel::kCounty;
  if (county_wide || region_scope.size() == 9) return ApprovalLevel::kTownship;
  return ApprovalLevel::kNone;
}

absl::string_view ApprovalLevelName(ApprovalLevel level) {
  switch (level) {
    case ApprovalLevel::kTownship:
      return "TOWNSHIP";
    case ApprovalLevel::kCounty:
      return "COUNTY";
    case ApprovalLevel::kNone:
      break;
  }
  return "";
}

absl::Status CheckReliefApproval(const ReliefRules& rules, ApprovalLevel level, Money amount) {
  switch (level) {
    case ApprovalLevel::kCounty:
      return absl::OkStatus();
    case ApprovalLevel::kTownship:
      if (amount <= rules.township_limit) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat(
          "amount_fen: ", absl::StrCat(amount.ToYuan(), " yuan"),
          " is above the township limit of ", absl::StrCat(rules.township_limit.ToYuan(), " yuan"),
          ": the county decides it (assistance.reviewer with a county scope)"));
    case ApprovalLevel::kNone:
      break;
  }
  return absl::PermissionDeniedError(
      "relief cases are decided by a township (9-digit scope) or the county (6-digit scope)");
}

absl::string_view ReliefStatusName(ReliefStatus status) {
  return kReliefStatuses.Name(static_cast<int>(status));
}

absl::StatusOr<ReliefStatus> ReliefStatusFromName(absl::string_view name) {
  const int i = kReliefStatuses.Value(name);
  if (i == 0) return absl::InvalidArgumentError(absl::StrCat("unknown relief status ", name));
  return static_cast<ReliefStatus>(i);
}

absl::StatusOr<ReliefStatus> NextReliefStatus(ReliefStatus status, ReliefAction action,
                                              bool emergency) {
  const std::string state = absl::StrCat("relief case is ", ReliefStatusName(status), ": ");
  switch (action) {
    case ReliefAction::kApprove:
      if (status == ReliefStatus::kSubmitted) return ReliefStatus::kApproved;
      if (status == ReliefStatus::kPaidPendingCompletion) return ReliefStatus::kPaid;
      return absl::FailedPreconditionError(absl::StrCat(state, "it is decided already"));
    case ReliefAction::kPay:
      if (status == ReliefStatus::kApproved) return ReliefStatus::kPaid;
      if (status == ReliefStatus::kSubmitted) {
        if (emergency) return ReliefStatus::kPaidPendingCompletion;
        return absl::FailedPreconditionError(
            absl::StrCat(state, "approve it before paying (only an emergency case is paid first)"));
      }
      if (status == ReliefStatus::kRejected) {
        return absl::FailedPreconditionError(absl::StrCat(state, "a rejected case is not paid"));
      }
      return absl::FailedPreconditionError(absl::StrCat(state, "it is paid already"));
    case ReliefAction::kReject:
      if (status == ReliefStatus::kSubmitted || status == ReliefStatus::kApproved) {
        return ReliefStatus::kRejected;
      }
      if (status == ReliefStatus::kRejected) {
        return absl::FailedPreconditionError(absl::StrCat(state, "it is rejected already"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat(state, "it is paid; a paid case is not rejected"));
  }
  return absl::InternalError("unknown action");
}

absl::StatusOr<ReliefStepDecision> DecideReliefStep(const ReliefRules& rules,
                                                    const ReliefCaseFacts& c, ReliefAction action,
                                                    absl::CivilDay on, absl::string_view date_field,
                                                    Money amount, const ReliefDecider& who) {
  absl::StatusOr<ReliefStatus> next = NextReliefStatus(c.status, action, c.emergency);
  if (!next.ok()) return next.status();
  if (on < c.happened_on) {
    return absl::FailedPreconditionError(
        absl::StrCat(date_field, ": before the case happened (", FormatDay(c.happened_on), ")"));
  }
  ReliefStepDecision d;
  d.next = *next;
  if (action == ReliefAction::kPay) {
    if (who.level == ApprovalLevel::kNone) {
      return absl::PermissionDeniedError(
          "payments are recorded by a township (9-digit scope) or the county");
    }
    if (c.decided_on && on < *c.decided_on) {
      return absl::FailedPreconditionError(
          absl::StrCat(date_field, ": before the approval (", FormatDay(*c.decided_on), ")"));
    }
    d.paid = amount == Money() ? c.amount : amount;
    if (d.paid > c.amount) {
      return InvalidField("amount_fen",
                          absl::StrCat("more than the ", c.amount.ToYuan(), " yuan granted"));
    }
    const bool first = d.next == ReliefStatus::kPaidPendingCompletion;
    if (first) d.completion_due = CompletionDue(rules, on);
    d.history_action = first ? "PAID_FIRST" : "PAID";
    return d;
  }
  if (absl::Status s = CheckReliefApproval(rules, who.level, c.amount); !s.ok()) return s;
  if (c.submitted_by == who.subject) {
    return absl::PermissionDeniedError(
        "maker-checker: the decision must not be made by the clerk who submitted the case");
  }
  d.history_action = action == ReliefAction::kReject                    ? "REJECTED"
                     : c.status == ReliefStatus::kPaidPendingCompletion ? "COMPLETED"
                                                                        : "APPROVED";
  return d;
}

absl::CivilDay CompletionDue(const ReliefRules& rules, absl::CivilDay paid_on) {
  return paid_on + rules.completion_days;
}

bool IsCompletionOverdue(absl::CivilDay due, absl::CivilDay as_of) { return as_of > due; }

}  // namespace civil::assistance
