// Assistance's part of the bank file (一卡通): how its programmes are named there. The file's
// form is services/common/bank_file.h.
#pragma once

#include "absl/strings/string_view.h"
#include "services/common/bank_file.h"

namespace civil::assistance {

// The programme as the bank file names it (低保, 特困, …).
absl::string_view ProgrammeLabel(absl::string_view programme_name);

}  // namespace civil::assistance
