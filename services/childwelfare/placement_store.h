// PostgreSQL access for guardian and placement changes: the dated history (child_placements), one
// pending change per case, and the approval that rewrites the case's guardian, placement and
// category in the same transaction. All SQL of child_placements lives here; the rules are
// placement.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/childwelfare/child_store.h"
#include "services/childwelfare/placement.h"
#include "services/common/pg.h"

namespace civil::childwelfare {

struct PlacementChangeRecord {
  std::string change_id;
  std::string child_id;
  PlacementChangeDraft draft;
  absl::CivilMonth effective_month;
  Category category_before = Category::kOrphanDispersed;
  Category category_after = Category::kOrphanDispersed;
  std::string proposed_by;
  ChangeStatus status = ChangeStatus::kPending;
  std::string decided_by;
  std::optional<absl::CivilDay> decided_on;
  std::string decision_note;
  int64_t create_time_micros = 0;
};

class PlacementStore {
 public:
  // Prepares the statements on `pool`; neither is owned. `children` tells which standards cover
  // a case's region (a change of category needs one).
  PlacementStore(PgPool* pool, const ChildStore* children);

  // Records a change of `child_id` under a row lock on the case (CheckChangeable; the category
  // after is CategoryIn). NOT_FOUND without the case; ALREADY_EXISTS "child_id: …" with a pending
  // change.
  absl::StatusOr<PlacementChangeRecord> Propose(const std::string& child_id,
                                                const PlacementChangeDraft& draft,
                                                const std::string& actor,
                                                const RegionGuard& check_region);

  // Decides a change (CheckChangeDecision); an approval rewrites the case's guardian, placement,
  // placement kind and category. NOT_FOUND without the change.
  absl::StatusOr<PlacementChangeRecord> Decide(const std::string& change_id,
                                               const std::string& decider, bool approve,
                                               const std::string& note, absl::CivilDay on,
                                               const RegionGuard& check_region);

  // The changes of a case, the latest first; NOT_FOUND without the case.
  absl::StatusOr<std::vector<PlacementChangeRecord>> List(const std::string& child_id,
                                                          const RegionGuard& check_region);

 private:
  PgPool* pool_;
  const ChildStore* children_;
};

}  // namespace civil::childwelfare
