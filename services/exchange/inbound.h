// The rules every inbound batch shares, whatever the fact it carries: which external system sent
// it (and the role its token must hold), what a valid batch is, the outcomes a record may have,
// and the per-record result a sender gets back. Pure C++ on Abseil.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace civil::exchange {

// An external system that sends the bureau facts (numbered as civil.exchange.v1.Source).
enum class Source {
  kPublicSecurity = 1,
  kHealth = 2,
  kDisabledFederation = 3,
  kRuralRevitalisation = 4
};
// "PUBLIC_SECURITY", "HEALTH", "DISABLED_FEDERATION", "RURAL_REVITALISATION" (the stored
// names).
absl::string_view SourceName(Source source);
// INVALID_ARGUMENT "source: …" unless `name` is a stored name.
absl::StatusOr<Source> SourceFromName(absl::string_view name);
// The source numbered `number` in the contract; INVALID_ARGUMENT "source: is required" for 0 and
// "source: unknown value N" otherwise.
absl::StatusOr<Source> SourceFromNumber(int number);
// The role a system's token holds to send as `source`: "exchange.public_security",
// "exchange.health", "exchange.disabled_federation", "exchange.rural_revitalisation".
absl::string_view SourceRole(Source source);

// What kind of fact a record carries (stored names "DEATH_NOTICE", "MOVE_OUT",
// "DISABILITY_CERTIFICATE", "MONITORING_OBJECT").
enum class RecordKind {
  kDeathNotice = 1,
  kMoveOut = 2,
  kDisabilityCertificate = 3,
  kMonitoringObject = 4
};
absl::string_view RecordKindName(RecordKind kind);
// The kind stored as `name`; kDeathNotice for anything unknown.
RecordKind RecordKindFromName(absl::string_view name);

// What the exchange did with one record (numbered as civil.exchange.v1.Outcome).
enum class Outcome { kAccepted = 1, kDuplicate = 2, kConflict = 3, kRejected = 4 };
// "ACCEPTED", "DUPLICATE", "CONFLICT", "REJECTED".
absl::string_view OutcomeName(Outcome outcome);
// The outcome stored as `name`; kRejected for anything unknown.
Outcome OutcomeFromName(absl::string_view name);

// The most records one batch may carry.
inline constexpr int kMaxBatchRecords = 1000;

// The batch's own fields: `batch_id` 1..64 characters of text, 1..kMaxBatchRecords records
// (`records_field` names the repeated field). INVALID_ARGUMENT naming the field otherwise.
absl::StatusOr<std::string> ValidBatch(absl::string_view batch_id, int records,
                                       absl::string_view records_field);

// A sender's own id of one record: 1..64 characters. INVALID_ARGUMENT "source_record_id: …".
absl::StatusOr<std::string> ValidSourceRecordId(absl::string_view text);

// The day a reported fact happened (`field`): required `YYYY-MM-DD`, not after `today`, not
// before `born` (the birth date in the ID number). INVALID_ARGUMENT naming the field.
absl::StatusOr<absl::CivilDay> ReportedDay(absl::string_view field, absl::string_view text,
                                           absl::CivilDay today, absl::CivilDay born);

// What happened to one record of a batch, as the sender is told.
struct RecordResult {
  int index = 0;
  std::string source_record_id;
  Outcome outcome = Outcome::kRejected;
  std::string record_id;  // the exchange's id of the record kept (the first's when resent)
  bool resent = false;
  std::string field, code, message;          // REJECTED
  std::optional<absl::CivilDay> known_date;  // DUPLICATE / CONFLICT of a death
  std::string masked;
};

// A REJECTED result for the record at `index` from a validation failure: `field` is taken from
// the message's "<field>: " prefix, `code` is the status code's name.
RecordResult Rejected(int index, std::string source_record_id, const absl::Status& status);

// How many results had each outcome (resent ones are counted as resent only).
struct Tally {
  int accepted = 0, duplicate = 0, conflict = 0, rejected = 0, resent = 0;
  void Add(const RecordResult& result);
};

}  // namespace civil::exchange
