// Helpers every department's stores (PostgreSQL access, libpqxx 6.x) share: protecting ID numbers
// for storage, bytea and nullable parameters, reading dates and optional columns, and one page of
// a keyset listing. No rules here, and nothing of one department.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/id_number.h"
#include "services/common/pii.h"

namespace civil {

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

// A nullable text parameter: nullptr (SQL NULL) when `value` is empty or absent.
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

// A month as a parameter of a date column that holds months: `YYYY-MM-01`.
std::string MonthDay(absl::CivilMonth month);
// A month column (a date, the month's first day) as a month; malformed reads as 1970-01 (DayOf).
absl::CivilMonth MonthOf(const pqxx::field& field);
// A nullable month column as a contract's `YYYY-MM` text ("" for NULL).
std::string MonthTextOf(const pqxx::field& field);

// Select-list expression of a timestamptz column as Unix microseconds.
std::string MicrosOf(absl::string_view column);

// A PostgreSQL array literal of `items`, for a `$n::text[]` (or uuid[], bigint[], …) parameter:
// every element quoted, so free text (commas, quotes, braces, backslashes, empty strings) arrives
// as it was.
std::string ArrayLiteral(const std::vector<std::string>& items);

// One page of a keyset listing.
template <typename T>
struct Page {
  std::vector<T> items;
  int64_t next_after = 0;  // 0 on the last page; otherwise the `after` of the next page
};

// One page of `rows`, a keyset query's result fetched with LIMIT page_size + 1: the first
// `page_size` rows, each read with `read(row)`; `next_after` is the position column `position`
// (a bigint) of the last row kept when there is another page, 0 otherwise.
template <typename T, typename Rows, typename Read>
Page<T> TakePage(const Rows& rows, int page_size, int position, Read read) {
  Page<T> page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
    page.items.push_back(read(rows[i]));
    page.next_after = rows[i][position].template as<int64_t>();
  }
  if (static_cast<int>(rows.size()) <= page_size) page.next_after = 0;
  return page;
}

}  // namespace civil
