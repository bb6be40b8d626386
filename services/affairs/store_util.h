// Helpers shared by the department's stores (PostgreSQL access): protecting ID numbers for
// storage, reading dates and optional columns, nullable parameters, and the death records every
// aggregate consults. No rules here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/pii.h"

namespace civil::affairs {

// An ID number as stored: AES-256-GCM ciphertext, HMAC blind index, masked form.
struct StoredId {
  std::string cipher;
  std::string index;
  std::string masked;
};

// Protects `id` for storage. INTERNAL when encryption fails.
absl::StatusOr<StoredId> ProtectId(const PiiProtector& pii, const IdNumber& id);

// `bytes` as a bytea parameter.
pqxx::binarystring Bytes(const std::string& bytes);

// A nullable text parameter: nullptr (SQL NULL) when `value` is empty.
const char* OrNull(const std::optional<std::string>& value);

// "M" or "F".
std::string SexCode(const IdNumber& id);

// A `YYYY-MM-DD` column as a day. Columns are always written by the stores, so a malformed value
// is a programming error: it reads as 1970-01-01.
absl::CivilDay DayOf(const pqxx::field& field);
// The same for a nullable column.
std::optional<absl::CivilDay> OptionalDayOf(const pqxx::field& field);
// A nullable text column ("" for NULL).
std::string TextOf(const pqxx::field& field);

// Select-list expression of a timestamptz column as Unix microseconds.
std::string MicrosOf(absl::string_view column);

// A PostgreSQL array literal of simple tokens (names, hex digests, UUIDs): no quoting needed.
std::string ArrayLiteral(const std::vector<std::string>& items);

// The recorded date of death of the person with blind index `id_index` (the cremation record),
// or nullopt.
std::optional<absl::CivilDay> DeathOf(pqxx::transaction_base& txn, const std::string& id_index);

// A death as the funeral store records it, passed to the other aggregates in the same transaction
// so that they close what the person had (subsidies, a marriage) from the right date.
struct Death {
  std::string id_index;
  std::string id_masked;
  absl::CivilDay date_of_death;
  std::string cremation_id;
  std::string actor;
};
using DeathHook = std::function<absl::Status(pqxx::transaction_base&, const Death&)>;

// One page of a keyset listing.
template <typename T>
struct Page {
  std::vector<T> items;
  int64_t next_after = 0;  // 0 on the last page; otherwise the `after` of the next page
};

}  // namespace civil::affairs
