// The bank file (一卡通) every paying department exports: its size limit, lines and CSV form —
// pure C++, no SQL or gRPC. A department fills BankFileLine from its payments and names its
// programme; the format the bank reads is the same for all of them.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/money.h"

namespace civil {

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
  std::string programme;  // e.g. 低保, 高龄津贴, 孤儿基本生活费
};

// Appended to the programme of a back-payment's line (an adjustment row after an upheld
// grievance, paid with the next run's file): "高龄津贴(补发)".
inline constexpr char kBackPayLabel[] = "(补发)";

// The file's name: `bank-<name>-<YYYY-MM>-<prefix>.csv`, `all` for an empty prefix.
std::string BankFileNameOf(absl::string_view name, absl::CivilMonth month,
                           absl::string_view prefix);

// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled.
std::string CsvField(absl::string_view value);
// The header row and one row per line, each ending in CRLF.
std::string BankFileHeader();
std::string BankFileRow(const BankFileLine& line);

// A bank file of `count` payments: FAILED_PRECONDITION "<field>: N payments are more than
// kMaxBankFileRows for one file; export it by region_prefix (a township)" above the limit.
absl::Status CheckBankFileSize(int64_t count, absl::string_view field = "batch_id");

// A `region_prefix` asked of a batch for `batch_region`: INVALID_ARGUMENT "region_prefix:
// outside the batch's region …" unless it lies within it.
absl::Status CheckBankFilePrefix(absl::string_view batch_region, absl::string_view region_prefix);

}  // namespace civil
