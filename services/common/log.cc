#include "services/common/log.h"

#include <openssl/rand.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "spdlog/logger.h"
#include "spdlog/sinks/sink.h"

namespace civil {
namespace {

using Clock = std::chrono::system_clock;  // spdlog::log_clock

// --- JSON text ---------------------------------------------------------------------------------
//
// A line is written in one pass into a buffer sized for the worst case (an escape is at most six
// bytes per input byte, a number at most 32), with no capacity check or library call per piece:
// on the gateway's io threads the line is part of every request's cost.

// Nonzero if a byte of `w` (a word of 4 or 8 bytes) is < 0x20, >= 0x7f, '"' or '\\'.
template <typename Word>
inline Word SpecialBytes(Word w) {
  constexpr Word kOnes = static_cast<Word>(0x0101010101010101ULL);
  constexpr Word kHigh = static_cast<Word>(0x8080808080808080ULL);
  auto zero_bytes = [](Word v) { return static_cast<Word>((v - kOnes) & ~v); };
  return static_cast<Word>((((w - kOnes * 0x20) & ~w) | w | zero_bytes(w ^ (kOnes * '"')) |
                            zero_bytes(w ^ (kOnes * '\\')) | zero_bytes(w ^ (kOnes * 0x7f))) &
                           kHigh);
}

template <typename Word>
inline Word Load(const char* s) {
  Word w;
  std::memcpy(&w, s, sizeof w);
  return w;
}

// Printable ASCII but '"' and '\\': goes into a JSON string as it is.
inline bool IsPlain(char ch) {
  const unsigned char c = static_cast<unsigned char>(ch);
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

// Copies up to 32 bytes without a call (memcpy of a constant size compiles to moves).
inline char* CopySmall(char* p, const char* s, size_t n) {
  if (n > 32) {
    std::memcpy(p, s, n);
  } else if (n >= 16) {
    std::memcpy(p, s, 16);
    std::memcpy(p + n - 16, s + n - 16, 16);
  } else if (n >= 8) {
    std::memcpy(p, s, 8);
    std::memcpy(p + n - 8, s + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(p, s, 4);
    std::memcpy(p + n - 4, s + n - 4, 4);
  } else {
    for (size_t i = 0; i < n; ++i) p[i] = s[i];
  }
  return p + n;
}

class JsonWriter {
 public:
  // At most this many bytes for `text` escaped, without quotes.
  static size_t EscapedBound(absl::string_view text) { return 6 * text.size(); }

  explicit JsonWriter(char* out) : begin_(out), p_(out) {}

  void Raw(absl::string_view s) { p_ = CopySmall(p_, s.data(), s.size()); }
  void Char(char c) { *p_++ = c; }
  void Bytes(const char* s, size_t n) {
    std::memcpy(p_, s, n);
    p_ += n;
  }

  // `text` JSON-escaped (no quotes): \" \\ \n \r \t, other control characters and DEL as \u00XX,
  // well-formed UTF-8 as it is, any other byte as U+FFFD.
  void Escaped(absl::string_view text) {
    if (Plain(text)) return;
    const char* s = text.data();
    const char* const end = s + text.size();
    while (s < end) {
      // Eight plain bytes at a time.
      while (end - s >= 8) {
        const uint64_t w = Load<uint64_t>(s);
        if (SpecialBytes(w) != 0) break;
        std::memcpy(p_, &w, 8);
        p_ += 8;
        s += 8;
      }
      // Then one at a time (the tail, or up to the byte that needs care).
      while (s < end && IsPlain(*s)) *p_++ = *s++;
      if (s == end) break;
      s = EscapeOne(s, end);
    }
  }

  void Number(int64_t value) { p_ = std::to_chars(p_, p_ + 32, value).ptr; }
  void Number(double value) {
    if (!std::isfinite(value)) {
      Raw("null");
      return;
    }
    p_ = std::to_chars(p_, p_ + 32, value).ptr;  // the shortest form that reads back the same
  }

  // Copies `text` and returns true if no byte of it needs care (the common case: ids, routes,
  // keys), with whole-word loads and stores only; else writes nothing and returns false.
  bool Plain(absl::string_view text) {
    const char* s = text.data();
    const size_t n = text.size();
    if (n >= 8) {
      for (size_t i = 0; i + 8 <= n; i += 8) {
        if (SpecialBytes(Load<uint64_t>(s + i)) != 0) return false;
      }
      if (SpecialBytes(Load<uint64_t>(s + n - 8)) != 0) return false;  // the tail, overlapping
      p_ = CopySmall(p_, s, n);
      return true;
    }
    if (n >= 4) {
      if ((SpecialBytes(Load<uint32_t>(s)) | SpecialBytes(Load<uint32_t>(s + n - 4))) != 0) {
        return false;
      }
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (!IsPlain(s[i])) return false;
      }
    }
    p_ = CopySmall(p_, s, n);
    return true;
  }

  absl::string_view View() const {
    return absl::string_view(begin_, static_cast<size_t>(p_ - begin_));
  }

 private:
  // One character at `s`: printable ASCII, an escape, a UTF-8 sequence or U+FFFD.
  const char* EscapeOne(const char* s, const char* end) {
    static constexpr char kHex[] = "0123456789abcdef";
    const unsigned char c = static_cast<unsigned char>(*s);
    if (c < 0x80) {
      switch (c) {
        case '"':
          Raw("\\\"");
          break;
        case '\\':
          Raw("\\\\");
          break;
        case '\n':
          Raw("\\n");
          break;
        case '\r':
          Raw("\\r");
          break;
        case '\t':
          Raw("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            Raw("\\u00");
            Char(kHex[c >> 4]);
            Char(kHex[c & 0xf]);
          } else {
            Char(static_cast<char>(c));
          }
      }
      return s + 1;
    }
    // A well-formed sequence is copied; anything else (a stray continuation byte, a truncated
    // or overlong sequence, a surrogate, > U+10FFFF) becomes U+FFFD, one per byte.
    const size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = n != 0 && static_cast<size_t>(end - s) >= n;
    uint32_t cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; ok && k < n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      ok = !((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
             cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF));
    }
    if (!ok) {
      Raw("\xEF\xBF\xBD");
      return s + 1;
    }
    p_ = CopySmall(p_, s, n);
    return s + n;
  }

  char* begin_;
  char* p_;
};

// `2024-05-01T08:00:00.123Z`; the part up to the second is formatted once a second per thread.
void WriteTimestamp(Clock::time_point time, JsonWriter* out) {
  const auto since_epoch = time.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  if (seconds > since_epoch) --seconds;  // before 1970: round down
  const int millis = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count());
  thread_local int64_t cached_second = INT64_MIN;
  thread_local char prefix[32];
  thread_local size_t prefix_length = 0;
  if (seconds.count() != cached_second) {
    const time_t t = static_cast<time_t>(seconds.count());
    struct tm tm;
    gmtime_r(&t, &tm);
    prefix_length = strftime(prefix, 27, "%Y-%m-%dT%H:%M:%S.", &tm);  // years 0-9999: 20 bytes
    cached_second = seconds.count();
  }
  out->Bytes(prefix, prefix_length);
  out->Char(static_cast<char>('0' + millis / 100));
  out->Char(static_cast<char>('0' + millis / 10 % 10));
  out->Char(static_cast<char>('0' + millis % 10));
  out->Char('Z');
}

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

spdlog::level::level_enum SpdlogLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

// The component escaped (no quotes). Replaced once at start-up, never freed (lines may be
// formatted while it is replaced).
std::atomic<const std::string*> g_component{new std::string("civil")};

// Enough bytes for any line of these parts.
size_t LineBound(absl::string_view msg, absl::Span<const LogField> fields,
                 const std::string& component) {
  size_t bound = 96 + component.size() + JsonWriter::EscapedBound(msg);
  for (const auto& [key, value] : fields) {
    bound += 8 + JsonWriter::EscapedBound(key);
    bound += value.index() == 0 ? JsonWriter::EscapedBound(std::get<absl::string_view>(value)) : 32;
  }
  return bound;
}

// The line into `buffer` (grown to LineBound if needed).
absl::string_view WriteLine(Clock::time_point time, LogLevel level, absl::string_view msg,
                            absl::Span<const LogField> fields, std::vector<char>* buffer) {
  const std::string& component = *g_component.load(std::memory_order_acquire);
  const size_t bound = LineBound(msg, fields, component);
  if (buffer->size() < bound) buffer->resize(std::max(bound, buffer->size() * 2));
  JsonWriter out(buffer->data());
  out.Raw("{\"ts\":\"");
  WriteTimestamp(time, &out);
  out.Raw("\",\"level\":\"");
  out.Raw(LevelName(level));
  out.Raw("\",\"component\":\"");
  out.Raw(component);
  out.Raw("\",\"msg\":\"");
  out.Escaped(msg);
  out.Char('"');
  for (const auto& [key, value] : fields) {
    out.Raw(",\"");
    out.Escaped(key);
    out.Raw("\":");
    switch (value.index()) {
      case 0:
        out.Char('"');
        out.Escaped(std::get<absl::string_view>(value));
        out.Char('"');
        break;
      case 1:
        out.Number(std::get<int64_t>(value));
        break;
      case 2:
        out.Number(std::get<double>(value));
        break;
      default:
        out.Raw(std::get<bool>(value) ? "true" : "false");
    }
  }
  out.Char('}');
  return out.View();
}

// --- the sink ----------------------------------------------------------------------------------

void WriteAll(absl::string_view text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // nowhere to report
    done += static_cast<size_t>(n);
  }
}

constexpr absl::string_view kLoggerName = "civil";
constexpr absl::string_view kQueuedLoggerName = "civil-queued";

// The one sink of both loggers: the formatted lines (the spdlog payload is the whole JSON line)
// are appended to a buffer; flush() writes the buffer in one write(2). The "civil" logger flushes
// after every line; lines of "civil-queued" wait for the writer thread, started by the first.
// Appending never waits for a write: one mutex guards the buffer, another orders the writes.
class StderrBatchSink final : public spdlog::sinks::sink {
 public:
  static constexpr size_t kBatchBytes = 64 * 1024;
  static constexpr size_t kMaxPendingBytes = 16 * 1024 * 1024;

  void log(const spdlog::details::log_msg& msg) override {
    const bool queued =
        absl::string_view(msg.logger_name.data(), msg.logger_name.size()) == kQueuedLoggerName;
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (pending_.size() + msg.payload.size() >= kMaxPendingBytes) {
        ++dropped_;
        return;
      }
      if (queued) {
        if (!started_) {
          started_ = true;
          std::thread([this] { Run(); }).detach();
          std::atexit(FlushLog);
        }
        wake = pending_.empty() || pending_.size() >= kBatchBytes;
      }
      pending_.append(msg.payload.data(), msg.payload.size());
      pending_.push_back('\n');
    }
    if (wake) ready_.notify_one();
  }

  // Writes what has queued up, in order.
  void flush() override {
    std::lock_guard<std::mutex> write_lock(write_mu_);
    int64_t dropped = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch_.swap(pending_);
      std::swap(dropped, dropped_);
    }
    if (dropped > 0) {
      const LogField fields[] = {{"lines", dropped}};
      std::vector<char> buffer;
      const absl::string_view line =
          WriteLine(Clock::now(), LogLevel::kWarn, "log lines dropped", fields, &buffer);
      batch_.append(line.data(), line.size());
      batch_.push_back('\n');
    }
    WriteAll(batch_);
    batch_.clear();
    if (batch_.capacity() > kBatchBytes * 4) batch_.shrink_to_fit();
  }

  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}

 private:
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
      flush();
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::string pending_;   // guarded by mu_
  int64_t dropped_ = 0;   // guarded by mu_
  bool started_ = false;  // guarded by mu_
  std::mutex write_mu_;   // one writer at a time, so batches stay in order
  std::string batch_;     // guarded by write_mu_
};

struct Loggers {
  std::shared_ptr<spdlog::logger> now;
  std::shared_ptr<spdlog::logger> queued;
};

// Never destroyed: threads may log while the process exits.
const Loggers& GetLoggers() {
  static const Loggers* loggers = [] {
    auto sink = std::make_shared<StderrBatchSink>();
    auto* l = new Loggers{std::make_shared<spdlog::logger>(std::string(kLoggerName), sink),
                          std::make_shared<spdlog::logger>(std::string(kQueuedLoggerName), sink)};
    l->now->set_level(spdlog::level::trace);
    l->now->flush_on(spdlog::level::trace);
    l->queued->set_level(spdlog::level::trace);
    l->queued->flush_on(spdlog::level::off);
    return l;
  }();
  return *loggers;
}

void Emit(spdlog::logger& logger, LogLevel level, absl::string_view msg,
          absl::Span<const LogField> fields) {
  try {
    thread_local std::vector<char> buffer;  // reused: no allocation per line
    const Clock::time_point now = Clock::now();
    const absl::string_view line = WriteLine(now, level, msg, fields, &buffer);
    logger.log(now, spdlog::source_loc{}, SpdlogLevel(level),
               spdlog::string_view_t(line.data(), line.size()));
    if (buffer.size() > 64 * 1024) std::vector<char>().swap(buffer);
  } catch (...) {
    // Logging must never take a request down.
  }
}

}  // namespace

void Log(LogLevel level, absl::string_view msg, std::initializer_list<LogField> fields) {
  Emit(*GetLoggers().now, level, msg, absl::MakeConstSpan(fields.begin(), fields.size()));
}

void Log(LogLevel level, absl::string_view msg, absl::Span<const LogField> fields) {
  Emit(*GetLoggers().now, level, msg, fields);
}

void LogQueued(LogLevel level, absl::string_view msg, absl::Span<const LogField> fields) {
  Emit(*GetLoggers().queued, level, msg, fields);
}

void FlushLog() {
  try {
    GetLoggers().queued->flush();
  } catch (...) {
  }
}

void SetLogComponent(absl::string_view component) {
  std::vector<char> buffer(JsonWriter::EscapedBound(component));
  JsonWriter out(buffer.data());
  out.Escaped(component);
  // The old one is leaked on purpose.
  g_component.store(new std::string(out.View()), std::memory_order_release);
}

std::string FormatLogLine(absl::Time time, LogLevel level, absl::string_view msg,
                          absl::Span<const LogField> fields) {
  std::vector<char> buffer;
  return std::string(
      WriteLine(std::chrono::time_point_cast<Clock::duration>(absl::ToChronoTime(time)), level, msg,
                fields, &buffer));
}

std::string NewRequestId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    uint64_t t = absl::ToUnixNanos(absl::Now());
    for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(t >> ((i % 8) * 8));
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int i = 0; i < 16; ++i) {
    id[2 * i] = kHex[bytes[i] >> 4];
    id[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return id;
}

std::string NewUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) {
    const std::string id = NewRequestId();
    for (int i = 0; i < 16; ++i) b[i] = static_cast<unsigned char>(id[i] * 31 + id[i + 16]);
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xf]);
  }
  return out;
}

}  // namespace civil
