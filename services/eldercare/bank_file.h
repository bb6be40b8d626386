// Eldercare's part of the bank file (一卡通) of its monthly runs: which allowance, how the bank
// file names it, and the file's name. The file's form is services/common/bank_file.h.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/common/bank_file.h"

namespace civil::eldercare {

// The allowances paid by a monthly run.
enum class PaidAllowance { kOldAge = 1, kHomeCare = 2 };

// The stable name (`OLD_AGE_ALLOWANCE`, `HOMECARE_SUBSIDY`) and the programme as the bank file
// shows it (高龄津贴, 居家养老服务补贴).
absl::string_view AllowanceName(PaidAllowance allowance);
absl::string_view ProgrammeLabel(PaidAllowance allowance);

// `bank-<name>-<YYYY-MM>-<region prefix>.csv` (`all` for an empty prefix).
std::string BankFileName(PaidAllowance allowance, absl::CivilMonth month,
                         absl::string_view region_prefix);

}  // namespace civil::eldercare
