// PostgreSQL access for moves out of the county: each record is decided against the moves of the
// person accepted before (the ACCEPTED MOVE_OUT rows of the inbound log) and kept, in one
// transaction per record; an accepted move writes PersonMovedOut to the outbox in it.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/pg.h"
#include "services/exchange/inbound_store.h"
#include "services/exchange/move_out.h"

namespace civil::exchange {

class MoveOutStore {
 public:
  // Neither is owned.
  MoveOutStore(PgPool* pool, InboundStore* inbound);

  // Decides and keeps the move at `index` of the batch `header` (DecideMoveOut), or answers a
  // record sent again with its first outcome. UNAVAILABLE / ABORTED from the database.
  absl::StatusOr<RecordResult> Receive(const BatchHeader& header, int index, const MoveOut& move);

 private:
  PgPool* pool_;
  InboundStore* inbound_;
};

}  // namespace civil::exchange
