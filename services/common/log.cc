#include "services/common/log.h"

#include <openssl/rand.h>

#include <memory>
#include <mutex>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace civil {
namespace {

std::string& Component() {
  static std::string component = "civil";
  return component;
}

spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("civil-json");
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

const char* LevelName(LogLevel level) {
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

}  // namespace

void SetLogComponent(absl::string_view component) { Component() = std::string(component); }

void Log(LogLevel level, absl::string_view msg, std::initializer_list<LogField> fields) {
  try {
    nlohmann::json line;
    line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
    line["level"] = LevelName(level);
    line["component"] = Component();
    line["msg"] = msg;
    for (const auto& [key, value] : fields) {
      std::visit(
          [&](const auto& v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, absl::string_view>) {
              line[std::string(key)] = std::string(v);
            } else {
              line[std::string(key)] = v;
            }
          },
          value);
    }
    Logger().info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (...) {
    // Logging must never take a request down.
  }
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
