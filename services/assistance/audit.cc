#include "services/assistance/audit.h"

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

constexpr absl::string_view kFindingKindNames[] = {"",
                                                   "EXCLUSIVE_ENROLMENTS",
                                                   "TWO_HOUSEHOLDS",
                                                   "PAID_AFTER_END",
                                                   "PAID_AFTER_DEATH",
                                                   "REVIEW_OVERDUE",
                                                   "ELIGIBLE_NOT_ENROLLED"};
constexpr EnumNames kFindingKinds(kFindingKindNames);
constexpr absl::string_view kFindingStatusNames[] = {"", "OPEN", "CONFIRMED", "DISMISSED"};
constexpr EnumNames kFindingStatuses(kFindingStatusNames);

}  // namespace

absl::string_view FindingKindName(FindingKind kind) {
  return kFindingKinds.Name(static_cast<int>(kind));
}

absl::StatusOr<FindingKind> FindingKindFromName(absl::string_view name) {
  const int i = kFindingKinds.Value(name);
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
  return kFindingStatuses.Name(static_cast<int>(status));
}

absl::StatusOr<FindingStatus> FindingStatusFromName(absl::string_view name) {
  const int i = kFindingStatuses.Value(name);
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

}  // namespace civil::assistance
