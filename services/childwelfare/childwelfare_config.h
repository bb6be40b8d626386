// The child-welfare department's own settings. Variables (defaults in brackets):
//   CIVIL_CHILDWELFARE_EDUCATION_MAX_AGE [22]  a child in full-time education is paid after 18 up
//                                              to the month of this birthday (18 to 30)
#pragma once

#include "absl/status/statusor.h"

namespace civil::childwelfare {

struct ChildWelfareConfig {
  int education_max_age = 22;
};

// INVALID_ARGUMENT naming the variable when it is malformed.
absl::StatusOr<ChildWelfareConfig> LoadChildWelfareConfig();

}  // namespace civil::childwelfare
