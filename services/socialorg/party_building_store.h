// PostgreSQL access for party building: records per organisation and date (PRIMARY KEY), written
// under a share lock on the organisation, read per organisation and, for the counts as of a day,
// for every organisation registered that day. The rules are party_building.h's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/socialorg/organisation_store.h"
#include "services/socialorg/party_building.h"

namespace civil::socialorg {

struct PartyBuildingRecord {
  std::string organisation_id;
  PartyBuilding record;
  std::string recorded_by;
  int64_t create_time_micros = 0;
};

class PartyBuildingStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit PartyBuildingStore(PgPool* pool);

  // Records after CheckPartyBuildingRecordable; `vet` checks the organisation's region first.
  // NOT_FOUND; ALREADY_EXISTS "effective_date: …".
  absl::StatusOr<PartyBuildingRecord> Record(const std::string& organisation_id,
                                             const PartyBuilding& record, const std::string& actor,
                                             const RegionVet& vet);

  // The organisation's records, oldest first; `vet` checks its region. NOT_FOUND.
  absl::StatusOr<std::vector<PartyBuildingRecord>> Of(const std::string& organisation_id,
                                                      const RegionVet& vet);

  // The counts as of `day` (CountAsOf) over organisations within `region_prefix` registered that
  // day (established by then, not deregistered by then).
  absl::StatusOr<PartyCounts> CountAsOf(const std::string& region_prefix, absl::CivilDay day);

 private:
  PgPool* pool_;
};

}  // namespace civil::socialorg
