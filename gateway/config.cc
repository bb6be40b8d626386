#include "gateway/config.h"

#include <cstdlib>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace civil::gateway {
namespace {

// One setting: its flag name (without `--`) and environment variable.
struct Setting {
  absl::string_view flag;
  absl::string_view env;
};

constexpr Setting kDescriptorSet = {"descriptor-set", "CIVIL_GATEWAY_DESCRIPTOR_SET"};
constexpr Setting kListen = {"listen", "CIVIL_GATEWAY_LISTEN"};
constexpr Setting kMetricsListen = {"metrics-listen", "CIVIL_GATEWAY_METRICS_LISTEN"};
constexpr Setting kBackend = {"backend", "CIVIL_GATEWAY_BACKENDS"};
constexpr Setting kThreads = {"threads", "CIVIL_GATEWAY_THREADS"};
constexpr Setting kDeadline = {"deadline-ms", "CIVIL_GATEWAY_DEADLINE_MS"};
constexpr Setting kMaxBody = {"max-body-bytes", "CIVIL_GATEWAY_MAX_BODY_BYTES"};
constexpr Setting kMaxHeader = {"max-header-bytes", "CIVIL_GATEWAY_MAX_HEADER_BYTES"};
constexpr Setting kIdleTimeout = {"idle-timeout-s", "CIVIL_GATEWAY_IDLE_TIMEOUT_S"};
constexpr Setting kJsonNames = {"json-names", "CIVIL_GATEWAY_JSON_NAMES"};
constexpr Setting kAccessLog = {"access-log", "CIVIL_GATEWAY_ACCESS_LOG"};
constexpr Setting kAll[] = {kDescriptorSet, kListen,    kMetricsListen, kBackend,
                            kThreads,       kDeadline,  kMaxBody,       kMaxHeader,
                            kIdleTimeout,   kJsonNames, kAccessLog};

absl::Status Bad(absl::string_view source, absl::string_view value, absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ": invalid value \"", value, "\" (expected ", expected, ")"));
}

template <typename Int>
absl::Status ParseInt(absl::string_view source, absl::string_view text, Int min, Int max,
                      Int* out) {
  Int v;
  if (!absl::SimpleAtoi(text, &v) || v < min || v > max) {
    return Bad(source, text, absl::StrCat("an integer in ", min, "..", max));
  }
  *out = v;
  return absl::OkStatus();
}

absl::Status ParseBoolValue(absl::string_view source, absl::string_view text, bool* out) {
  if (!absl::SimpleAtob(text, out)) return Bad(source, text, "true or false");
  return absl::OkStatus();
}

absl::Status CheckHostPort(absl::string_view source, absl::string_view text) {
  absl::string_view host = text;
  absl::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find("]:");
    if (close == absl::string_view::npos) return Bad(source, text, "host:port");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) return Bad(source, text, "host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  uint32_t n;
  if (host.empty() || port.empty() || !absl::c_all_of(port, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port, &n) || n > 65535) {
    return Bad(source, text, "host:port with a port in 0..65535");
  }
  return absl::OkStatus();
}

absl::Status AddBackend(absl::string_view source, absl::string_view text, GatewayConfig* config) {
  std::pair<absl::string_view, absl::string_view> kv =
      absl::StrSplit(text, absl::MaxSplits('=', 1));
  absl::string_view service = absl::StripAsciiWhitespace(kv.first);
  absl::string_view address = absl::StripAsciiWhitespace(kv.second);
  if (service.empty() || address.empty() || service.find(' ') != absl::string_view::npos ||
      address.find(' ') != absl::string_view::npos) {
    return Bad(source, text, "<full service name>=<host:port>");
  }
  for (const auto& [s, a] : config->backends) {
    if (s == service) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": backend of ", service, " given twice"));
    }
  }
  config->backends.emplace_back(service, address);
  return absl::OkStatus();
}

absl::Status Apply(const Setting& setting, absl::string_view source, absl::string_view value,
                   GatewayConfig* config) {
  absl::string_view name = setting.flag;
  if (name == kDescriptorSet.flag) {
    if (value.empty()) return Bad(source, value, "a file path");
    config->descriptor_set = std::string(value);
  } else if (name == kListen.flag) {
    if (absl::Status s = CheckHostPort(source, value); !s.ok()) return s;
    config->listen = std::string(value);
  } else if (name == kMetricsListen.flag) {
    if (value != "off") {
      if (absl::Status s = CheckHostPort(source, value); !s.ok()) return s;
    }
    config->metrics_listen = std::string(value);
  } else if (name == kBackend.flag) {
    if (source.substr(0, 2) == "--") return AddBackend(source, value, config);
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      if (absl::Status s = AddBackend(source, item, config); !s.ok()) return s;
    }
  } else if (name == kThreads.flag) {
    return ParseInt(source, value, 1, 256, &config->threads);
  } else if (name == kDeadline.flag) {
    return ParseInt(source, value, 1, 3600000, &config->deadline_ms);
  } else if (name == kMaxBody.flag) {
    return ParseInt<uint64_t>(source, value, 1, uint64_t{1} << 32, &config->max_body_bytes);
  } else if (name == kMaxHeader.flag) {
    return ParseInt<uint32_t>(source, value, 1024, 1 << 20, &config->max_header_bytes);
  } else if (name == kIdleTimeout.flag) {
    return ParseInt(source, value, 1, 86400, &config->idle_timeout_s);
  } else if (name == kJsonNames.flag) {
    if (value == "camel") {
      config->proto_field_names = false;
    } else if (value == "proto") {
      config->proto_field_names = true;
    } else {
      return Bad(source, value, "camel or proto");
    }
  } else if (name == kAccessLog.flag) {
    return ParseBoolValue(source, value, &config->access_log);
  }
  return absl::OkStatus();
}

struct Department {
  absl::string_view name;
  int port;
};
constexpr Department kDepartments[] = {{"assistance", 50051},   {"eldercare", 50052},
                                       {"childwelfare", 50053}, {"governance", 50054},
                                       {"socialorg", 50055},    {"affairs", 50056}};

}  // namespace

std::optional<std::string> ProcessEnv(absl::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

absl::StatusOr<GatewayConfig> ParseConfig(int argc, const char* const* argv, const EnvLookup& env) {
  GatewayConfig config;
  for (const Setting& setting : kAll) {
    if (std::optional<std::string> value = env(setting.env); value.has_value()) {
      if (absl::Status s = Apply(setting, setting.env, *value, &config); !s.ok()) return s;
    }
  }
  bool backends_from_flags = false;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      config.help = true;
      return config;
    }
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", arg, "\""));
    }
    absl::string_view name = arg;
    std::optional<absl::string_view> value;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const Setting* setting = nullptr;
    for (const Setting& s : kAll) {
      if (s.flag == name) setting = &s;
    }
    if (setting == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    if (!value.has_value()) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
      value = argv[++i];
    }
    if (setting->flag == kBackend.flag && !backends_from_flags) {
      config.backends.clear();  // flags replace the environment's list
      backends_from_flags = true;
    }
    if (absl::Status s = Apply(*setting, absl::StrCat("--", name), *value, &config); !s.ok()) {
      return s;
    }
  }
  if (config.descriptor_set.empty()) {
    return absl::InvalidArgumentError(
        "no descriptor set: pass --descriptor-set PATH or set CIVIL_GATEWAY_DESCRIPTOR_SET");
  }
  return config;
}

std::string Usage() {
  return R"(gateway: HTTP/JSON gateway in front of the platform's gRPC services.
Routes come from the google.api.http rules in the descriptor set; nothing is per route.

Flags (each also settable by the environment variable shown; flags win):
  --descriptor-set PATH     FileDescriptorSet with imports (CIVIL_GATEWAY_DESCRIPTOR_SET), required
  --listen HOST:PORT        HTTP address (CIVIL_GATEWAY_LISTEN, default 127.0.0.1:8080)
  --metrics-listen HOST:PORT|off
                            Prometheus /metrics (CIVIL_GATEWAY_METRICS_LISTEN, default 127.0.0.1:9100)
  --backend SERVICE=ADDR    backend of a full service name, repeatable
                            (CIVIL_GATEWAY_BACKENDS=S=ADDR,S=ADDR); otherwise civil.<dept>.v1
                            services use CIVIL_<DEPT>_ADDR or 127.0.0.1:5005x
  --threads N               io threads (CIVIL_GATEWAY_THREADS, default 2)
  --deadline-ms N           deadline of each backend call (CIVIL_GATEWAY_DEADLINE_MS, default 10000)
  --max-body-bytes N        larger bodies get 413 (CIVIL_GATEWAY_MAX_BODY_BYTES, default 1048576)
  --max-header-bytes N      larger headers get 431 (CIVIL_GATEWAY_MAX_HEADER_BYTES, default 16384)
  --idle-timeout-s N        keep-alive idle timeout (CIVIL_GATEWAY_IDLE_TIMEOUT_S, default 60)
  --json-names camel|proto  response field names (CIVIL_GATEWAY_JSON_NAMES, default camel)
  --access-log true|false   one JSON line per request on stderr (CIVIL_GATEWAY_ACCESS_LOG, default true)
  --help
)";
}

absl::StatusOr<std::string> BackendAddress(const GatewayConfig& config, absl::string_view service,
                                           const EnvLookup& env) {
  for (const auto& [name, address] : config.backends) {
    if (name == service) return address;
  }
  // civil.<dept>.v1.<Service>
  std::vector<absl::string_view> parts = absl::StrSplit(service, '.');
  if (parts.size() == 4 && parts[0] == "civil" && parts[2] == "v1") {
    std::string variable = absl::StrCat("CIVIL_", absl::AsciiStrToUpper(parts[1]), "_ADDR");
    if (std::optional<std::string> address = env(variable);
        address.has_value() && !address->empty()) {
      return *address;
    }
    for (const Department& d : kDepartments) {
      if (d.name == parts[1]) return absl::StrCat("127.0.0.1:", d.port);
    }
    return absl::NotFoundError(absl::StrCat("no backend address for ", service, ": set ", variable,
                                            " or pass --backend ", service, "=HOST:PORT"));
  }
  return absl::NotFoundError(
      absl::StrCat("no backend address for ", service, ": pass --backend ", service, "=HOST:PORT"));
}

}  // namespace civil::gateway
