#include "gateway/log.h"

#include <time.h>
#include <unistd.h>

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "gateway/http_errors.h"

namespace civil::gateway {

void AppendTimestamp(std::string* out) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  thread_local time_t cached_second = -1;
  thread_local char prefix[32];
  thread_local size_t prefix_length = 0;
  if (ts.tv_sec != cached_second) {
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    prefix_length = strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S.", &tm);
    cached_second = ts.tv_sec;
  }
  out->append(prefix, prefix_length);
  int millis = static_cast<int>(ts.tv_nsec / 1000000);
  out->push_back(static_cast<char>('0' + millis / 100));
  out->push_back(static_cast<char>('0' + millis / 10 % 10));
  out->push_back(static_cast<char>('0' + millis % 10));
  out->push_back('Z');
}

void AppendMillis(double seconds, std::string* out) {
  uint64_t micros = static_cast<uint64_t>(seconds * 1e6 + 0.5);
  absl::StrAppend(out, micros / 1000, ".");
  uint64_t frac = micros % 1000;
  out->push_back(static_cast<char>('0' + frac / 100));
  out->push_back(static_cast<char>('0' + frac / 10 % 10));
  out->push_back(static_cast<char>('0' + frac % 10));
}

void WriteLine(std::string line) {
  line.push_back('\n');
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
}

void LogEvent(absl::string_view level, absl::string_view message) {
  std::string line = "{\"ts\":\"";
  AppendTimestamp(&line);
  absl::StrAppend(&line, "\",\"level\":\"", level, "\",\"component\":\"gateway\",\"msg\":");
  AppendJsonString(message, &line);
  line.push_back('}');
  WriteLine(std::move(line));
}

}  // namespace civil::gateway
