// Bulk import of residents' records, the parts that decide (pure C++ on Abseil): reading CSV
// text one record at a time (RFC 4180 quoting, UTF-8, an optional byte-order mark) without
// copying the file, mapping a header row to the record's fields, and the import's report — counts
// and the first bad rows with their number and field. The batches themselves are written by the
// store; nothing here holds more than one row.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/governance/record.h"

namespace civil::governance {

// Rows are written in batches of this many.
inline constexpr int kImportBatchRows = 500;
// The report lists at most this many bad rows.
inline constexpr int kMaxReportedErrors = 1000;

// Reads CSV records from `text` (not copied; must outlive the reader). Fields are separated by
// `,`; a field may be quoted with `"` (a `""` inside stands for one `"`, and a quoted field may
// hold `,` and line breaks); a record ends at `\n` or `\r\n` outside quotes. Blank lines are
// skipped but counted.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text);

  // Reads the next record into `fields`, with its 1-based line number (the line it starts on) in
  // `line`. Returns false at the end of the text. A malformed record (a quote that is not closed,
  // text after a closing quote) reads as OK fields = {} and `error` set to "row: …"; reading goes
  // on at the next line.
  bool Next(std::vector<std::string>* fields, int64_t* line, std::string* error);

  // The number of lines in the whole text (for the progress gauge; a quoted line break counts).
  static int64_t CountLines(absl::string_view text);

 private:
  absl::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

// The columns of an import, as a header names them.
enum class Column { kGridCode, kName, kIdNumber, kAddress, kHousehold, kTags, kSubmitDate };
inline constexpr int kColumnCount = 7;

// Which field of each record holds which column.
class CsvHeader {
 public:
  // Maps the header's names (grid_code, name, id_number, address required; household, tags,
  // submit_date optional; any order; case and surrounding spaces ignored). INVALID_ARGUMENT "csv:
  // …" for an unknown or repeated column, or a required one missing.
  static absl::StatusOr<CsvHeader> Parse(const std::vector<std::string>& names);

  // The record of `fields`. INVALID_ARGUMENT "row: has N fields, the header M" when the count
  // differs.
  absl::StatusOr<RecordRow> Row(const std::vector<std::string>& fields) const;

 private:
  std::array<int, kColumnCount> index_{};  // -1 = absent
  int width_ = 0;
};

// A bad row.
struct RowError {
  int64_t row = 0;
  std::string field;
  std::string problem;
};

// The report of one import.
struct ImportReport {
  int64_t rows = 0;
  int64_t created = 0;
  int64_t resubmitted = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  std::vector<RowError> errors;  // the first kMaxReportedErrors
  bool errors_truncated = false;

  // Counts row `row` as rejected for `status` ("<field>: <problem>"; a message without a field
  // is put on `row`), listing it while fewer than kMaxReportedErrors are listed.
  void Reject(int64_t row, absl::string_view status_message);
};

}  // namespace civil::governance
