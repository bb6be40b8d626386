// PostgreSQL access for certificate lists: all SQL of `certificate_lists` and
// `certificate_list_items` (the village's row of `regions` is read, never written); the rules are
// certificate_list.h's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/certificate_list.h"

namespace civil::governance {

struct CertificateListRecord {
  std::string list_id;
  std::string village_code;
  absl::CivilDay effective_on;
  std::optional<absl::CivilDay> superseded_on;
  std::string document;
  std::string published_by;
  absl::CivilDay published_on;
  std::vector<CertificateEntry> items;  // in the order published
};

class CertificateListStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit CertificateListStore(PgPool* pool);

  // Records a version after CheckGridVillage on its village (a current village/community), on
  // `today`. ALREADY_EXISTS "effective_date: …" when the village has a version effective that day.
  absl::StatusOr<CertificateListRecord> Publish(const CertificateListDraft& draft,
                                                const std::string& actor, absl::CivilDay today);

  // The version of `village_code` in force on `day` (InForce). NOT_FOUND "village_code: …" when
  // none is.
  absl::StatusOr<CertificateListRecord> InForceOn(const std::string& village_code,
                                                  absl::CivilDay day);

  // Every version of `village_code`, by effective day.
  absl::StatusOr<std::vector<CertificateListRecord>> Versions(const std::string& village_code);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
