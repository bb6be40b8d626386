// PostgreSQL access for the report figures of temporary relief, mutual aid, outreach, audits
// and reviews.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "civil/assistance/v1/relief.pb.h"
#include "services/assistance/audit.h"
#include "services/common/pg.h"

namespace civil::assistance {

class ReliefFiguresStore {
 public:
  explicit ReliefFiguresStore(PgPool* pool);

  // The figures of temporary relief, mutual aid, outreach, audits and reviews in
  // `region_prefix` for the period [start, end] (see v1::ReliefFigures).
  absl::StatusOr<v1::ReliefFigures> Figures(const std::string& region_prefix, absl::CivilDay start,
                                            absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::assistance
