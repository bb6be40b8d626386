// PostgreSQL access for incubation centres and the organisations they incubate (append-only),
// an admission written under share locks on the centre and the organisation. The rules are
// incubation.h's.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/socialorg/incubation.h"
#include "services/socialorg/organisation_store.h"

namespace civil::socialorg {

struct IncubatedOrganisation {
  std::string organisation_id;
  std::string name;
  absl::CivilDay admitted_on;
};

struct CentreRecord {
  std::string centre_id;
  IncubationCentre centre;
  std::vector<IncubatedOrganisation> organisations;  // by admission
  std::string recorded_by;
};

class IncubationStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit IncubationStore(PgPool* pool);

  // ALREADY_EXISTS "name: …" for the same name in the same region.
  absl::StatusOr<CentreRecord> Create(const IncubationCentre& centre, const std::string& actor);

  // The centre with its organisations; `vet` checks its region. NOT_FOUND.
  absl::StatusOr<CentreRecord> Get(const std::string& centre_id, const RegionVet& vet);

  // The names of the centres within `region_prefix` established from `start` to `end`
  // (inclusive), in the order established.
  absl::StatusOr<std::vector<std::string>> EstablishedIn(const std::string& region_prefix,
                                                         absl::CivilDay start, absl::CivilDay end);

  // Admits the organisation after CheckAdmission; `vet` checks the centre's and the
  // organisation's regions. NOT_FOUND; ALREADY_EXISTS "organisation_id: …".
  absl::StatusOr<CentreRecord> Admit(const std::string& centre_id,
                                     const std::string& organisation_id, absl::CivilDay admitted_on,
                                     const std::string& actor, const RegionVet& vet);

 private:
  absl::StatusOr<CentreRecord> Load(pqxx::transaction_base& txn, const std::string& centre_id);
  PgPool* pool_;
};

}  // namespace civil::socialorg
