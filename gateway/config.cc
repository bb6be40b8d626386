#include "gateway/config.h"

#include <cstdlib>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gateway/client_ip.h"

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
constexpr Setting kFastJson = {"fast-json", "CIVIL_GATEWAY_FAST_JSON"};
constexpr Setting kH2Unary = {"h2-unary", "CIVIL_GATEWAY_H2_UNARY"};
constexpr Setting kAuth = {"auth", "CIVIL_GATEWAY_AUTH"};
constexpr Setting kJwtIssuer = {"jwt-issuer", "CIVIL_GATEWAY_JWT_ISSUER"};
constexpr Setting kJwtAudience = {"jwt-audience", "CIVIL_GATEWAY_JWT_AUDIENCE"};
constexpr Setting kJwtKeys = {"jwt-keys", "CIVIL_GATEWAY_JWT_KEYS"};
constexpr Setting kJwtHs256 = {"jwt-hs256-secret-file", "CIVIL_GATEWAY_JWT_HS256_SECRET_FILE"};
constexpr Setting kJwtLeeway = {"jwt-leeway-s", "CIVIL_GATEWAY_JWT_LEEWAY_S"};
constexpr Setting kRedis = {"redis", "CIVIL_REDIS_ADDR"};
constexpr Setting kRateLimit = {"rate-limit", "CIVIL_GATEWAY_RATE_LIMITS"};
constexpr Setting kMaxDeadline = {"max-deadline-ms", "CIVIL_GATEWAY_MAX_DEADLINE_MS"};
constexpr Setting kCors = {"cors-origins", "CIVIL_GATEWAY_CORS_ORIGINS"};
constexpr Setting kTrustedProxies = {"trusted-proxies", "CIVIL_GATEWAY_TRUSTED_PROXIES"};
constexpr Setting kGzip = {"gzip-min-bytes", "CIVIL_GATEWAY_GZIP_MIN_BYTES"};
constexpr Setting kTlsCert = {"tls-cert", "CIVIL_GATEWAY_TLS_CERT"};
constexpr Setting kTlsKey = {"tls-key", "CIVIL_GATEWAY_TLS_KEY"};
constexpr Setting kPlaintext = {"plaintext", "CIVIL_GATEWAY_PLAINTEXT"};
constexpr Setting kDocsDir = {"docs-dir", "CIVIL_GATEWAY_DOCS_DIR"};
constexpr Setting kAll[] = {
    kDescriptorSet, kListen,      kMetricsListen,  kBackend,   kThreads,   kDeadline,
    kMaxBody,       kMaxHeader,   kIdleTimeout,    kJsonNames, kAccessLog, kAuth,
    kJwtIssuer,     kJwtAudience, kJwtKeys,        kJwtHs256,  kJwtLeeway, kRedis,
    kRateLimit,     kMaxDeadline, kCors,           kGzip,      kTlsCert,   kTlsKey,
    kPlaintext,     kDocsDir,     kTrustedProxies, kFastJson,  kH2Unary};
// Settings whose flag may repeat, each adding to a list (the environment gives a comma list).
constexpr absl::string_view kListFlags[] = {"backend", "jwt-keys", "rate-limit", "cors-origins",
                                            "trusted-proxies"};

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

// CLASS.SCOPE=RATE/BURST, e.g. `read.subject=50/100`, or `off`.
absl::Status AddRateLimit(absl::string_view source, absl::string_view text, GatewayConfig* config) {
  text = absl::StripAsciiWhitespace(text);
  if (text == "off") {
    config->rate_limit = false;
    return absl::OkStatus();
  }
  std::pair<absl::string_view, absl::string_view> kv =
      absl::StrSplit(text, absl::MaxSplits('=', 1));
  std::pair<absl::string_view, absl::string_view> rb =
      absl::StrSplit(kv.second, absl::MaxSplits('/', 1));
  GatewayConfig::Bucket* bucket = nullptr;
  if (kv.first == "read.subject") bucket = &config->read_subject;
  if (kv.first == "read.ip") bucket = &config->read_ip;
  if (kv.first == "write.subject") bucket = &config->write_subject;
  if (kv.first == "write.ip") bucket = &config->write_ip;
  double rate;
  int burst;
  if (bucket == nullptr || !absl::SimpleAtod(rb.first, &rate) || !(rate > 0) || rate > 1e6 ||
      !absl::SimpleAtoi(rb.second, &burst) || burst < 1 || burst > 1000000) {
    return Bad(source, text,
               "off or {read,write}.{subject,ip}=RATE/BURST, e.g. read.subject=50/100");
  }
  *bucket = GatewayConfig::Bucket{rate, burst};
  config->rate_limit = true;
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
  } else if (name == kFastJson.flag) {
    return ParseBoolValue(source, value, &config->fast_json);
  } else if (name == kH2Unary.flag) {
    return ParseBoolValue(source, value, &config->h2_unary);
  } else if (name == kAuth.flag) {
    if (value == "jwt") {
      config->auth_off = false;
    } else if (value == "off") {
      config->auth_off = true;
    } else {
      return Bad(source, value, "jwt or off");
    }
  } else if (name == kJwtIssuer.flag) {
    config->jwt_issuer = std::string(value);
  } else if (name == kJwtAudience.flag) {
    config->jwt_audience = std::string(value);
  } else if (name == kJwtKeys.flag) {
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      config->jwt_keys.emplace_back(absl::StripAsciiWhitespace(item));
    }
  } else if (name == kJwtHs256.flag) {
    config->jwt_hs256_secret_file = std::string(value);
  } else if (name == kJwtLeeway.flag) {
    return ParseInt(source, value, 0, 300, &config->jwt_leeway_s);
  } else if (name == kRedis.flag) {
    if (value.empty() || value == "off") {
      config->redis.clear();
      return absl::OkStatus();
    }
    if (absl::Status s = CheckHostPort(source, value); !s.ok()) return s;
    config->redis = std::string(value);
  } else if (name == kRateLimit.flag) {
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      if (absl::Status s = AddRateLimit(source, item, config); !s.ok()) return s;
    }
  } else if (name == kMaxDeadline.flag) {
    return ParseInt(source, value, 1, 3600000, &config->max_deadline_ms);
  } else if (name == kCors.flag) {
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      item = absl::StripAsciiWhitespace(item);
      if (item != "*" && !absl::StartsWith(item, "http://") &&
          !absl::StartsWith(item, "https://")) {
        return Bad(source, item, "* or origins like https://app.example.gov");
      }
      config->cors_origins.emplace_back(absl::StripSuffix(item, "/"));
    }
  } else if (name == kTrustedProxies.flag) {
    std::vector<std::string> added;
    for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      added.emplace_back(absl::StripAsciiWhitespace(item));
    }
    absl::StatusOr<TrustedProxies> parsed = TrustedProxies::Parse(added);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ": ", parsed.status().message()));
    }
    config->trusted_proxies.insert(config->trusted_proxies.end(), added.begin(), added.end());
  } else if (name == kGzip.flag) {
    return ParseInt(source, value, 0, 1 << 30, &config->gzip_min_bytes);
  } else if (name == kTlsCert.flag) {
    config->tls_cert = std::string(value);
  } else if (name == kTlsKey.flag) {
    config->tls_key = std::string(value);
  } else if (name == kPlaintext.flag) {
    return ParseBoolValue(source, value, &config->plaintext);
  } else if (name == kDocsDir.flag) {
    config->docs_dir = std::string(value);
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
  std::vector<absl::string_view> lists_from_flags;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      config.help = true;
      return config;
    }
    if (arg == "--print-openapi") {
      config.print_openapi = true;
      continue;
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
    if (!value.has_value() && setting->flag == kPlaintext.flag) {
      value = "true";  // --plaintext alone
    }
    if (!value.has_value()) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
      value = argv[++i];
    }
    if (absl::c_linear_search(kListFlags, setting->flag) &&
        !absl::c_linear_search(lists_from_flags, setting->flag)) {
      // Flags replace the environment's list.
      if (setting->flag == kBackend.flag) config.backends.clear();
      if (setting->flag == kJwtKeys.flag) config.jwt_keys.clear();
      if (setting->flag == kCors.flag) config.cors_origins.clear();
      if (setting->flag == kTrustedProxies.flag) config.trusted_proxies.clear();
      lists_from_flags.push_back(setting->flag);
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

bool IsLoopbackListen(absl::string_view listen) {
  absl::string_view host = listen.substr(0, listen.rfind(':'));
  host = absl::StripPrefix(absl::StripSuffix(host, "]"), "[");
  return absl::StartsWith(host, "127.") || host == "::1" || host == "localhost";
}

absl::Status CheckConfig(const GatewayConfig& config) {
  if (!config.auth_off) {
    if (config.jwt_keys.empty() && config.jwt_hs256_secret_file.empty()) {
      return absl::InvalidArgumentError(
          "--auth=jwt (the default) needs --jwt-keys PATH (PEM public key or JWKS) or "
          "--jwt-hs256-secret-file PATH; --auth=off serves without identity (benchmarks only)");
    }
    if (config.jwt_issuer.empty() || config.jwt_audience.empty()) {
      return absl::InvalidArgumentError(
          "--auth=jwt needs --jwt-issuer and --jwt-audience (the tokens' iss and aud)");
    }
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (config.tls_cert.empty() && !config.plaintext && !IsLoopbackListen(config.listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "plain HTTP on ", config.listen,
        " (not loopback): configure --tls-cert and --tls-key, or pass --plaintext when a "
        "TLS-terminating proxy sits in front"));
  }
  return absl::OkStatus();
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
  --fast-json true|false    descriptor JSON before protobuf's JSON utilities (CIVIL_GATEWAY_FAST_JSON,
                            default true; false: protobuf's only)
  --h2-unary true|false     unary calls over nghttp2 on the io thread (CIVIL_GATEWAY_H2_UNARY,
                            default true; false: gRPC's generic stub, as streaming calls)

Identity and access:
  --auth jwt|off            bearer JWT on every non-public route (CIVIL_GATEWAY_AUTH, default jwt)
  --jwt-issuer ISS          required iss (CIVIL_GATEWAY_JWT_ISSUER)
  --jwt-audience AUD        required aud (CIVIL_GATEWAY_JWT_AUDIENCE)
  --jwt-keys PATH[,PATH]    PEM public keys/certificates (kid = file name stem, or KID=PATH) or
                            JWKS files, repeatable (CIVIL_GATEWAY_JWT_KEYS)
  --jwt-hs256-secret-file PATH
                            HS256 secret, development only (CIVIL_GATEWAY_JWT_HS256_SECRET_FILE)
  --jwt-leeway-s N          clock skew allowed for exp/nbf, 0..300 (CIVIL_GATEWAY_JWT_LEEWAY_S, 60)

Limits:
  --redis HOST:PORT|off     rate limits and Idempotency-Key in Redis (CIVIL_REDIS_ADDR);
                            without it, or while it is down, in-process
  --rate-limit CLASS.SCOPE=RATE/BURST|off
                            token buckets, repeatable (CIVIL_GATEWAY_RATE_LIMITS); defaults
                            read.subject=50/100 read.ip=200/400 write.subject=10/20 write.ip=50/100

Transport:
  --max-deadline-ms N       cap of a client's X-Request-Timeout (CIVIL_GATEWAY_MAX_DEADLINE_MS, 60000)
  --cors-origins O[,O]|*    CORS allowed origins (CIVIL_GATEWAY_CORS_ORIGINS, default none)
  --trusted-proxies CIDR[,CIDR]
                            reverse proxies whose X-Forwarded-For gives the client address
                            (rate limits, access log), repeatable (CIVIL_GATEWAY_TRUSTED_PROXIES);
                            default none: the TCP peer is the client
  --gzip-min-bytes N        gzip responses from N bytes when accepted, 0 = never (default 1024)
  --tls-cert PATH --tls-key PATH
                            serve HTTPS (CIVIL_GATEWAY_TLS_CERT, CIVIL_GATEWAY_TLS_KEY)
  --plaintext               allow plain HTTP on a non-loopback address (CIVIL_GATEWAY_PLAINTEXT)
  --docs-dir DIR            swagger-ui-dist for /docs (CIVIL_GATEWAY_DOCS_DIR, default: the build's)
  --print-openapi           print the OpenAPI document of --descriptor-set and exit
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
