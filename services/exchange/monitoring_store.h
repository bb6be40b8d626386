// PostgreSQL access for poverty-return monitoring objects: each record is decided against the
// person's candidates (table monitoring_candidates) and kept, in one transaction per record under
// a lock on the person; an accepted record becomes a candidate in that transaction. The
// township's check updates its candidate once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/exchange/inbound_store.h"
#include "services/exchange/monitoring.h"

namespace civil::exchange {

struct CandidateRecord {
  std::string candidate_id;
  int64_t seq = 0;
  std::string name, masked, region_code, category;
  absl::CivilDay identified_on;
  std::string source_record_id, batch_id;
  int64_t received_micros = 0;
  std::string check_outcome;  // "" while waiting
  std::string check_note, checked_by;
  std::optional<absl::CivilDay> checked_on;
};

class MonitoringStore {
 public:
  // Neither is owned.
  MonitoringStore(PgPool* pool, InboundStore* inbound);

  // Decides and keeps the object at `index` of the batch `header` (DecideMonitoringObject), or
  // answers a record sent again with its first outcome. UNAVAILABLE / ABORTED from the database.
  absl::StatusOr<RecordResult> Receive(const BatchHeader& header, int index,
                                       const MonitoringObject& object);

  // Candidates within `region_prefix` after position `after`, at most `limit`; `*next` is the
  // position to continue from (0 at the end).
  absl::StatusOr<std::vector<CandidateRecord>> List(const std::string& region_prefix,
                                                    bool unchecked_only, int64_t after, int limit,
                                                    int64_t* next);

  // Records `check` on the candidate, under a lock on it: NOT_FOUND "candidate_id"; the region
  // vetted by `check_region` (PERMISSION_DENIED); CheckMonitoringCheckAllowed.
  absl::StatusOr<CandidateRecord> RecordCheck(
      const std::string& candidate_id, const MonitoringCheck& check, const std::string& actor,
      const std::function<absl::Status(const std::string&)>& check_region);

 private:
  PgPool* pool_;
  InboundStore* inbound_;
};

}  // namespace civil::exchange
