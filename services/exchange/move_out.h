// The rules of a move out of the county reported by public security (户籍迁出): what a readable
// record is, and whether it is a move the platform did not know. Every allowance of the person
// stops from the month after the move (the consumers' rule: the kit's MoveOutStopMonth,
// services/common/allowance_months.h).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/allowance_months.h"
#include "services/common/id_number.h"
#include "services/common/region_code.h"
#include "services/exchange/inbound.h"

namespace civil::exchange {

struct MoveOutInput {
  std::string source_record_id, id_number, moved_out_on, region_code, destination;
};

struct MoveOut {
  std::string source_record_id;
  IdNumber id;
  absl::CivilDay moved_out_on;
  RegionCode region;
  std::string destination;
};

// The move `input` describes, on `today`. INVALID_ARGUMENT naming the field: source_record_id
// (1..64 characters), id_number, moved_out_on (required, not in the future, not before the birth
// date), region_code (6, 9 or 12 digits), destination (at most 200 characters).
absl::StatusOr<MoveOut> ValidMoveOut(const MoveOutInput& input, absl::CivilDay today);

// kDuplicate when `known` (the days the person's moves out were accepted before) holds
// `moved_out_on`, else kAccepted: a person may come back and leave again, and a second move
// stops nothing that is not already stopped.
Outcome DecideMoveOut(const std::vector<absl::CivilDay>& known, absl::CivilDay moved_out_on);

}  // namespace civil::exchange
