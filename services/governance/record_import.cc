#include "services/governance/record_import.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace civil::governance {
namespace {

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

constexpr std::array<absl::string_view, kColumnCount> kColumnNames = {
    "grid_code", "name", "id_number", "address", "household", "tags", "submit_date"};
constexpr std::array<bool, kColumnCount> kRequired = {true, true, true, true, false, false, false};

}  // namespace

CsvReader::CsvReader(absl::string_view text) : text_(text) {
  if (text_.substr(0, kBom.size()) == kBom) pos_ = kBom.size();
}

int64_t CsvReader::CountLines(absl::string_view text) {
  if (text.empty()) return 0;
  int64_t lines = std::count(text.begin(), text.end(), '\n');
  if (text.back() != '\n') ++lines;
  return lines;
}

bool CsvReader::Next(std::vector<std::string>* fields, int64_t* line, std::string* error) {
  fields->clear();
  error->clear();
  // Skip blank lines.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  *line = line_;
  std::string field;
  bool quoted = false;       // inside quotes
  bool after_quote = false;  // a quoted field closed; only `,` or the end may follow
  auto fail = [&](absl::string_view problem) {
    *error = absl::StrCat("row: ", problem);
    fields->clear();
    // Resume after the end of this physical line.
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    if (pos_ < text_.size()) {
      ++pos_;
      ++line_;
    }
    return true;
  };
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (quoted) {
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field.push_back('"');
          pos_ += 2;
          continue;
        }
        quoted = false;
        after_quote = true;
        ++pos_;
        continue;
      }
      if (c == '\n') ++line_;
      field.push_back(c);
      ++pos_;
      continue;
    }
    if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
      after_quote = false;
      ++pos_;
      continue;
    }
    if (c == '\n' || (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) {
      pos_ += c == '\r' ? 2 : 1;
      ++line_;
      fields->push_back(std::move(field));
      return true;
    }
    if (after_quote) return fail("text after a closing quote");
    if (c == '"') {
      if (!field.empty()) return fail("a quote inside an unquoted field");
      quoted = true;
      ++pos_;
      continue;
    }
    field.push_back(c);
    ++pos_;
  }
  if (quoted) {
    *error = "row: a quoted field is not closed";
    fields->clear();
    return true;
  }
  if (!field.empty() && field.back() == '\r') field.pop_back();  // a last line ending in \r
  fields->push_back(std::move(field));
  return true;
}

absl::StatusOr<CsvHeader> CsvHeader::Parse(const std::vector<std::string>& names) {
  CsvHeader header;
  header.index_.fill(-1);
  header.width_ = static_cast<int>(names.size());
  for (int i = 0; i < header.width_; ++i) {
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(names[i]));
    auto it = std::find(kColumnNames.begin(), kColumnNames.end(), name);
    if (it == kColumnNames.end()) {
      return InvalidField("csv", absl::StrCat("the header's column ", i + 1, " (", name,
                                              ") is not one of grid_code, name, id_number, "
                                              "address, household, tags"));
    }
    const auto c = static_cast<size_t>(it - kColumnNames.begin());
    if (header.index_[c] >= 0) {
      return InvalidField("csv", absl::StrCat("the header names ", name, " twice"));
    }
    header.index_[c] = i;
  }
  for (size_t c = 0; c < kColumnCount; ++c) {
    if (kRequired[c] && header.index_[c] < 0) {
      return InvalidField("csv", absl::StrCat("the header lacks the column ", kColumnNames[c]));
    }
  }
  return header;
}

absl::StatusOr<RecordRow> CsvHeader::Row(const std::vector<std::string>& fields) const {
  if (static_cast<int>(fields.size()) != width_) {
    return InvalidField("row", absl::StrCat("has ", fields.size(), " fields, the header ", width_));
  }
  auto at = [&](Column c) -> std::string {
    const int i = index_[static_cast<size_t>(c)];
    return i < 0 ? std::string() : fields[i];
  };
  return RecordRow{at(Column::kGridCode),  at(Column::kName),      at(Column::kIdNumber),
                   at(Column::kAddress),   at(Column::kHousehold), at(Column::kTags),
                   at(Column::kSubmitDate)};
}

void ImportReport::Reject(int64_t row, absl::string_view status_message) {
  ++rejected;
  if (static_cast<int>(errors.size()) >= kMaxReportedErrors) {
    errors_truncated = true;
    return;
  }
  RowError e;
  e.row = row;
  const size_t colon = status_message.find(": ");
  if (colon == absl::string_view::npos ||
      status_message.substr(0, colon).find(' ') != absl::string_view::npos) {
    e.field = "row";
    e.problem = std::string(status_message);
  } else {
    e.field = std::string(status_message.substr(0, colon));
    e.problem = std::string(status_message.substr(colon + 2));
  }
  errors.push_back(std::move(e));
}

}  // namespace civil::governance
