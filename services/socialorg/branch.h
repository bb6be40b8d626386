// Branches (分支机构) of organisations of the register (pure C++ on Abseil): a social group or a
// foundation may set up branches; a private non-enterprise unit may not (民办非企业单位登记管理
// 暂行条例 第十三条). A branch is closed (分支机构注销) by a dated closure, filed by a clerk and
// approved by another person (maker ≠ checker); one closure waits at a time. The organisation's
// deregistration (注销), once approved, closes every branch still open on its date.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/socialorg/lifecycle.h"
#include "services/socialorg/organisation.h"

namespace civil::socialorg {

struct Branch {
  std::string name;
  std::string principal;  // 负责人
  std::string scope;      // 业务范围, within the organisation's
  absl::CivilDay established_on;
};

// A branch as entered: `name`, `principal` and `scope` required, `established_date` default
// `today`, never in the future. INVALID_ARGUMENT naming the field.
absl::StatusOr<Branch> ValidateBranch(absl::string_view name, absl::string_view principal,
                                      absl::string_view scope, absl::string_view established_date,
                                      absl::CivilDay today);

// Whether an organisation of `kind` in `state` may set up `branch`: FAILED_PRECONDITION
// "organisation_id: …" for a private non-enterprise unit or unless registered,
// "established_date: …" before the organisation's establishment.
absl::Status CheckBranch(OrgKind kind, const OrgState& state, const Branch& branch);

// Numbers match civil.socialorg.v1.BranchStatus.
enum class BranchStatus { kOpen = 1, kClosing = 2, kClosed = 3 };
inline constexpr absl::string_view kBranchStatusNameList[] = {"", "OPEN", "CLOSING", "CLOSED"};
inline constexpr EnumNames kBranchStatusNames{kBranchStatusNameList};

// A closure as filed.
struct BranchClosure {
  absl::CivilDay closed_on;
  std::vector<std::string> documents;
  std::string reason;
};

// Validates: `closure_date` (default `today`, never in the future), the documents (Documents:
// 1–20), a reason of 1–500 characters. INVALID_ARGUMENT naming the field.
absl::StatusOr<BranchClosure> ValidateBranchClosure(absl::string_view closure_date,
                                                    const std::vector<std::string>& documents,
                                                    absl::string_view reason, absl::CivilDay today);

// Whether a branch in `status`, set up on `established_on`, may take `closure`:
// FAILED_PRECONDITION "branch_id: the branch is closed already" / "branch_id: a closure of the
// branch is pending", "closure_date: must not be before the branch's establishment on …".
absl::Status CheckBranchClosure(BranchStatus status, absl::CivilDay established_on,
                                const BranchClosure& closure);

// The decision on a closure filed by `recorded_by`, dated `closed_on`, by `decider` on
// `decided_on`: FAILED_PRECONDITION "closure_id: the closure is APPROVED, not pending",
// "decision_date: must not be before the closure date …"; PERMISSION_DENIED "maker-checker: …"
// when the decider filed it.
absl::Status CheckClosureDecision(EventStatus status, absl::string_view recorded_by,
                                  absl::string_view decider, absl::CivilDay closed_on,
                                  absl::CivilDay decided_on);

// A branch as the approval of its organisation's deregistration finds it.
struct BranchStanding {
  std::string name;
  BranchStatus status = BranchStatus::kOpen;
  absl::CivilDay established_on;
};

// The branches the approval of deregistration event `event_id`, dated `deregistered_on`, closes:
// every branch not closed yet (the positions in `branches`), closed on `deregistered_on`. Refused
// (FAILED_PRECONDITION "event_id: …", nothing closed) while a closure of one of them is pending
// (the reviewer decides it first) or when one was set up after `deregistered_on`.
absl::StatusOr<std::vector<size_t>> BranchesClosedByDeregistration(
    const std::vector<BranchStanding>& branches, absl::CivilDay deregistered_on);

// The reason on the closure of a branch closed by deregistration event `event_id`.
std::string DeregistrationClosureReason(absl::string_view event_id);

// Branches as of a day.
struct BranchCounts {
  int established = 0;  // set up on or before the day
  int open = 0;         // of those, not closed by the day
  int closed = 0;       // of those, closed on or before the day
};

// Adds a branch set up on `established_on` and closed (approved) on `closed_on` to `counts` as
// of `as_of`.
void CountBranch(absl::CivilDay established_on, std::optional<absl::CivilDay> closed_on,
                 absl::CivilDay as_of, BranchCounts* counts);

}  // namespace civil::socialorg
