#include "services/exchange/move_out.h"

#include <algorithm>

#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::exchange {

absl::StatusOr<MoveOut> ValidMoveOut(const MoveOutInput& input, absl::CivilDay today) {
  CIVIL_ASSIGN_OR_RETURN(std::string record_id, ValidSourceRecordId(input.source_record_id));
  CIVIL_ASSIGN_OR_RETURN(IdNumber id, RequiredIdNumber("id_number", input.id_number, today));
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay moved,
                         ReportedDay("moved_out_on", input.moved_out_on, today, id.birth_date()));
  CIVIL_ASSIGN_OR_RETURN(RegionCode region,
                         RegionOf("region_code", input.region_code,
                                  {RegionCode::Level::kCounty, RegionCode::Level::kTownship,
                                   RegionCode::Level::kVillage}));
  CIVIL_ASSIGN_OR_RETURN(std::string destination,
                         BoundedText("destination", input.destination, 200, /*required=*/false));
  return MoveOut{std::move(record_id), std::move(id), moved, std::move(region),
                 std::move(destination)};
}

Outcome DecideMoveOut(const std::vector<absl::CivilDay>& known, absl::CivilDay moved_out_on) {
  return std::find(known.begin(), known.end(), moved_out_on) != known.end() ? Outcome::kDuplicate
                                                                            : Outcome::kAccepted;
}

}  // namespace civil::exchange
