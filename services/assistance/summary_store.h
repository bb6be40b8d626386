// PostgreSQL access for the programme figures of the work summary (caseload, money, exits),
// read from the roll-ups of migration 0005.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "civil/assistance/v1/disbursement.pb.h"
#include "services/common/pg.h"

namespace civil::assistance {

class SummaryStore {
 public:
  explicit SummaryStore(PgPool* pool);
  // Figures per programme and area for the period [start, end] in `region_prefix`. Caseload and
  // money come from the roll-ups of migration 0005 (caseload_changes, payment_totals), which
  // equal the counts and sums over enrolment_members, enrolments and payments they replace;
  // exits are counted from enrolment_members (a household once overall and once per reason).
  absl::StatusOr<std::vector<v1::ProgrammeFigures>> Figures(const std::string& region_prefix,
                                                            absl::CivilDay start,
                                                            absl::CivilDay end);

 private:
  PgPool* pool_;
};

}  // namespace civil::assistance
