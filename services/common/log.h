// Structured logging, for every process (services and the gateway): one JSON object per line on
// stderr, through spdlog. Library `civil_log` (spdlog, Abseil, OpenSSL's RNG only), so the gateway
// links it without the services' runtime.
//
// A line is {"ts":"2024-05-01T08:00:00.123Z","level":…,"component":…,"msg":…,<fields>}: `ts` in
// UTC with milliseconds, `level` one of debug, info, warn, error, `component` the process
// (SetLogComponent), then the fields in the order given. Strings are JSON-escaped (control
// characters as \n, \t, \u00XX; invalid UTF-8 as U+FFFD), doubles print in their shortest form
// (NaN and infinities as null). Fields must not reuse the four names above.
//
// Lines never interleave: each reaches stderr whole, in one write(2) with the lines before it.
// Log() writes at once (after any queued lines, so the order holds); LogQueued() only queues the
// line for a background writer that writes what has queued up every kLogFlushIntervalMs (or per
// 64 KiB) in one write(2), so a request's log line costs its thread no system call (the
// gateway's access log). If stderr stops draining, at most 16 MiB queue up; lines beyond are
// dropped and counted in a "log lines dropped" line.
//
// Never put a name, an ID number, a query string or a request body into a log field: log ids,
// codes, counts, route templates.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace civil {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogValue = std::variant<absl::string_view, int64_t, double, bool>;
using LogField = std::pair<absl::string_view, LogValue>;

// Writes the line now. Thread-safe; never throws.
void Log(LogLevel level, absl::string_view msg, std::initializer_list<LogField> fields = {});
void Log(LogLevel level, absl::string_view msg, absl::Span<const LogField> fields);

// Queues the line for the background writer (per-request lines on hot threads). Thread-safe;
// never throws; no system call unless the queue was empty (one wake-up of the writer).
void LogQueued(LogLevel level, absl::string_view msg, absl::Span<const LogField> fields);
inline constexpr int kLogFlushIntervalMs = 20;

// Writes the queued lines now (before exiting; also run at exit).
void FlushLog();

// Names the process in every line ("assistance", "gateway", …; "civil" until called). Call once
// at start-up, before other threads log.
void SetLogComponent(absl::string_view component);

// The line Log() writes for an entry at `time`, without the newline.
std::string FormatLogLine(absl::Time time, LogLevel level, absl::string_view msg,
                          absl::Span<const LogField> fields);

// A fresh random request id (32 hex characters) for calls that arrive without `x-request-id`.
std::string NewRequestId();

// A fresh random (version 4) UUID in canonical form.
std::string NewUuid();

}  // namespace civil
