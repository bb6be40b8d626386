// PostgreSQL access for the exchange's log of inbound batches and records (tables
// inbound_batches, inbound_records; append-only). The death notice and move-out stores write
// their records through it, in their own transactions; the log is listed from here.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/id_number.h"
#include "services/common/pg.h"
#include "services/common/pii.h"
#include "services/common/store_util.h"
#include "services/exchange/inbound.h"

namespace civil::exchange {

// A batch as received: what it carries, who sent it.
struct BatchHeader {
  RecordKind kind = RecordKind::kDeathNotice;
  Source source = Source::kPublicSecurity;
  std::string batch_id;
  std::string sent_by;       // the subject of the sender's token
  std::string sender_scope;  // its region scope ("*" = the county)
  int records = 0;
  int64_t batch_seq = 0;  // set by OpenBatch
};

// One row of inbound_records to write.
struct RecordRow {
  std::string record_id;  // empty: the database assigns one
  int index = 0;
  std::string source_record_id;
  std::optional<StoredId> id;
  std::optional<absl::CivilDay> event_date;
  std::string region_code;
  std::string detail;
  Outcome outcome = Outcome::kRejected;
  std::string resent_of;
  std::string error_field, error_code, error;
  std::optional<absl::CivilDay> known_date;
  std::string event_id;
};

// A record as kept, for the listings.
struct StoredRecord {
  RecordRow row;
  int64_t seq = 0;
  RecordKind kind = RecordKind::kDeathNotice;
  Source source = Source::kPublicSecurity;
  std::string batch_id, sent_by;
  int64_t received_micros = 0;
};

// Filters of ListInboundRecords; empty / nullopt = any.
struct RecordFilter {
  std::string region_prefix;  // "" = every region, also records with no readable region
  std::string sent_by;
  std::string batch_id;
  std::optional<Source> source;
  std::optional<Outcome> outcome;
  bool conflicts_only = false;
  bool unsettled_only = false;  // conflicts with no settlement (conflict_settlements)
};

class InboundStore {
 public:
  // Neither is owned.
  InboundStore(PgPool* pool, const PiiProtector* pii);

  const PiiProtector& pii() const { return *pii_; }

  // Records the batch `header` (its batch_seq is set). UNAVAILABLE when the database is down.
  absl::Status OpenBatch(BatchHeader& header);

  // Within `txn`: waits for any other receipt of the same source record, then returns the first
  // receipt of it that was not rejected, or nullopt.
  std::optional<StoredRecord> LockFirstReceipt(pqxx::transaction_base& txn,
                                               const BatchHeader& header,
                                               const std::string& source_record_id) const;

  // Within `txn`: the record `record_id` (a UUID), or nullopt. Records are never changed (the
  // service may not lock them either).
  std::optional<StoredRecord> RecordById(pqxx::transaction_base& txn,
                                         const std::string& record_id) const;

  // Within `txn`: a new record id (a UUID) for a row about to be written.
  std::string NewRecordId(pqxx::transaction_base& txn) const;

  // Within `txn`: writes `row` of the batch `header`; returns its record_id.
  std::string Insert(pqxx::transaction_base& txn, const BatchHeader& header,
                     const RecordRow& row) const;

  // Within `txn`: the record sent again (`first` is its first receipt) is logged pointing at the
  // first, and answered with the first one's outcome, `resent` set. Nothing else is written.
  RecordResult Resent(pqxx::transaction_base& txn, const BatchHeader& header, int index,
                      const std::string& source_record_id, const StoredRecord& first) const;

  // A record refused by `status` (validation or scope), in its own transaction: logged as
  // REJECTED with the ID number, day and region when they were readable (`id`, `day`,
  // `region_code`), nothing else written. Returns the sender's result.
  absl::StatusOr<RecordResult> Reject(const BatchHeader& header, int index,
                                      const std::string& source_record_id,
                                      const absl::Status& status,
                                      const std::optional<IdNumber>& id = std::nullopt,
                                      std::optional<absl::CivilDay> day = std::nullopt,
                                      const std::string& region_code = "");

  // Records matching `filter` after position `after`, in the order received, at most `limit`;
  // `*next` is the position to continue from (0 at the end).
  absl::StatusOr<std::vector<StoredRecord>> List(const RecordFilter& filter, int64_t after,
                                                 int limit, int64_t* next);

 private:
  PgPool* pool_;
  const PiiProtector* pii_;
};

}  // namespace civil::exchange
