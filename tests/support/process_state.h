// Test helpers about a server process the test froze with SIGSTOP.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace civil::testing {

// Waits until every thread of `pid` is stopped (at most 5 s): kill(SIGSTOP) returns before a
// thread running on another core has been stopped, and in that window it can still answer a
// request.
inline bool WaitUntilStopped(pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    bool all = true;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
      std::ifstream stat(task.path() / "stat");
      std::string line;
      std::getline(stat, line);
      const size_t close = line.rfind(')');  // "tid (comm) S …"
      if (close == std::string::npos || close + 2 >= line.size()) continue;
      const char state = line[close + 2];
      if (state != 'T' && state != 't') all = false;
    }
    if (all) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

}  // namespace civil::testing
