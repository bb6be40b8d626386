// The gateway's settings: command-line flags over environment variables over defaults, parsed
// once at start-up into a typed struct; any bad value fails fast with a message naming it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil::gateway {

struct GatewayConfig {
  // FileDescriptorSet of the services (--descriptor-set, CIVIL_GATEWAY_DESCRIPTOR_SET). Required.
  std::string descriptor_set;
  // HTTP listen address (--listen, CIVIL_GATEWAY_LISTEN).
  std::string listen = "127.0.0.1:8080";
  // Prometheus /metrics address (--metrics-listen, CIVIL_GATEWAY_METRICS_LISTEN); "off" disables.
  std::string metrics_listen = "127.0.0.1:9100";
  // Backend address overrides: full service name → gRPC target (--backend S=ADDR, repeatable;
  // CIVIL_GATEWAY_BACKENDS="S=ADDR,S=ADDR").
  std::vector<std::pair<std::string, std::string>> backends;
  // io threads (--threads, CIVIL_GATEWAY_THREADS), 1..256.
  int threads = 2;
  // Deadline of each backend call (--deadline-ms, CIVIL_GATEWAY_DEADLINE_MS), 1..3600000.
  int deadline_ms = 10000;
  // Largest accepted request body (--max-body-bytes, CIVIL_GATEWAY_MAX_BODY_BYTES).
  uint64_t max_body_bytes = 1 << 20;
  // Largest accepted request line + headers (--max-header-bytes, CIVIL_GATEWAY_MAX_HEADER_BYTES).
  uint32_t max_header_bytes = 16 * 1024;
  // Keep-alive idle timeout (--idle-timeout-s, CIVIL_GATEWAY_IDLE_TIMEOUT_S).
  int idle_timeout_s = 60;
  // Response field names: lowerCamelCase JSON names (false) or proto names (true)
  // (--json-names=camel|proto, CIVIL_GATEWAY_JSON_NAMES).
  bool proto_field_names = false;
  // One JSON line per request on stderr (--access-log=true|false, CIVIL_GATEWAY_ACCESS_LOG).
  bool access_log = true;
  // Set by --help: print the usage and exit.
  bool help = false;
};

// Reads an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(absl::string_view)>;

// The process environment.
std::optional<std::string> ProcessEnv(absl::string_view name);

// Parses flags (`--name value` or `--name=value`; argv[0] is skipped) over `env` over defaults.
// Returns INVALID_ARGUMENT naming the flag or variable for an unknown flag, a missing or malformed
// value, or a missing descriptor set (unless --help).
absl::StatusOr<GatewayConfig> ParseConfig(int argc, const char* const* argv, const EnvLookup& env);

// The --help text.
std::string Usage();

// The backend address of `service` (full name, e.g. `civil.assistance.v1.HouseholdService`): an
// override from `config.backends`, else for package `civil.<dept>.v1` the variable
// CIVIL_<DEPT>_ADDR, else the department's default port on 127.0.0.1 (assistance 50051, eldercare
// 50052, childwelfare 50053, governance 50054, socialorg 50055, affairs 50056). Returns NOT_FOUND
// when none applies (pass --backend).
absl::StatusOr<std::string> BackendAddress(const GatewayConfig& config, absl::string_view service,
                                           const EnvLookup& env);

}  // namespace civil::gateway
