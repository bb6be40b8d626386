#include "services/eldercare/bank_file.h"

#include "services/common/bank_file.h"

namespace civil::eldercare {

absl::string_view AllowanceName(PaidAllowance allowance) {
  return allowance == PaidAllowance::kOldAge ? "OLD_AGE_ALLOWANCE" : "HOMECARE_SUBSIDY";
}

absl::string_view ProgrammeLabel(PaidAllowance allowance) {
  return allowance == PaidAllowance::kOldAge ? "高龄津贴" : "居家养老服务补贴";
}

std::string BankFileName(PaidAllowance allowance, absl::CivilMonth month,
                         absl::string_view region_prefix) {
  return BankFileNameOf(AllowanceName(allowance), month, region_prefix);
}

}  // namespace civil::eldercare
