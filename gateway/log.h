// Structured logging of the gateway: one JSON object per line on stderr, whole lines per write(2)
// so lines from concurrent threads never interleave. Access-log lines are batched (QueueLine) so
// that serving a request costs no system call for its log line. Never log bodies or query
// strings: they may carry ID numbers and names.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace civil::gateway {

// Appends the current UTC time as `2024-05-01T08:00:00.123Z` (cheap: the part up to the second is
// formatted once a second per thread).
void AppendTimestamp(std::string* out);

// Appends `seconds` as milliseconds with three decimals (`12.345`).
void AppendMillis(double seconds, std::string* out);

// Writes `line` plus a newline to stderr in one write(2), after the queued lines. Errors are
// ignored (nowhere to report).
void WriteLine(std::string line);

// Queues `line` plus a newline for a background thread that writes what has queued up every
// kLogFlushInterval (or once 64 KiB are waiting) in one write(2). Used for the access log.
void QueueLine(absl::string_view line);
inline constexpr int kLogFlushIntervalMs = 20;

// Writes the queued lines now (e.g. before exiting).
void FlushLines();

// `{"ts":…,"level":<level>,"component":"gateway","msg":<message>}`.
void LogEvent(absl::string_view level, absl::string_view message);

}  // namespace civil::gateway
