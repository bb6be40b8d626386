#include "services/socialorg/branch.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::socialorg {

absl::StatusOr<Branch> ValidateBranch(absl::string_view name, absl::string_view principal,
                                      absl::string_view scope, absl::string_view established_date,
                                      absl::CivilDay today) {
  Branch b;
  CIVIL_ASSIGN_OR_RETURN(b.name, BoundedText("name", name, 100));
  CIVIL_ASSIGN_OR_RETURN(b.principal, BoundedText("principal", principal, 50));
  CIVIL_ASSIGN_OR_RETURN(b.scope, BoundedText("scope", scope, 1000, true, TextLines::kMany));
  CIVIL_ASSIGN_OR_RETURN(b.established_on, EventDate("established_date", established_date, today));
  return b;
}

absl::Status CheckBranch(OrgKind kind, const OrgState& state, const Branch& branch) {
  if (kind == OrgKind::kPrivateNonEnterpriseUnit) {
    return absl::FailedPreconditionError(
        "organisation_id: a private non-enterprise unit may not set up branches");
  }
  CIVIL_RETURN_IF_ERROR(CheckApprovable(state, EventKind::kChange));
  if (state.established_on && branch.established_on < *state.established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("established_date: must not be before the establishment on ",
                     FormatDay(*state.established_on)));
  }
  return absl::OkStatus();
}

absl::StatusOr<BranchClosure> ValidateBranchClosure(absl::string_view closure_date,
                                                    const std::vector<std::string>& documents,
                                                    absl::string_view reason,
                                                    absl::CivilDay today) {
  BranchClosure c;
  CIVIL_ASSIGN_OR_RETURN(c.closed_on, EventDate("closure_date", closure_date, today));
  CIVIL_ASSIGN_OR_RETURN(c.documents, Documents("documents", documents));
  CIVIL_ASSIGN_OR_RETURN(c.reason, RequiredText("reason", reason, 500, "a closure needs its reason",
                                                TextLines::kMany));
  return c;
}

absl::Status CheckBranchClosure(BranchStatus status, absl::CivilDay established_on,
                                const BranchClosure& closure) {
  if (status == BranchStatus::kClosed) {
    return absl::FailedPreconditionError("branch_id: the branch is closed already");
  }
  if (status == BranchStatus::kClosing) {
    return absl::FailedPreconditionError(
        "branch_id: a closure of the branch is pending; a reviewer decides it first");
  }
  if (closure.closed_on < established_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("closure_date: must not be before the branch's establishment on ",
                     FormatDay(established_on)));
  }
  return absl::OkStatus();
}

absl::Status CheckClosureDecision(EventStatus status, absl::string_view recorded_by,
                                  absl::string_view decider, absl::CivilDay closed_on,
                                  absl::CivilDay decided_on) {
  if (status != EventStatus::kPending) {
    return absl::FailedPreconditionError(
        absl::StrCat("closure_id: the closure is ",
                     kEventStatusNames.Name(static_cast<int>(status)), ", not pending"));
  }
  if (recorded_by == decider) {
    return absl::PermissionDeniedError(
        "maker-checker: the reviewer must not be the person who filed the closure");
  }
  if (decided_on < closed_on) {
    return absl::FailedPreconditionError(
        absl::StrCat("decision_date: must not be before the closure date ", FormatDay(closed_on)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<size_t>> BranchesClosedByDeregistration(
    const std::vector<BranchStanding>& branches, absl::CivilDay deregistered_on) {
  std::vector<size_t> closed;
  for (size_t i = 0; i < branches.size(); ++i) {
    const BranchStanding& b = branches[i];
    if (b.status == BranchStatus::kClosed) continue;
    if (b.status == BranchStatus::kClosing) {
      return absl::FailedPreconditionError(
          absl::StrCat("event_id: a closure of the branch ", b.name,
                       " is pending; a reviewer decides it before the deregistration"));
    }
    if (b.established_on > deregistered_on) {
      return absl::FailedPreconditionError(absl::StrCat(
          "event_id: the branch ", b.name, " was set up on ", FormatDay(b.established_on),
          ", after the deregistration's date ", FormatDay(deregistered_on)));
    }
    closed.push_back(i);
  }
  return closed;
}

std::string DeregistrationClosureReason(absl::string_view event_id) {
  return absl::StrCat("closed with the organisation's deregistration (注销), event ", event_id);
}

void CountBranch(absl::CivilDay established_on, std::optional<absl::CivilDay> closed_on,
                 absl::CivilDay as_of, BranchCounts* counts) {
  if (established_on > as_of) return;
  ++counts->established;
  if (closed_on && *closed_on <= as_of) {
    ++counts->closed;
  } else {
    ++counts->open;
  }
}

}  // namespace civil::socialorg
