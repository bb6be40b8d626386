// PostgreSQL access for consultation demonstration sites: all SQL of `consultation_sites` (the
// village's row of `regions` is read, never written); the rules are consultation.h's.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/consultation.h"

namespace civil::governance {

struct SiteRecord {
  std::string site_id;
  std::string village_code;
  std::string name;
  absl::CivilDay selected_on;
  std::string selected_by;
};

class ConsultationStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit ConsultationStore(PgPool* pool);

  // Selects a site after CheckGridVillage on its village (a current village/community).
  // ALREADY_EXISTS "village_code: …" when the village is a site already.
  absl::StatusOr<SiteRecord> Designate(const SiteDraft& draft, const std::string& actor);

  // Sites whose village lies within `region_prefix`, after position `after`, oldest first.
  absl::StatusOr<Page<SiteRecord>> List(const std::string& region_prefix, int64_t after,
                                        int page_size);

  // How many sites within `region_prefix` were selected on or before `as_of`.
  absl::StatusOr<int> CountAsOf(const std::string& region_prefix, absl::CivilDay as_of);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
