// The bank file (一卡通): its size limit, lines and CSV form — pure C++, no SQL or gRPC.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/money.h"

namespace civil::assistance {

// The largest bank file one call returns; larger batches are exported by region.
inline constexpr int kMaxBankFileRows = 30000;

// One payment as the bank file lists it.
struct BankFileLine {
  int64_t payment_id = 0;
  std::string name;
  std::string id_number;  // full or masked, as the caller may see it
  Money amount;
  absl::CivilMonth month;
  std::string region_code;
  std::string programme;  // e.g. 低保
};

// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled.
std::string CsvField(absl::string_view value);
// The header row and one row per line, each ending in CRLF.
std::string BankFileHeader();
std::string BankFileRow(const BankFileLine& line);
// The programme as the bank file names it (低保, 特困, …).
absl::string_view ProgrammeLabel(absl::string_view programme_name);

// A bank file of `count` payments: FAILED_PRECONDITION "batch_id: N payments are more than
// kMaxBankFileRows for one file; export it by region_prefix (a township)" above the limit.
absl::Status CheckBankFileSize(int64_t count);

// A `region_prefix` asked of a batch for `batch_region`: INVALID_ARGUMENT "region_prefix:
// outside the batch's region …" unless it lies within it.
absl::Status CheckBankFilePrefix(absl::string_view batch_region, absl::string_view region_prefix);

}  // namespace civil::assistance
