#include "services/assistance/mutual_aid.h"

#include <algorithm>

namespace civil::assistance {

int CoveragePermille(int64_t registered, int64_t known) {
  if (known <= 0 || registered <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(registered, known) * 1000 / known);
}

}  // namespace civil::assistance
