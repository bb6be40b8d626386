#include "services/exchange/move_out_store.h"

#include <vector>

#include "civil/events/v1/events.pb.h"
#include "services/common/errors.h"
#include "services/common/outbox.h"
#include "services/common/store_util.h"

namespace civil::exchange {

MoveOutStore::MoveOutStore(PgPool* pool, InboundStore* inbound) : pool_(pool), inbound_(inbound) {
  pool_->Prepare("move_out_subject_lock",
                 "SELECT pg_advisory_xact_lock(hashtextextended('civil.exchange.move:' || $1, 0))");
  pool_->Prepare("move_out_known",
                 "SELECT event_date::text FROM inbound_records WHERE kind = 'MOVE_OUT' AND "
                 "subject_index = $1 AND outcome = 'ACCEPTED' AND resent_of IS NULL");
}

absl::StatusOr<RecordResult> MoveOutStore::Receive(const BatchHeader& header, int index,
                                                   const MoveOut& move) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId id, ProtectId(inbound_->pii(), move.id));
  RecordResult result;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<StoredRecord> first =
            inbound_->LockFirstReceipt(txn, header, move.source_record_id)) {
      result = inbound_->Resent(txn, header, index, move.source_record_id, *first);
      return absl::OkStatus();
    }
    txn.exec_prepared("move_out_subject_lock", id.index);
    std::vector<absl::CivilDay> known;
    for (const auto& r : txn.exec_prepared("move_out_known", id.index))
      known.push_back(DayOf(r[0]));
    RecordRow row;
    row.record_id = inbound_->NewRecordId(txn);
    row.index = index;
    row.source_record_id = move.source_record_id;
    row.id = id;
    row.event_date = move.moved_out_on;
    row.region_code = move.region.value();
    row.detail = move.destination;
    row.outcome = DecideMoveOut(known, move.moved_out_on);
    if (row.outcome == Outcome::kAccepted) {
      civil::events::v1::PersonMovedOut event;
      event.set_moved_out_on(FormatDay(move.moved_out_on));
      event.set_region_code(move.region.value());
      event.set_destination(move.destination);
      event.set_record_id(row.record_id);
      event.set_source_record_id(move.source_record_id);
      event.set_reported_by(std::string(SourceName(header.source)));
      row.event_id = WriteEvent(txn, "exchange", EventSubject{id.index, id.masked}, event);
    }
    inbound_->Insert(txn, header, row);
    result = RecordResult{};
    result.index = index;
    result.source_record_id = move.source_record_id;
    result.outcome = row.outcome;
    result.record_id = row.record_id;
    result.masked = id.masked;
    return absl::OkStatus();
  }));
  return result;
}

}  // namespace civil::exchange
