// PostgreSQL access for left-behind children and children in difficulty: the register (one open
// registration per child, by blind index), the children's workers, the visits, the worklist of
// children not visited this quarter and the counts as of a day. All SQL of care_* lives here; the
// rules are left_behind.h's.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/childwelfare/child_store.h"
#include "services/childwelfare/left_behind.h"
#include "services/common/pg.h"
#include "services/common/pii.h"

namespace civil::childwelfare {

struct CareChildRecord {
  std::string care_id;
  std::string name;
  std::string id_masked;
  std::string id_index;  // the ID number's blind index (the name-view trail names the child)
  absl::CivilDay birth_date;
  std::string region_code;
  CareKind kind = CareKind::kLeftBehind;
  Whereabouts father = Whereabouts::kAtHome;
  Whereabouts mother = Whereabouts::kAtHome;
  std::string carer_name;
  std::string carer_relation;
  std::string school;
  std::string difficulty;
  absl::CivilDay registered_on;
  std::string recorded_by;
  std::optional<absl::CivilDay> last_visit;  // NotVisited only
};

struct WorkerRecord {
  std::string worker_id;
  WorkerDraft worker;
};

struct VisitRecord {
  std::string visit_id;
  std::string care_id;
  VisitDraft visit;
  std::string recorded_by;
};

struct VillageCounts {
  int children = 0;
  int directors = 0;
  int supervisors = 0;
};
struct CareCounts {
  int left_behind = 0;
  int in_difficulty = 0;
  int visited = 0;
  int not_visited = 0;
  int follow_ups = 0;
  std::map<std::string, VillageCounts> villages;
};

class LeftBehindStore {
 public:
  // Prepares the statements on `pool`; neither is owned.
  LeftBehindStore(PgPool* pool, const PiiProtector* pii);

  // ALREADY_EXISTS "id_number: …" when the child has an open registration.
  absl::StatusOr<CareChildRecord> Register(const CareChildDraft& draft, const std::string& actor);

  absl::StatusOr<WorkerRecord> AddWorker(const WorkerDraft& worker, const std::string& actor);

  // Records a visit (CheckVisitor). NOT_FOUND "care_id: …" / "worker_id: …".
  absl::StatusOr<VisitRecord> RecordVisit(const std::string& care_id, const VisitDraft& visit,
                                          const std::string& actor,
                                          const RegionGuard& check_region);

  // Open registrations by `as_of` within `region_prefix` not visited from `since` to `as_of`,
  // ordered by village.
  absl::StatusOr<std::vector<CareChildRecord>> NotVisited(const std::string& region_prefix,
                                                          absl::CivilDay since,
                                                          absl::CivilDay as_of);

  // The counts of `since`..`as_of` within `region_prefix`.
  absl::StatusOr<CareCounts> Counts(const std::string& region_prefix, absl::CivilDay since,
                                    absl::CivilDay as_of);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::childwelfare
