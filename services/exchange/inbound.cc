#include "services/exchange/inbound.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/id_number.h"
#include "services/common/values.h"

namespace civil::exchange {

absl::string_view SourceName(Source source) {
  switch (source) {
    case Source::kPublicSecurity:
      return "PUBLIC_SECURITY";
    case Source::kHealth:
      return "HEALTH";
    case Source::kDisabledFederation:
      return "DISABLED_FEDERATION";
    case Source::kRuralRevitalisation:
      return "RURAL_REVITALISATION";
  }
  return "";
}

absl::StatusOr<Source> SourceFromName(absl::string_view name) {
  if (name == "PUBLIC_SECURITY") return Source::kPublicSecurity;
  if (name == "HEALTH") return Source::kHealth;
  if (name == "DISABLED_FEDERATION") return Source::kDisabledFederation;
  if (name == "RURAL_REVITALISATION") return Source::kRuralRevitalisation;
  return InvalidField("source", absl::StrCat("unknown source ", name));
}

absl::StatusOr<Source> SourceFromNumber(int number) {
  if (number == 0) return InvalidField("source", "is required");
  if (number == 1) return Source::kPublicSecurity;
  if (number == 2) return Source::kHealth;
  if (number == 3) return Source::kDisabledFederation;
  if (number == 4) return Source::kRuralRevitalisation;
  return InvalidField("source", absl::StrCat("unknown value ", number));
}

absl::string_view SourceRole(Source source) {
  switch (source) {
    case Source::kPublicSecurity:
      return "exchange.public_security";
    case Source::kHealth:
      return "exchange.health";
    case Source::kDisabledFederation:
      return "exchange.disabled_federation";
    case Source::kRuralRevitalisation:
      return "exchange.rural_revitalisation";
  }
  return "";
}

absl::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kDeathNotice:
      return "DEATH_NOTICE";
    case RecordKind::kMoveOut:
      return "MOVE_OUT";
    case RecordKind::kDisabilityCertificate:
      return "DISABILITY_CERTIFICATE";
    case RecordKind::kMonitoringObject:
      return "MONITORING_OBJECT";
  }
  return "";
}

RecordKind RecordKindFromName(absl::string_view name) {
  if (name == "MOVE_OUT") return RecordKind::kMoveOut;
  if (name == "DISABILITY_CERTIFICATE") return RecordKind::kDisabilityCertificate;
  if (name == "MONITORING_OBJECT") return RecordKind::kMonitoringObject;
  return RecordKind::kDeathNotice;
}

absl::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAccepted:
      return "ACCEPTED";
    case Outcome::kDuplicate:
      return "DUPLICATE";
    case Outcome::kConflict:
      return "CONFLICT";
    case Outcome::kRejected:
      return "REJECTED";
  }
  return "";
}

Outcome OutcomeFromName(absl::string_view name) {
  if (name == "ACCEPTED") return Outcome::kAccepted;
  if (name == "DUPLICATE") return Outcome::kDuplicate;
  if (name == "CONFLICT") return Outcome::kConflict;
  return Outcome::kRejected;
}

absl::StatusOr<std::string> ValidBatch(absl::string_view batch_id, int records,
                                       absl::string_view records_field) {
  CIVIL_ASSIGN_OR_RETURN(std::string id, BoundedText("batch_id", batch_id, 64));
  if (records == 0) return InvalidField(records_field, "a batch needs at least one record");
  if (records > kMaxBatchRecords) {
    return InvalidField(records_field,
                        absl::StrCat("at most ", kMaxBatchRecords, " records per batch"));
  }
  return id;
}

absl::StatusOr<std::string> ValidSourceRecordId(absl::string_view text) {
  return BoundedText("source_record_id", text, 64);
}

absl::StatusOr<absl::CivilDay> ReportedDay(absl::string_view field, absl::string_view text,
                                           absl::CivilDay today, absl::CivilDay born) {
  CIVIL_ASSIGN_OR_RETURN(const absl::CivilDay day, RequiredDate(field, text));
  if (day > today) return InvalidField(field, "must not be in the future");
  if (day < born) return InvalidField(field, "must not be before the birth date in id_number");
  return day;
}

RecordResult Rejected(int index, std::string source_record_id, const absl::Status& status) {
  RecordResult r;
  r.index = index;
  r.source_record_id = std::move(source_record_id);
  r.outcome = Outcome::kRejected;
  r.message = std::string(status.message());
  const size_t colon = r.message.find(": ");
  if (colon != std::string::npos) r.field = r.message.substr(0, colon);
  r.code = absl::StatusCodeToString(status.code());
  return r;
}

void Tally::Add(const RecordResult& result) {
  if (result.resent) {
    ++resent;
    return;
  }
  switch (result.outcome) {
    case Outcome::kAccepted:
      ++accepted;
      break;
    case Outcome::kDuplicate:
      ++duplicate;
      break;
    case Outcome::kConflict:
      ++conflict;
      break;
    case Outcome::kRejected:
      ++rejected;
      break;
  }
}

}  // namespace civil::exchange
