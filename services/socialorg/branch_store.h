// PostgreSQL access for branches and their closures: written under a share lock on the
// organisation (a closure under the branch's row lock), closed with the organisation's approved
// deregistration in its transaction, read per organisation, counted by region. The rules are
// branch.h's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/socialorg/branch.h"
#include "services/socialorg/organisation_store.h"

namespace civil::socialorg {

struct BranchRecord {
  std::string branch_id;
  std::string organisation_id;
  Branch branch;
  std::string recorded_by;
  BranchStatus status = BranchStatus::kOpen;
  std::optional<absl::CivilDay> closed_on;
  std::string deregistration_event_id;  // closed by the organisation's deregistration
};

struct ClosureRecord {
  std::string closure_id;
  std::string branch_id;
  std::string organisation_id;
  BranchClosure closure;
  EventStatus status = EventStatus::kPending;
  std::string recorded_by;
  std::string decided_by;
  std::optional<absl::CivilDay> decided_on;
  std::string decision_reason;
  std::string deregistration_event_id;  // a closure the deregistration recorded
};

// A closure with its branch after the change.
struct ClosureResult {
  ClosureRecord closure;
  BranchRecord branch;
};

class BranchStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit BranchStore(PgPool* pool);

  // Records after CheckBranch; `vet` checks the organisation's region. NOT_FOUND;
  // ALREADY_EXISTS "name: …" for a branch of the same name.
  absl::StatusOr<BranchRecord> Record(const std::string& organisation_id, const Branch& branch,
                                      const std::string& actor, const RegionVet& vet);

  // Files a closure after CheckBranchClosure (the branch's row locked; `vet` checks its
  // organisation's region); the branch is CLOSING. NOT_FOUND "branch_id: no such branch".
  absl::StatusOr<ClosureResult> FileClosure(const std::string& branch_id,
                                            const BranchClosure& closure, const std::string& actor,
                                            const RegionVet& vet);

  // Decides a closure after CheckClosureDecision (closure and branch locked): approved, the
  // branch is CLOSED from the closure date; rejected (with `reason`), OPEN again. NOT_FOUND
  // "closure_id: no such closure".
  absl::StatusOr<ClosureResult> DecideClosure(const std::string& closure_id, bool approve,
                                              const std::string& decider, absl::CivilDay decided_on,
                                              const std::string& reason, const RegionVet& vet);

  // The OrganisationStore::OnDeregistration hook: in the approval's `txn` (the organisation's
  // row locked), locks the organisation's branches and closes each that
  // BranchesClosedByDeregistration names on the deregistration's date, with an APPROVED closure
  // naming the event (its documents, filed by its clerk, approved by its reviewer, the reason
  // DeregistrationClosureReason). FAILED_PRECONDITION "event_id: …" as the rule says.
  absl::Status CloseForDeregistration(pqxx::transaction_base& txn,
                                      const ApprovedDeregistration& deregistration);

  // Branches of organisations within `region_prefix` counted as of `as_of` (CountBranch).
  absl::StatusOr<BranchCounts> Count(const std::string& region_prefix, absl::CivilDay as_of);

  // The organisation's branches, oldest first. NOT_FOUND.
  absl::StatusOr<std::vector<BranchRecord>> Of(const std::string& organisation_id,
                                               const RegionVet& vet);

 private:
  PgPool* pool_;
};

}  // namespace civil::socialorg
