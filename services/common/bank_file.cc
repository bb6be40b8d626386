#include "services/common/bank_file.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/values.h"

namespace civil {

std::string CsvField(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string BankFileNameOf(absl::string_view name, absl::CivilMonth month,
                           absl::string_view prefix) {
  return absl::StrCat("bank-", name, "-", FormatMonth(month), "-", prefix.empty() ? "all" : prefix,
                      ".csv");
}

std::string BankFileHeader() { return "序号,姓名,身份证号码,金额(元),发放月份,区划代码,项目\r\n"; }

std::string BankFileRow(const BankFileLine& line) {
  return absl::StrCat(line.payment_id, ",", CsvField(line.name), ",", CsvField(line.id_number), ",",
                      line.amount.ToYuan(), ",", FormatMonth(line.month), ",",
                      CsvField(line.region_code), ",", CsvField(line.programme), "\r\n");
}

absl::Status CheckBankFileSize(int64_t count, absl::string_view field) {
  if (count <= kMaxBankFileRows) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(field, ": ", count, " payments are more than ", kMaxBankFileRows,
                   " for one file; export it by region_prefix (a township)"));
}

absl::Status CheckBankFilePrefix(absl::string_view batch_region, absl::string_view region_prefix) {
  if (absl::StartsWith(region_prefix, batch_region)) return absl::OkStatus();
  return InvalidField("region_prefix", absl::StrCat("outside the batch's region ", batch_region));
}

}  // namespace civil
