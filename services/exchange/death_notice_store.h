// PostgreSQL access for death notices: each notice is decided against the exchange's death
// registry (services/common/deaths.h: what affairs' cremations and every other department's
// PersonDeceased told it, and the notices accepted before) and kept in the inbound log, in one
// transaction per record. An accepted notice is recorded in the registry as the exchange's own
// report, which writes PersonDeceased to the outbox in the same transaction.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/caller.h"
#include "services/common/deaths.h"
#include "services/common/pg.h"
#include "services/exchange/death_notice.h"
#include "services/exchange/inbound_store.h"

namespace civil::exchange {

// How a conflict was settled (conflict_settlements).
struct Settlement {
  ConflictDecision decision = ConflictDecision::kKnownDateStands;
  std::string reason, settled_by;
  absl::CivilDay settled_on;
  std::string event_id;  // the PersonDeceased it published, else empty
};

// A settled conflict as SettleConflict answers it.
struct SettledConflict {
  StoredRecord record;
  Settlement settlement;
  bool published = false;
};

class DeathNoticeStore {
 public:
  // None is owned.
  DeathNoticeStore(PgPool* pool, InboundStore* inbound, DeathRegistry* deaths);

  // Decides and keeps the notice at `index` of the batch `header` (DecideDeathNotice), or
  // answers a record sent again with its first outcome. UNAVAILABLE / ABORTED from the
  // database; nothing is written then.
  absl::StatusOr<RecordResult> Receive(const BatchHeader& header, int index,
                                       const DeathNotice& notice);

  // Settles the conflict `record_id` by `caller` on `today` (SettlementPublishes decides against
  // the death recorded now; an earlier reported day is recorded as the exchange's own report,
  // which publishes PersonDeceased), in one transaction. NOT_FOUND "record_id" for a record that
  // is no death-notice conflict or lies outside the caller's region; FAILED_PRECONDITION
  // "record_id" when settled before, "decision" for a later reported day. Nothing changes on an
  // error.
  absl::StatusOr<SettledConflict> Settle(const Caller& caller, const std::string& record_id,
                                         ConflictDecision decision, const std::string& reason,
                                         absl::CivilDay today);

  // The settlements of the records `record_ids` that have one.
  absl::StatusOr<std::map<std::string, Settlement>> SettlementsOf(
      const std::vector<std::string>& record_ids);

 private:
  PgPool* pool_;
  InboundStore* inbound_;
  DeathRegistry* deaths_;
};

}  // namespace civil::exchange
