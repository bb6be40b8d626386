#include "services/exchange/death_notice_store.h"

#include "services/common/errors.h"
#include "services/common/store_util.h"

namespace civil::exchange {

DeathNoticeStore::DeathNoticeStore(PgPool* pool, InboundStore* inbound, DeathRegistry* deaths)
    : pool_(pool), inbound_(inbound), deaths_(deaths) {
  // The registry's own lock of one person's reports (deaths.cc): taken here first so that the
  // death read and the decision hold until this record's transaction ends.
  pool_->Prepare("death_notice_subject_lock",
                 "SELECT pg_advisory_xact_lock(hashtextextended('civil.deaths:' || $1, 0))");
}

absl::StatusOr<RecordResult> DeathNoticeStore::Receive(const BatchHeader& header, int index,
                                                       const DeathNotice& notice) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId id, ProtectId(inbound_->pii(), notice.id));
  RecordResult result;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<StoredRecord> first =
            inbound_->LockFirstReceipt(txn, header, notice.source_record_id)) {
      result = inbound_->Resent(txn, header, index, notice.source_record_id, *first);
      return absl::OkStatus();
    }
    txn.exec_prepared("death_notice_subject_lock", id.index);
    std::optional<KnownDeath> known;
    if (std::optional<RecordedDeath> recorded = deaths_->Find(txn, id.index)) {
      known = KnownDeath{recorded->date.day, recorded->date.upper_bound};
    }
    RecordRow row;
    row.record_id = inbound_->NewRecordId(txn);
    row.index = index;
    row.source_record_id = notice.source_record_id;
    row.id = id;
    row.event_date = notice.died;
    row.region_code = notice.region.value();
    row.outcome = DecideDeathNotice(known, notice.died);
    if (known.has_value()) row.known_date = known->day;
    if (row.outcome == Outcome::kAccepted) {
      DeathReport report;
      report.subject_index = id.index;
      report.subject_masked = id.masked;
      report.date = DeathDate{notice.died, /*upper_bound=*/false};
      report.record_kind = std::string(DeathRecordKind(header.source));
      report.record_id = row.record_id;
      report.region_code = notice.region.value();
      CIVIL_ASSIGN_OR_RETURN(const DeathDecision decision, deaths_->RecordOwn(txn, report));
      row.event_id = decision.event_id;
    }
    inbound_->Insert(txn, header, row);
    result = RecordResult{};
    result.index = index;
    result.source_record_id = notice.source_record_id;
    result.outcome = row.outcome;
    result.record_id = row.record_id;
    result.known_date = row.known_date;
    result.masked = id.masked;
    return absl::OkStatus();
  }));
  return result;
}

}  // namespace civil::exchange
