#include "services/assistance/relief.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/assistance/benefit.h"
#include "services/common/config.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"

namespace civil::assistance {
namespace {

constexpr absl::string_view kReliefStatuses[] = {
    "", "SUBMITTED", "APPROVED", "PAID", "PAID_PENDING_COMPLETION", "REJECTED"};
constexpr absl::string_view kFindingKinds[] = {"",
                                               "EXCLUSIVE_ENROLMENTS",
                                               "TWO_HOUSEHOLDS",
                                               "PAID_AFTER_END",
                                               "PAID_AFTER_DEATH",
                                               "REVIEW_OVERDUE",
                                               "ELIGIBLE_NOT_ENROLLED"};
constexpr absl::string_view kFindingStatuses[] = {"", "OPEN", "CONFIRMED", "DISMISSED"};
constexpr absl::string_view kReviewOutcomes[] = {"", "INCREASE", "DECREASE", "STOP", "UNCHANGED"};

template <size_t N>
int IndexOf(const absl::string_view (&names)[N], absl::string_view name) {
  for (size_t i = 1; i < N; ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return 0;
}

std::string Yuan(Money money) { return absl::StrCat(money.ToYuan(), " yuan"); }

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

// ---------------------------------------------------------------------------------------------

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
      return absl::PermissionDeniedError(
          absl::StrCat("amount_fen: ", Yuan(amount), " is above the township limit of ",
                       Yuan(rules.township_limit),
                       ": the county decides it (assistance.reviewer with a county scope)"));
    case ApprovalLevel::kNone:
      break;
  }
  return absl::PermissionDeniedError(
      "relief cases are decided by a township (9-digit scope) or the county (6-digit scope)");
}

absl::string_view ReliefStatusName(ReliefStatus status) {
  return kReliefStatuses[static_cast<int>(status)];
}

absl::StatusOr<ReliefStatus> ReliefStatusFromName(absl::string_view name) {
  const int i = IndexOf(kReliefStatuses, name);
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

absl::CivilDay CompletionDue(const ReliefRules& rules, absl::CivilDay paid_on) {
  return paid_on + rules.completion_days;
}

bool IsCompletionOverdue(absl::CivilDay due, absl::CivilDay as_of) { return as_of > due; }

// ---------------------------------------------------------------------------------------------

int CoveragePermille(int64_t registered, int64_t known) {
  if (known <= 0 || registered <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(registered, known) * 1000 / known);
}

// ---------------------------------------------------------------------------------------------

absl::string_view FindingKindName(FindingKind kind) {
  return kFindingKinds[static_cast<int>(kind)];
}

absl::StatusOr<FindingKind> FindingKindFromName(absl::string_view name) {
  const int i = IndexOf(kFindingKinds, name);
  if (i == 0) return absl::InvalidArgumentError(absl::StrCat("unknown finding kind ", name));
  return static_cast<FindingKind>(i);
}

FindingCategory CategoryOf(FindingKind kind) {
  switch (kind) {
    case FindingKind::kEligibleNotEnrolled:
      return FindingCategory::kEligibleNotEnrolled;
    case FindingKind::kExclusiveEnrolments:
    case FindingKind::kTwoHouseholds:
      return FindingCategory::kDuplicate;
    case FindingKind::kPaidAfterEnd:
    case FindingKind::kPaidAfterDeath:
      return FindingCategory::kImproper;
    case FindingKind::kReviewOverdue:
      break;
  }
  return FindingCategory::kNone;
}

FindingKey ExclusiveEnrolmentsKey(absl::string_view id_index, absl::CivilMonth first_month) {
  return {FindingKind::kExclusiveEnrolments, absl::StrCat("person:", id_index),
          FormatMonth(first_month)};
}

FindingKey TwoHouseholdsKey(absl::string_view id_index, absl::CivilMonth first_month) {
  return {FindingKind::kTwoHouseholds, absl::StrCat("person:", id_index), FormatMonth(first_month)};
}

FindingKey PaidAfterEndKey(absl::string_view enrolment_id, absl::CivilMonth first_month) {
  return {FindingKind::kPaidAfterEnd, absl::StrCat("enrolment:", enrolment_id),
          FormatMonth(first_month)};
}

FindingKey PaidAfterDeathKey(absl::string_view enrolment_id, absl::string_view id_index,
                             absl::CivilMonth first_month) {
  return {FindingKind::kPaidAfterDeath,
          absl::StrCat("enrolment:", enrolment_id, "/person:", id_index), FormatMonth(first_month)};
}

FindingKey ReviewOverdueKey(absl::string_view enrolment_id, absl::CivilDay due) {
  return {FindingKind::kReviewOverdue, absl::StrCat("enrolment:", enrolment_id), FormatDay(due)};
}

FindingKey EligibleNotEnrolledKey(absl::string_view household_id, absl::CivilMonth month) {
  return {FindingKind::kEligibleNotEnrolled, absl::StrCat("household:", household_id),
          FormatMonth(month)};
}

bool IsBelowDibaoLine(Money monthly_standard, int members, Money household_income) {
  if (members <= 0) return false;
  return household_income < monthly_standard * members;
}

absl::string_view FindingStatusName(FindingStatus status) {
  return kFindingStatuses[static_cast<int>(status)];
}

absl::StatusOr<FindingStatus> FindingStatusFromName(absl::string_view name) {
  const int i = IndexOf(kFindingStatuses, name);
  if (i == 0) return absl::InvalidArgumentError(absl::StrCat("unknown finding status ", name));
  return static_cast<FindingStatus>(i);
}

absl::Status CheckFindingDecision(FindingStatus status, FindingStatus to,
                                  absl::string_view reason) {
  if (to == FindingStatus::kDismissed && reason.empty()) {
    return InvalidField("reason", "a dismissal needs a written reason");
  }
  if (status != FindingStatus::kOpen) {
    return absl::FailedPreconditionError(absl::StrCat("finding is ", FindingStatusName(status),
                                                      ": only an open finding is decided"));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------

absl::string_view ReviewOutcomeName(ReviewOutcome outcome) {
  return kReviewOutcomes[static_cast<int>(outcome)];
}

absl::StatusOr<ReviewOutcome> ReviewOutcomeFromName(absl::string_view name) {
  const int i = IndexOf(kReviewOutcomes, name);
  if (i == 0) return absl::InvalidArgumentError(absl::StrCat("unknown review outcome ", name));
  return static_cast<ReviewOutcome>(i);
}

absl::Status CheckReviewAmount(ReviewOutcome outcome, Money current, Money proposed) {
  if (proposed < Money()) {
    return InvalidField("new_monthly_amount_fen", "must not be negative");
  }
  if (outcome == ReviewOutcome::kIncrease && proposed <= current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "new_monthly_amount_fen: an increase must be above the current ", Yuan(current)));
  }
  if (outcome == ReviewOutcome::kDecrease && proposed >= current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "new_monthly_amount_fen: a decrease must be below the current ", Yuan(current)));
  }
  return absl::OkStatus();
}

absl::CivilMonth ReviewEffectiveMonth(absl::CivilDay decided_on,
                                      std::optional<absl::CivilMonth> last_paid) {
  absl::CivilMonth effective = absl::CivilMonth(decided_on) + 1;
  if (last_paid && *last_paid + 1 > effective) effective = *last_paid + 1;
  return effective;
}

// ---------------------------------------------------------------------------------------------

std::string CsvField(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string BankFileHeader() { return "序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目\r\n"; }

std::string BankFileRow(const BankFileLine& line) {
  return absl::StrCat(line.payment_id, ",", CsvField(line.name), ",", CsvField(line.id_number), ",",
                      line.amount.ToYuan(), ",", FormatMonth(line.month), ",",
                      CsvField(line.region_code), ",", CsvField(line.programme), "\r\n");
}

absl::string_view ProgrammeLabel(absl::string_view programme_name) {
  struct Label {
    absl::string_view name, label;
  };
  static constexpr Label kLabels[] = {
      {"DIBAO", "低保"},
      {"TEKUN", "特困"},
      {"RETIRED_WORKER_SUBSIDY", "精减退职老职工生活补助"},
      {"SHANGHAI_RESETTLED_SUBSIDY", "上海下放居民生活补助"},
      {"LEPROSY_SUBSIDY", "麻风病人生活补助"},
  };
  for (const Label& l : kLabels) {
    if (l.name == programme_name) return l.label;
  }
  return programme_name;
}

}  // namespace civil::assistance
