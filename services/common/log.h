// Structured logging: one JSON object per line on stderr (spdlog), for every process.
//
// Never put a name, an ID number or a request body into a log field: log ids, codes, counts.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/strings/string_view.h"

namespace civil {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogValue = std::variant<absl::string_view, int64_t, double, bool>;
using LogField = std::pair<absl::string_view, LogValue>;

// Writes {"ts":…,"level":…,"component":…,"msg":…,<fields>} as one line. Thread-safe; never throws.
void Log(LogLevel level, absl::string_view msg, std::initializer_list<LogField> fields = {});

// Names the process in every line ("assistance", "gateway", …). Call once at start-up.
void SetLogComponent(absl::string_view component);

// A fresh random request id (32 hex characters) for calls that arrive without `x-request-id`.
std::string NewRequestId();

// A fresh random (version 4) UUID in canonical form.
std::string NewUuid();

}  // namespace civil
