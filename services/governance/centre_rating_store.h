// PostgreSQL access for neighbourhood-centre star ratings: all SQL of `centre_ratings` (the
// village's row of `regions` is read, never written); the rules are centre_rating.h's.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/common/store_util.h"
#include "services/governance/centre_rating.h"

namespace civil::governance {

struct RatingRecord {
  std::string village_code;
  std::string centre;
  int year = 0;
  int stars = 0;
  absl::CivilDay rated_on;
  std::string rated_by;
};

class CentreRatingStore {
 public:
  // Prepares the statements on `pool` (not owned).
  explicit CentreRatingStore(PgPool* pool);

  // Records a rating after CheckGridVillage on its village. ALREADY_EXISTS "year: …" when the
  // village's centre was rated for that year already.
  absl::StatusOr<RatingRecord> Rate(const RatingDraft& draft, const std::string& actor);

  // The ratings of `year` within `region_prefix`, most stars first, then by village code.
  absl::StatusOr<std::vector<RatingRecord>> OfYear(int year, const std::string& region_prefix);

 private:
  PgPool* pool_;
};

}  // namespace civil::governance
