// PostgreSQL access for social-work stations: the stations, their acceptances, yearly tasks with
// completions and supervision visits (all append-only), written under a lock on the station (or
// the task), and the counts as of a day. The rules are station.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/socialorg/organisation_store.h"
#include "services/socialorg/station.h"

namespace civil::socialorg {

struct TaskRecord {
  std::string task_id;
  StationTask task;
  std::optional<TaskCompletion> completion;
};

struct StationRecord {
  std::string station_id;
  Station station;
  std::vector<Acceptance> acceptances;  // oldest first
  std::vector<TaskRecord> tasks;        // by year, then due date
  std::vector<Visit> visits;            // oldest first
  std::string recorded_by;
};

class StationStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit StationStore(PgPool* pool);

  // ALREADY_EXISTS "region_code: …" when the region has a station.
  absl::StatusOr<StationRecord> Create(const Station& station, const std::string& actor);

  // The station with everything recorded of it; `vet` checks its region. NOT_FOUND.
  absl::StatusOr<StationRecord> Get(const std::string& station_id, const RegionVet& vet);

  // Records after CheckAcceptable. NOT_FOUND; FAILED_PRECONDITION as CheckAcceptable.
  absl::StatusOr<StationRecord> Accept(const std::string& station_id, const Acceptance& acceptance,
                                       const std::string& actor, const RegionVet& vet);

  // Adds a task of the yearly list. NOT_FOUND; ALREADY_EXISTS "title: …" for the same title in
  // the same year. Returns the task's id.
  absl::StatusOr<std::string> AddTask(const std::string& station_id, const StationTask& task,
                                      const std::string& actor, const RegionVet& vet);

  // Completes a task after CheckCompletable. NOT_FOUND "task_id: …". Returns the station.
  absl::StatusOr<StationRecord> Complete(const std::string& task_id,
                                         const TaskCompletion& completion, const std::string& actor,
                                         const RegionVet& vet);

  // Records a supervision visit (not before the station's establishment). NOT_FOUND.
  absl::StatusOr<StationRecord> RecordVisit(const std::string& station_id, const Visit& visit,
                                            const std::string& actor, const RegionVet& vet);

  // CountStationsAsOf over the stations within `region_prefix`.
  absl::StatusOr<StationCounts> CountAsOf(const std::string& region_prefix, absl::CivilDay day);

  // Township stations within `region_prefix` with a supervision visit dated `start`..`end`.
  absl::StatusOr<int> TownshipsVisitedIn(const std::string& region_prefix, absl::CivilDay start,
                                         absl::CivilDay end);

 private:
  absl::StatusOr<StationRecord> Load(pqxx::transaction_base& txn, const std::string& station_id,
                                     bool lock);
  PgPool* pool_;
};

}  // namespace civil::socialorg
