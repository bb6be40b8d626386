// The report's own settings, from the environment:
//   CIVIL_<DEPT>_ADDR                 where each department is [127.0.0.1:<its port>] (as
//                                     `make run` exports them)
//   CIVIL_REPORT_DEPARTMENT_DEADLINE_MS  how long the report waits for a department's summary
//                                     [3000] (50..60000)
//   CIVIL_REPORT_BUREAU               the name signing the document [枞阳县民政局]
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace civil::report {

struct ReportConfig {
  std::map<std::string, std::string> addresses;  // department → host:port
  std::chrono::milliseconds deadline{3000};
  std::string bureau;
};

// INVALID_ARGUMENT naming every malformed variable.
absl::StatusOr<ReportConfig> LoadReportConfig();

}  // namespace civil::report
