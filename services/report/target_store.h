// PostgreSQL access for the work summary's targets: add, change, delete and list them within a
// region prefix. All SQL of the targets table lives here; the rules are target.h's.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/report/target.h"

namespace civil::report {

class TargetStore {
 public:
  // `pool` is not owned.
  explicit TargetStore(PgPool* pool);

  // Stores `target` (its target_id is assigned) and returns it as stored.
  absl::StatusOr<Target> Create(const Target& target, const std::string& by);
  // The target `target_id` if its region lies within `region_prefix` ("" = any); NOT_FOUND
  // otherwise (also for a malformed id).
  absl::StatusOr<Target> Get(const std::string& target_id, const std::string& region_prefix);
  // Writes description, planned, due date and owner of `target`. NOT_FOUND when it is gone.
  absl::StatusOr<Target> Update(const Target& target, const std::string& by);
  // NOT_FOUND when no such target lies within `region_prefix`.
  absl::Status Delete(const std::string& target_id, const std::string& region_prefix);
  // Targets whose region lies within `region_prefix` ("" = all), of `department` ("" = all), by
  // department, due date and description.
  absl::StatusOr<std::vector<Target>> List(const std::string& region_prefix,
                                           const std::string& department);
  // Targets set for exactly `region_prefix` ("" = all), due from `from` to `to` inclusive: those
  // the work summary of that region prints.
  absl::StatusOr<std::vector<Target>> DueBetween(const std::string& region_prefix,
                                                 absl::CivilDay from, absl::CivilDay to);

 private:
  PgPool* pool_;
};

}  // namespace civil::report
