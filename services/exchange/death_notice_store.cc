#include "services/exchange/death_notice_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace civil::exchange {

DeathNoticeStore::DeathNoticeStore(PgPool* pool, InboundStore* inbound, DeathRegistry* deaths)
    : pool_(pool), inbound_(inbound), deaths_(deaths) {
  // The registry's own lock of one person's reports (deaths.cc): taken here first so that the
  // death read and the decision hold until this record's transaction ends.
  pool_->Prepare("death_notice_subject_lock",
                 "SELECT pg_advisory_xact_lock(hashtextextended('civil.deaths:' || $1, 0))");
  pool_->Prepare("death_conflict_subject",
                 "SELECT subject_index, (SELECT settled_on::text || ' by ' || settled_by FROM "
                 "conflict_settlements s WHERE s.record_id = r.record_id) FROM inbound_records r "
                 "WHERE record_id = $1::uuid");
  pool_->Prepare("death_conflict_settle",
                 "INSERT INTO conflict_settlements (record_id, decision, reason, settled_by, "
                 "settled_on, event_id) VALUES ($1::uuid, $2, $3, $4, $5::date, "
                 "nullif($6, '')::uuid)");
  pool_->Prepare("death_conflict_settlements",
                 "SELECT record_id::text, decision, reason, settled_by, settled_on::text, "
                 "coalesce(event_id::text, '') FROM conflict_settlements WHERE record_id = "
                 "ANY($1::uuid[])");
}

absl::StatusOr<SettledConflict> DeathNoticeStore::Settle(const Caller& caller,
                                                         const std::string& record_id,
                                                         ConflictDecision decision,
                                                         const std::string& reason,
                                                         absl::CivilDay today) {
  SettledConflict out;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const absl::Status no_such = absl::NotFoundError("record_id: no such conflict");
    std::optional<StoredRecord> record = inbound_->RecordById(txn, record_id);
    if (!record.has_value() || record->kind != RecordKind::kDeathNotice ||
        record->row.outcome != Outcome::kConflict || !record->row.event_date.has_value() ||
        !CheckRegion(caller, "record_id", record->row.region_code).ok()) {
      return no_such;
    }
    const std::string index =
        txn.exec_prepared1("death_conflict_subject", record_id)[0].as<std::string>();
    // The person's lock (as Receive takes it): settlements and notices of one person in turn.
    txn.exec_prepared("death_notice_subject_lock", index);
    const pqxx::row subject = txn.exec_prepared1("death_conflict_subject", record_id);
    if (!subject[1].is_null()) {
      return absl::FailedPreconditionError(
          absl::StrCat("record_id: the conflict was settled on ", subject[1].as<std::string>()));
    }
    std::optional<KnownDeath> known;
    if (std::optional<RecordedDeath> recorded = deaths_->Find(txn, index)) {
      known = KnownDeath{recorded->date.day, recorded->date.upper_bound};
    }
    const absl::CivilDay reported = *record->row.event_date;
    CIVIL_ASSIGN_OR_RETURN(const bool publish, SettlementPublishes(decision, reported, known));
    out.settlement = Settlement{decision, reason, caller.subject, today, ""};
    if (publish) {
      DeathReport report;
      report.subject_index = index;
      report.subject_masked = record->row.id.has_value() ? record->row.id->masked : "";
      report.date = DeathDate{reported, /*upper_bound=*/false};
      report.record_kind = std::string(DeathRecordKind(record->source));
      report.record_id = record_id;
      report.region_code = record->row.region_code;
      CIVIL_ASSIGN_OR_RETURN(const DeathDecision decided, deaths_->RecordOwn(txn, report));
      out.settlement.event_id = decided.event_id;
      out.published = !decided.event_id.empty();
    }
    try {
      txn.exec_prepared("death_conflict_settle", record_id,
                        std::string(ConflictDecisionName(decision)), reason, caller.subject,
                        FormatDay(today), out.settlement.event_id);
    } catch (const pqxx::unique_violation&) {
      // Settled by another reviewer since the read above: this transaction (and the report it
      // may have recorded) rolls back.
      return absl::FailedPreconditionError("record_id: the conflict was settled meanwhile");
    }
    out.record = *std::move(record);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, Settlement>> DeathNoticeStore::SettlementsOf(
    const std::vector<std::string>& record_ids) {
  std::map<std::string, Settlement> out;
  if (record_ids.empty()) return out;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    for (const auto& r :
         txn.exec_prepared("death_conflict_settlements",
                           absl::StrCat("{", absl::StrJoin(record_ids, ","), "}"))) {
      CIVIL_ASSIGN_OR_RETURN(const ConflictDecision decision,
                             ConflictDecisionFromName(r[1].as<std::string>()));
      out[r[0].as<std::string>()] =
          Settlement{decision, r[2].as<std::string>(), r[3].as<std::string>(), DayOf(r[4]),
                     r[5].as<std::string>()};
    }
    return absl::OkStatus();
  }));
  return out;
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
