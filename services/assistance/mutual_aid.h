// Rules of mutual aid (互助社): coverage of villages — pure C++, no SQL or gRPC.
#pragma once

#include <cstdint>

namespace civil::assistance {

// `registered` / `known` in per mille, rounded down; 0 when nothing is known.
int CoveragePermille(int64_t registered, int64_t known);

}  // namespace civil::assistance
