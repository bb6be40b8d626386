#include "services/childwelfare/childwelfare_config.h"

#include "services/childwelfare/child.h"
#include "services/common/config.h"

namespace civil::childwelfare {

absl::StatusOr<ChildWelfareConfig> LoadChildWelfareConfig() {
  EnvReader env;
  ChildWelfareConfig config;
  config.education_max_age = static_cast<int>(
      env.Int("CIVIL_CHILDWELFARE_EDUCATION_MAX_AGE", kDefaultEducationMaxAge, kAdultAge, 30));
  if (absl::Status s = env.Status(); !s.ok()) return s;
  return config;
}

}  // namespace civil::childwelfare
