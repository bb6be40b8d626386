#include "services/report/report_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/config.h"

namespace civil::report {

absl::StatusOr<ReportConfig> LoadReportConfig() {
  static const std::pair<const char*, int> kPorts[] = {
      {"assistance", 50051}, {"eldercare", 50052}, {"childwelfare", 50053},
      {"governance", 50054}, {"socialorg", 50055}, {"affairs", 50056}};
  EnvReader env;
  ReportConfig config;
  std::vector<std::string> errors;
  for (const auto& [name, port] : kPorts) {
    const std::string variable = absl::StrCat("CIVIL_", absl::AsciiStrToUpper(name), "_ADDR");
    const std::string address = env.String(variable, absl::StrCat("127.0.0.1:", port));
    std::string host;
    int p = 0;
    if (absl::Status s = SplitHostPort(address, &host, &p); !s.ok()) {
      errors.push_back(absl::StrCat(variable, ": ", s.message()));
    }
    config.addresses[name] = address;
  }
  config.deadline =
      std::chrono::milliseconds(env.Int("CIVIL_REPORT_DEPARTMENT_DEADLINE_MS", 3000, 50, 60000));
  config.bureau = env.String("CIVIL_REPORT_BUREAU", "枞阳县民政局");
  if (absl::Status s = env.Status(); !s.ok()) return s;
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  return config;
}

}  // namespace civil::report
