#include "services/affairs/affairs_config.h"

#include "absl/strings/str_cat.h"
#include "services/common/config.h"

namespace civil::affairs {

absl::StatusOr<AffairsConfig> LoadAffairsConfig() {
  EnvReader env;
  AffairsConfig config;
  config.assistance_addr = env.String("CIVIL_ASSISTANCE_ADDR", "127.0.0.1:50051");
  config.assistance_deadline =
      std::chrono::milliseconds(env.Int("CIVIL_AFFAIRS_ASSISTANCE_DEADLINE_MS", 2000, 50, 60000));
  std::string host;
  int port = 0;
  if (absl::Status s = SplitHostPort(config.assistance_addr, &host, &port); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("CIVIL_ASSISTANCE_ADDR: ", s.message()));
  }
  if (absl::Status s = env.Status(); !s.ok()) return s;
  return config;
}

}  // namespace civil::affairs
