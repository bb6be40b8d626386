#include "gateway/log.h"

#include <time.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

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

namespace {

void WriteAll(absl::string_view text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
}

// The queue of QueueLine(), drained by one writer thread. Never destroyed: io threads may log
// while the process exits.
class LineQueue {
 public:
  static LineQueue& Get() {
    static LineQueue* queue = new LineQueue();
    return *queue;
  }

  void Add(absl::string_view line) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!started_) {
        started_ = true;
        std::thread([this] { Run(); }).detach();
      }
      wake = pending_.empty() || pending_.size() >= kBatchBytes;
      pending_.append(line.data(), line.size());
      pending_.push_back('\n');
    }
    if (wake) ready_.notify_one();
  }

  // Writes what is queued, then `line` (if any), in order.
  void Flush(absl::string_view line = {}) {
    std::lock_guard<std::mutex> write_lock(write_mu_);
    std::string batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(pending_);
    }
    batch.append(line.data(), line.size());
    WriteAll(batch);
  }

 private:
  static constexpr size_t kBatchBytes = 64 * 1024;

  void Run() {
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return !pending_.empty(); });
        if (pending_.size() < kBatchBytes) {
          // Let the batch fill up for a while (or until it is large).
          ready_.wait_for(lock, std::chrono::milliseconds(kLogFlushIntervalMs),
                          [this] { return pending_.size() >= kBatchBytes; });
        }
      }
      Flush();
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::string pending_;  // guarded by mu_
  bool started_ = false;
  std::mutex write_mu_;  // one writer at a time, so batches stay in order
};

}  // namespace

void WriteLine(std::string line) {
  line.push_back('\n');
  LineQueue::Get().Flush(line);
}

void QueueLine(absl::string_view line) { LineQueue::Get().Add(line); }

void FlushLines() { LineQueue::Get().Flush(); }

void LogEvent(absl::string_view level, absl::string_view message) {
  std::string line = "{\"ts\":\"";
  AppendTimestamp(&line);
  absl::StrAppend(&line, "\",\"level\":\"", level, "\",\"component\":\"gateway\",\"msg\":");
  AppendJsonString(message, &line);
  line.push_back('}');
  WriteLine(std::move(line));
}

}  // namespace civil::gateway
