// PostgreSQL access for death notices: each notice is decided against the exchange's death
// registry (services/common/deaths.h: what affairs' cremations and every other department's
// PersonDeceased told it, and the notices accepted before) and kept in the inbound log, in one
// transaction per record. An accepted notice is recorded in the registry as the exchange's own
// report, which writes PersonDeceased to the outbox in the same transaction.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/deaths.h"
#include "services/common/pg.h"
#include "services/exchange/death_notice.h"
#include "services/exchange/inbound_store.h"

namespace civil::exchange {

class DeathNoticeStore {
 public:
  // None is owned.
  DeathNoticeStore(PgPool* pool, InboundStore* inbound, DeathRegistry* deaths);

  // Decides and keeps the notice at `index` of the batch `header` (DecideDeathNotice), or
  // answers a record sent again with its first outcome. UNAVAILABLE / ABORTED from the
  // database; nothing is written then.
  absl::StatusOr<RecordResult> Receive(const BatchHeader& header, int index,
                                       const DeathNotice& notice);

 private:
  PgPool* pool_;
  InboundStore* inbound_;
  DeathRegistry* deaths_;
};

}  // namespace civil::exchange
