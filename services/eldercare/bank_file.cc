#include "services/eldercare/bank_file.h"

#include "absl/strings/str_cat.h"
#include "services/common/values.h"

namespace civil::eldercare {

absl::string_view AllowanceName(PaidAllowance allowance) {
  return allowance == PaidAllowance::kOldAge ? "OLD_AGE_ALLOWANCE" : "HOMECARE_SUBSIDY";
}

absl::string_view ProgrammeLabel(PaidAllowance allowance) {
  return allowance == PaidAllowance::kOldAge ? "高龄津贴" : "居家养老服务补贴";
}

std::string BankFileName(PaidAllowance allowance, absl::CivilMonth month,
                         absl::string_view region_prefix) {
  return absl::StrCat("bank-", AllowanceName(allowance), "-", FormatMonth(month), "-",
                      region_prefix.empty() ? "all" : region_prefix, ".csv");
}

}  // namespace civil::eldercare
