// Rules of audits (专项整治): finding kinds, categories, keys, the 低保 line, decisions on
// findings — pure C++, no SQL or gRPC.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/money.h"

namespace civil::assistance {

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

}  // namespace civil::assistance
