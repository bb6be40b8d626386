#include "services/exchange/inbound_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil::exchange {
namespace {

const std::string& Columns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "record_id::text, position, source_record_id, coalesce(subject_masked, ''), "
      "event_date::text, region_code, detail, outcome, coalesce(resent_of::text, ''), "
      "error_field, error_code, error, known_date::text, coalesce(event_id::text, ''), seq, kind, "
      "source, batch_id, sent_by, ",
      MicrosOf("received_at")));
  return *columns;
}

StoredRecord RecordFromRow(const pqxx::row& r) {
  StoredRecord s;
  s.row.record_id = r[0].as<std::string>();
  s.row.index = r[1].as<int>();
  s.row.source_record_id = r[2].as<std::string>();
  const std::string masked = r[3].as<std::string>();
  if (!masked.empty()) s.row.id = StoredId{"", "", masked};
  s.row.event_date = OptionalDayOf(r[4]);
  s.row.region_code = r[5].as<std::string>();
  s.row.detail = r[6].as<std::string>();
  s.row.outcome = OutcomeFromName(r[7].as<std::string>());
  s.row.resent_of = r[8].as<std::string>();
  s.row.error_field = r[9].as<std::string>();
  s.row.error_code = r[10].as<std::string>();
  s.row.error = r[11].as<std::string>();
  s.row.known_date = OptionalDayOf(r[12]);
  s.row.event_id = r[13].as<std::string>();
  s.seq = r[14].as<int64_t>();
  s.kind = RecordKindFromName(r[15].as<std::string>());
  s.source = SourceFromName(r[16].as<std::string>()).value_or(Source::kPublicSecurity);
  s.batch_id = r[17].as<std::string>();
  s.sent_by = r[18].as<std::string>();
  s.received_micros = r[19].as<int64_t>();
  return s;
}

std::optional<std::string> Text(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<std::string> Day(const std::optional<absl::CivilDay>& day) {
  if (!day.has_value()) return std::nullopt;
  return FormatDay(*day);
}

}  // namespace

InboundStore::InboundStore(PgPool* pool, const PiiProtector* pii) : pool_(pool), pii_(pii) {
  pool_->Prepare("inbound_batch_insert",
                 "INSERT INTO inbound_batches (kind, source, batch_id, sent_by, sender_scope, "
                 "records) VALUES ($1, $2, $3, $4, $5, $6) RETURNING batch_seq");
  pool_->Prepare("inbound_record_lock",
                 "SELECT pg_advisory_xact_lock(hashtextextended('civil.exchange.record:' || $1 || "
                 "':' || $2 || ':' || $3, 0))");
  pool_->Prepare("inbound_first_receipt",
                 absl::StrCat("SELECT ", Columns(),
                              " FROM inbound_records WHERE kind = $1 AND source = $2 AND "
                              "source_record_id = $3 AND outcome <> 'REJECTED' AND resent_of IS "
                              "NULL"));
  pool_->Prepare("inbound_new_id", "SELECT gen_random_uuid()::text");
  pool_->Prepare(
      "inbound_record_insert",
      "INSERT INTO inbound_records (record_id, batch_seq, kind, source, batch_id, position, "
      "source_record_id, sent_by, subject_index, subject_masked, id_cipher, event_date, "
      "region_code, detail, outcome, resent_of, error_field, error_code, error, known_date, "
      "event_id) VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, "
      "coalesce($10, ''), nullif($11, ''::bytea), $12::date, $13, $14, $15, $16::uuid, $17, $18, "
      "$19, $20::date, "
      "$21::uuid) RETURNING record_id::text");
  pool_->Prepare(
      "inbound_list",
      absl::StrCat("SELECT ", Columns(),
                   " FROM inbound_records WHERE seq > $1 AND ($2 = '' OR region_code LIKE $2 || "
                   "'%') AND ($3 = '' OR sent_by = $3) AND ($4 = '' OR batch_id = $4) AND ($5 = "
                   "'' OR source = $5) AND ($6 = '' OR outcome = $6) AND (NOT $8 OR NOT EXISTS "
                   "(SELECT 1 FROM conflict_settlements s WHERE s.record_id = "
                   "inbound_records.record_id)) ORDER BY seq LIMIT $7"));
  pool_->Prepare(
      "inbound_record_by_id",
      absl::StrCat("SELECT ", Columns(), " FROM inbound_records WHERE record_id = $1::uuid"));
}

absl::Status InboundStore::OpenBatch(BatchHeader& header) {
  return pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    header.batch_seq =
        txn.exec_prepared1("inbound_batch_insert", std::string(RecordKindName(header.kind)),
                           std::string(SourceName(header.source)), header.batch_id, header.sent_by,
                           header.sender_scope, header.records)[0]
            .as<int64_t>();
    return absl::OkStatus();
  });
}

std::optional<StoredRecord> InboundStore::LockFirstReceipt(
    pqxx::transaction_base& txn, const BatchHeader& header,
    const std::string& source_record_id) const {
  const std::string kind(RecordKindName(header.kind));
  const std::string source(SourceName(header.source));
  txn.exec_prepared("inbound_record_lock", kind, source, source_record_id);
  const pqxx::result rows =
      txn.exec_prepared("inbound_first_receipt", kind, source, source_record_id);
  if (rows.empty()) return std::nullopt;
  return RecordFromRow(rows[0]);
}

std::optional<StoredRecord> InboundStore::RecordById(pqxx::transaction_base& txn,
                                                     const std::string& record_id) const {
  const pqxx::result rows = txn.exec_prepared("inbound_record_by_id", record_id);
  if (rows.empty()) return std::nullopt;
  return RecordFromRow(rows[0]);
}

std::string InboundStore::NewRecordId(pqxx::transaction_base& txn) const {
  return txn.exec_prepared1("inbound_new_id")[0].as<std::string>();
}

std::string InboundStore::Insert(pqxx::transaction_base& txn, const BatchHeader& header,
                                 const RecordRow& row) const {
  std::optional<std::string> index, masked;
  std::string cipher;  // empty: no ciphertext (NULL)
  if (row.id.has_value()) {
    index = Text(row.id->index);
    masked = row.id->masked;
    cipher = row.id->cipher;
  }
  return txn
      .exec_prepared1("inbound_record_insert", Text(row.record_id), header.batch_seq,
                      std::string(RecordKindName(header.kind)),
                      std::string(SourceName(header.source)), header.batch_id, row.index,
                      row.source_record_id, header.sent_by, index, masked, Bytes(cipher),
                      Day(row.event_date), row.region_code, row.detail,
                      std::string(OutcomeName(row.outcome)), Text(row.resent_of), row.error_field,
                      row.error_code, row.error, Day(row.known_date), Text(row.event_id))[0]
      .as<std::string>();
}

RecordResult InboundStore::Resent(pqxx::transaction_base& txn, const BatchHeader& header, int index,
                                  const std::string& source_record_id,
                                  const StoredRecord& first) const {
  RecordRow row;
  row.index = index;
  row.source_record_id = source_record_id;
  row.outcome = first.row.outcome;
  row.resent_of = first.row.record_id;
  if (first.row.id.has_value()) row.id = StoredId{"", "", first.row.id->masked};
  row.event_date = first.row.event_date;
  row.region_code = first.row.region_code;
  Insert(txn, header, row);
  RecordResult r;
  r.index = index;
  r.source_record_id = source_record_id;
  r.outcome = first.row.outcome;
  r.record_id = first.row.record_id;
  r.resent = true;
  r.known_date = first.row.known_date;
  if (first.row.id.has_value()) r.masked = first.row.id->masked;
  return r;
}

absl::StatusOr<RecordResult> InboundStore::Reject(const BatchHeader& header, int index,
                                                  const std::string& source_record_id,
                                                  const absl::Status& status,
                                                  const std::optional<IdNumber>& id,
                                                  std::optional<absl::CivilDay> day,
                                                  const std::string& region_code) {
  RecordResult result = Rejected(index, source_record_id, status);
  RecordRow row;
  row.index = index;
  // The sender's id as sent, unless it is what was wrong with the record.
  const int chars = CharCount(source_record_id);
  if (chars >= 0 && chars <= 64) row.source_record_id = source_record_id;
  result.source_record_id = row.source_record_id;
  if (id.has_value()) {
    CIVIL_ASSIGN_OR_RETURN(StoredId stored, ProtectId(*pii_, *id));
    result.masked = stored.masked;
    row.id = std::move(stored);
  }
  row.event_date = day;
  row.region_code = region_code;
  row.outcome = Outcome::kRejected;
  row.error_field = result.field;
  row.error_code = result.code;
  row.error = result.message;
  CIVIL_RETURN_IF_ERROR(pool_->Transact([&](pqxx::transaction_base& txn) -> absl::Status {
    result.record_id = Insert(txn, header, row);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<StoredRecord>> InboundStore::List(const RecordFilter& filter,
                                                             int64_t after, int limit,
                                                             int64_t* next) {
  std::vector<StoredRecord> out;
  *next = 0;
  CIVIL_RETURN_IF_ERROR(pool_->Read([&](pqxx::transaction_base& txn) -> absl::Status {
    out.clear();
    const pqxx::result rows = txn.exec_prepared(
        "inbound_list", after, filter.region_prefix, filter.sent_by, filter.batch_id,
        filter.source ? std::string(SourceName(*filter.source)) : std::string(),
        filter.conflicts_only ? std::string("CONFLICT")
        : filter.outcome      ? std::string(OutcomeName(*filter.outcome))
                              : std::string(),
        limit + 1, filter.unsettled_only);
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i) {
      out.push_back(RecordFromRow(rows[i]));
    }
    if (static_cast<int>(rows.size()) > limit) *next = out.back().seq;
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace civil::exchange
