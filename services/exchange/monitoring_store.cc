#include "services/exchange/monitoring_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/store_util.h"
#include "services/common/values.h"

namespace civil::exchange {
namespace {

const std::string& Columns() {
  static const std::string* columns = new std::string(
      absl::StrCat("candidate_id::text, seq, name, subject_masked, region_code, category, "
                   "identified_on::text, source_record_id, batch_id, ",
                   MicrosOf("received_at"),
                   ", coalesce(check_outcome, ''), check_note, checked_by, checked_on::text"));
  return *columns;
}

CandidateRecord CandidateFromRow(const pqxx::row& r) {
  CandidateRecord c;
  c.candidate_id = r[0].as<std::string>();
  c.seq = r[1].as<int64_t>();
  c.name = r[2].as<std::string>();
  c.masked = r[3].as<std::string>();
  c.region_code = r[4].as<std::string>();
  c.category = r[5].as<std::string>();
  c.identified_on = DayOf(r[6]);
  c.source_record_id = r[7].as<std::string>();
  c.batch_id = r[8].as<std::string>();
  c.received_micros = r[9].as<int64_t>();
  c.check_outcome = r[10].as<std::string>();
  c.check_note = r[11].as<std::string>();
  c.checked_by = r[12].as<std::string>();
  c.checked_on = OptionalDayOf(r[13]);
  return c;
}

}  // namespace

MonitoringStore::MonitoringStore(PgPool* pool, InboundStore* inbound)
    : pool_(pool), inbound_(inbound) {
  pool_->Prepare(
      "monitoring_subject_lock",
      "SELECT pg_advisory_xact_lock(hashtextextended('civil.exchange.monitoring:' || $1, 0))");
  pool_->Prepare("monitoring_known",
                 "SELECT identified_on::text, check_outcome IS NOT NULL FROM "
                 "monitoring_candidates WHERE subject_index = $1");
  pool_->Prepare("monitoring_insert",
                 "INSERT INTO monitoring_candidates (candidate_id, subject_index, subject_masked, "
                 "id_cipher, name, region_code, category, identified_on, source_record_id, "
                 "batch_id) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::date, $9, $10)");
  pool_->Prepare(
      "monitoring_list",
      absl::StrCat("SELECT ", Columns(),
                   " FROM monitoring_candidates WHERE seq > $1 AND region_code LIKE $2 "
                   "|| '%' AND (NOT $3 OR check_outcome IS NULL) ORDER BY seq LIMIT $4"));
  pool_->Prepare("monitoring_lock",
                 absl::StrCat("SELECT ", Columns(),
                              " FROM monitoring_candidates WHERE candidate_id = $1::uuid FOR "
                              "UPDATE"));
  pool_->Prepare("monitoring_check",
                 absl::StrCat("UPDATE monitoring_candidates SET check_outcome = $2, check_note = "
                              "$3, checked_on = $4::date, checked_by = $5, checked_at = now() "
                              "WHERE candidate_id = $1::uuid AND check_outcome IS NULL RETURNING ",
                              Columns()));
}

absl::StatusOr<RecordResult> MonitoringStore::Receive(const BatchHeader& header, int index,
                                                      const MonitoringObject& object) {
  CIVIL_ASSIGN_OR_RETURN(const StoredId id, ProtectId(inbound_->pii(), object.id));
  RecordResult result;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    if (std::optional<StoredRecord> first =
            inbound_->LockFirstReceipt(txn, header, object.source_record_id)) {
      result = inbound_->Resent(txn, header, index, object.source_record_id, *first);
      return absl::OkStatus();
    }
    txn.exec_prepared("monitoring_subject_lock", id.index);
    std::vector<KnownCandidate> known;
    std::optional<absl::CivilDay> waiting;
    for (const auto& r : txn.exec_prepared("monitoring_known", id.index)) {
      known.push_back({DayOf(r[0]), r[1].as<bool>()});
      if (!known.back().checked) waiting = known.back().identified_on;
    }
    RecordRow row;
    row.record_id = inbound_->NewRecordId(txn);
    row.index = index;
    row.source_record_id = object.source_record_id;
    row.id = id;
    row.event_date = object.identified_on;
    row.region_code = object.region.value();
    row.detail = object.category;
    row.outcome = DecideMonitoringObject(known, object.identified_on);
    if (row.outcome == Outcome::kDuplicate) {
      row.known_date = waiting.value_or(object.identified_on);
    }
    inbound_->Insert(txn, header, row);
    if (row.outcome == Outcome::kAccepted) {
      txn.exec_prepared("monitoring_insert", row.record_id, id.index, id.masked, Bytes(id.cipher),
                        object.name, object.region.value(), object.category,
                        FormatDay(object.identified_on), object.source_record_id, header.batch_id);
    }
    result = RecordResult{};
    result.index = index;
    result.source_record_id = object.source_record_id;
    result.outcome = row.outcome;
    result.record_id = row.record_id;
    result.known_date = row.known_date;
    result.masked = id.masked;
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<CandidateRecord>> MonitoringStore::List(const std::string& region_prefix,
                                                                   bool unchecked_only,
                                                                   int64_t after, int limit,
                                                                   int64_t* next) {
  std::vector<CandidateRecord> out;
  *next = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    out.clear();
    const pqxx::result rows =
        txn.exec_prepared("monitoring_list", after, region_prefix, unchecked_only, limit + 1);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i) {
      out.push_back(CandidateFromRow(rows[i]));
    }
    if (static_cast<int>(rows.size()) > limit) *next = out.back().seq;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<CandidateRecord> MonitoringStore::RecordCheck(
    const std::string& candidate_id, const MonitoringCheck& check, const std::string& actor,
    const std::function<absl::Status(const std::string&)>& check_region) {
  CandidateRecord updated;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    const pqxx::result rows = txn.exec_prepared("monitoring_lock", candidate_id);
    if (rows.empty()) return absl::NotFoundError("candidate_id: no such candidate");
    const CandidateRecord current = CandidateFromRow(rows[0]);
    CIVIL_RETURN_IF_ERROR(check_region(current.region_code));
    CIVIL_RETURN_IF_ERROR(
        CheckMonitoringCheckAllowed(!current.check_outcome.empty(), current.identified_on, check));
    updated = CandidateFromRow(txn.exec_prepared1("monitoring_check", candidate_id, check.outcome,
                                                  check.note, FormatDay(check.checked_on), actor));
    return absl::OkStatus();
  }));
  return updated;
}

}  // namespace civil::exchange
