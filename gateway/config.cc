#include "gateway/config.h"

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gateway/client_ip.h"

namespace civil::gateway {
namespace {

// What CLI11 leaves as text: values checked by the validators below, turned into GatewayConfig's
// types after parsing.
struct RawSettings {
  std::string json_names = "camel";
  std::string auth = "jwt";
  std::vector<std::string> backends;
  std::vector<std::string> jwt_keys;
  std::vector<std::string> rate_limits;
  std::vector<std::string> cors_origins;
  std::vector<std::string> trusted_proxies;
};

std::string Expected(const std::string& value, absl::string_view expected) {
  return absl::StrCat("invalid value \"", value, "\" (expected ", expected, ")");
}

// A validator that strips surrounding whitespace, leaves blank list items blank (dropped later)
// and otherwise returns `check`'s complaint ("" when the value is fine).
CLI::Validator Item(std::function<std::string(absl::string_view)> check) {
  return CLI::Validator(
      [check = std::move(check)](std::string& value) -> std::string {
        value = std::string(absl::StripAsciiWhitespace(value));
        if (value.empty()) return "";
        std::string problem = check(value);
        return problem.empty() ? "" : Expected(value, problem);
      },
      "");
}

// true|false (also 1/0, yes/no, t/f, y/n), checked before CLI11 converts it, so that a bad value
// gets a message naming its source like any other.
CLI::Validator BoolText() {
  return Item([](absl::string_view v) -> std::string {
    bool ignored;
    return absl::SimpleAtob(v, &ignored) ? "" : "true or false";
  });
}

std::string CheckHostPort(absl::string_view text) {
  absl::string_view host = text;
  absl::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find("]:");
    if (close == absl::string_view::npos) return "host:port";
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) return "host:port";
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  uint32_t n;
  if (host.empty() || port.empty() || !absl::c_all_of(port, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port, &n) || n > 65535) {
    return "host:port with a port in 0..65535";
  }
  return "";
}

// HOST:PORT, or also `off` (and, for --redis, empty).
CLI::Validator HostPort(bool off_allowed) {
  return Item([off_allowed](absl::string_view v) -> std::string {
    if (off_allowed && v == "off") return "";
    std::string problem = CheckHostPort(v);
    return problem.empty() || !off_allowed ? problem : absl::StrCat(problem, " or off");
  });
}

// CLASS.SCOPE=RATE/BURST (e.g. `read.subject=50/100`) into `config`, or `off`. False when
// malformed.
bool ApplyRateLimit(absl::string_view text, GatewayConfig* config) {
  if (text == "off") {
    config->rate_limit = false;
    return true;
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
    return false;
  }
  *bucket = GatewayConfig::Bucket{rate, burst};
  config->rate_limit = true;
  return true;
}

CLI::Validator RateLimitItem() {
  return Item([](absl::string_view v) -> std::string {
    GatewayConfig scratch;
    return ApplyRateLimit(v, &scratch)
               ? ""
               : "off or {read,write}.{subject,ip}=RATE/BURST, e.g. read.subject=50/100";
  });
}

CLI::Validator CorsOrigin() {
  return Item([](absl::string_view v) -> std::string {
    if (v == "*" || absl::StartsWith(v, "http://") || absl::StartsWith(v, "https://")) return "";
    return "* or origins like https://app.example.gov";
  });
}

CLI::Validator TrustedProxy() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        value = std::string(absl::StripAsciiWhitespace(value));
        if (value.empty()) return "";
        absl::StatusOr<TrustedProxies> parsed = TrustedProxies::Parse({value});
        return parsed.ok() ? "" : std::string(parsed.status().message());
      },
      "");
}

// Every setting as a CLI11 option bound to its field (or to `raw`), with its environment
// variable, so that --help shows flag, variable and default of each.
void AddOptions(CLI::App& app, GatewayConfig& c, RawSettings& raw) {
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.get_formatter()->column_width(44);
  // A comma-separated list that may also be given by repeating the flag.
  auto list = [](CLI::Option* option, bool split_flags = true) {
    option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->allow_extra_args(false);
    if (split_flags) option->delimiter(',');
    return option;
  };

  app.add_option("--descriptor-set", c.descriptor_set,
                 "FileDescriptorSet with imports of the services (required)")
      ->envname("CIVIL_GATEWAY_DESCRIPTOR_SET")
      ->type_name("PATH");
  app.add_option("--listen", c.listen, "HTTP address")
      ->envname("CIVIL_GATEWAY_LISTEN")
      ->type_name("HOST:PORT")
      ->transform(HostPort(false))
      ->capture_default_str();
  app.add_option("--metrics-listen", c.metrics_listen, "Prometheus /metrics address, or off")
      ->envname("CIVIL_GATEWAY_METRICS_LISTEN")
      ->type_name("HOST:PORT|off")
      ->transform(HostPort(true))
      ->capture_default_str();
  // Flags take one SERVICE=ADDR each (an address may hold commas); the variable a comma list.
  list(
      app.add_option("--backend", raw.backends,
                     "backend of a full service name, repeatable (variable: comma list); "
                     "otherwise civil.<dept>.v1 services use CIVIL_<DEPT>_ADDR or 127.0.0.1:5005x"),
      /*split_flags=*/false)
      ->envname("CIVIL_GATEWAY_BACKENDS")
      ->type_name("SERVICE=ADDR");
  app.add_option("--backend-tls-ca", c.backend_tls_ca,
                 "CA (PEM) of the backends' certificates: call every backend over TLS")
      ->envname("CIVIL_GATEWAY_BACKEND_TLS_CA")
      ->type_name("PATH");
  app.add_option("--backend-tls-cert", c.backend_tls_cert,
                 "client certificate (PEM) for backends that require one (mTLS)")
      ->envname("CIVIL_GATEWAY_BACKEND_TLS_CERT")
      ->type_name("PATH");
  app.add_option("--backend-tls-key", c.backend_tls_key, "its private key (PEM)")
      ->envname("CIVIL_GATEWAY_BACKEND_TLS_KEY")
      ->type_name("PATH");
  app.add_option("--threads", c.threads, "io threads")
      ->envname("CIVIL_GATEWAY_THREADS")
      ->type_name("N")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--deadline-ms", c.deadline_ms, "deadline of each backend call")
      ->envname("CIVIL_GATEWAY_DEADLINE_MS")
      ->type_name("N")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  app.add_option("--retry-unsent-ms", c.retry_unsent_ms,
                 "send a call that never reached its backend again for up to this long (0: never)")
      ->envname("CIVIL_GATEWAY_RETRY_UNSENT_MS")
      ->type_name("N")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  app.add_option("--max-body-bytes", c.max_body_bytes, "larger request bodies get 413")
      ->envname("CIVIL_GATEWAY_MAX_BODY_BYTES")
      ->type_name("N")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32))
      ->capture_default_str();
  app.add_option("--max-header-bytes", c.max_header_bytes, "larger request headers get 431")
      ->envname("CIVIL_GATEWAY_MAX_HEADER_BYTES")
      ->type_name("N")
      ->check(CLI::Range(uint32_t{1024}, uint32_t{1} << 20))
      ->capture_default_str();
  app.add_option("--idle-timeout-s", c.idle_timeout_s, "keep-alive idle timeout")
      ->envname("CIVIL_GATEWAY_IDLE_TIMEOUT_S")
      ->type_name("N")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_option("--json-names", raw.json_names, "response field names: JSON or proto names")
      ->envname("CIVIL_GATEWAY_JSON_NAMES")
      ->check(CLI::IsMember({"camel", "proto"}))
      ->capture_default_str();
  app.add_option("--access-log", c.access_log, "one JSON line per request on stderr")
      ->envname("CIVIL_GATEWAY_ACCESS_LOG")
      ->type_name("true|false")
      ->transform(BoolText())
      ->default_str("true");
  app.add_option("--fast-json", c.fast_json,
                 "descriptor JSON before protobuf's JSON utilities (false: protobuf's only)")
      ->envname("CIVIL_GATEWAY_FAST_JSON")
      ->type_name("true|false")
      ->transform(BoolText())
      ->default_str("true");
  app.add_option("--h2-unary", c.h2_unary,
                 "unary calls over nghttp2 on the io thread (false: gRPC's generic stub)")
      ->envname("CIVIL_GATEWAY_H2_UNARY")
      ->type_name("true|false")
      ->transform(BoolText())
      ->default_str("true");

  const std::string identity = "Identity and access";
  app.add_option("--auth", raw.auth, "bearer JWT on every non-public route, or off (benchmarks)")
      ->envname("CIVIL_GATEWAY_AUTH")
      ->check(CLI::IsMember({"jwt", "off"}))
      ->capture_default_str()
      ->group(identity);
  app.add_option("--jwt-issuer", c.jwt_issuer, "required iss (with jwt)")
      ->envname("CIVIL_GATEWAY_JWT_ISSUER")
      ->type_name("ISS")
      ->group(identity);
  app.add_option("--jwt-audience", c.jwt_audience, "required aud (with jwt)")
      ->envname("CIVIL_GATEWAY_JWT_AUDIENCE")
      ->type_name("AUD")
      ->group(identity);
  list(app.add_option("--jwt-keys", raw.jwt_keys,
                      "PEM public keys/certificates (kid = file name stem, or KID=PATH) or JWKS "
                      "files, repeatable"))
      ->envname("CIVIL_GATEWAY_JWT_KEYS")
      ->type_name("PATH[,PATH]")
      ->group(identity);
  app.add_option("--jwt-hs256-secret-file", c.jwt_hs256_secret_file,
                 "HS256 secret, development only (kid = file name stem)")
      ->envname("CIVIL_GATEWAY_JWT_HS256_SECRET_FILE")
      ->type_name("PATH")
      ->group(identity);
  app.add_option("--jwt-leeway-s", c.jwt_leeway_s, "clock skew allowed for exp/nbf/iat")
      ->envname("CIVIL_GATEWAY_JWT_LEEWAY_S")
      ->type_name("N")
      ->check(CLI::Range(0, 300))
      ->capture_default_str()
      ->group(identity);

  const std::string limits = "Limits";
  app.add_option("--redis", c.redis,
                 "rate limits and Idempotency-Key in Redis; without it (or while it is down) "
                 "in-process")
      ->envname("CIVIL_REDIS_ADDR")
      ->type_name("HOST:PORT|off")
      ->transform(HostPort(true))
      ->group(limits);
  list(app.add_option("--rate-limit", raw.rate_limits,
                      "token buckets, repeatable; defaults read.subject=50/100 read.ip=200/400 "
                      "write.subject=10/20 write.ip=50/100"))
      ->envname("CIVIL_GATEWAY_RATE_LIMITS")
      ->type_name("CLASS.SCOPE=RATE/BURST|off")
      ->transform(RateLimitItem())
      ->group(limits);

  const std::string transport = "Transport";
  app.add_option("--max-deadline-ms", c.max_deadline_ms, "cap of a client's X-Request-Timeout")
      ->envname("CIVIL_GATEWAY_MAX_DEADLINE_MS")
      ->type_name("N")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str()
      ->group(transport);
  list(app.add_option("--cors-origins", raw.cors_origins, "CORS allowed origins (default none)"))
      ->envname("CIVIL_GATEWAY_CORS_ORIGINS")
      ->type_name("O[,O]|*")
      ->transform(CorsOrigin())
      ->group(transport);
  list(app.add_option("--trusted-proxies", raw.trusted_proxies,
                      "reverse proxies whose X-Forwarded-For gives the client address, "
                      "repeatable; default none: the TCP peer is the client"))
      ->envname("CIVIL_GATEWAY_TRUSTED_PROXIES")
      ->type_name("CIDR[,CIDR]")
      ->transform(TrustedProxy())
      ->group(transport);
  app.add_option("--gzip-min-bytes", c.gzip_min_bytes,
                 "gzip responses from N bytes when accepted, 0 = never")
      ->envname("CIVIL_GATEWAY_GZIP_MIN_BYTES")
      ->type_name("N")
      ->check(CLI::Range(0, 1 << 30))
      ->capture_default_str()
      ->group(transport);
  app.add_option("--tls-cert", c.tls_cert, "serve HTTPS: certificate chain (PEM), with --tls-key")
      ->envname("CIVIL_GATEWAY_TLS_CERT")
      ->type_name("PATH")
      ->group(transport);
  app.add_option("--tls-key", c.tls_key, "serve HTTPS: private key (PEM)")
      ->envname("CIVIL_GATEWAY_TLS_KEY")
      ->type_name("PATH")
      ->group(transport);
  app.add_flag("--plaintext", c.plaintext,
               "allow plain HTTP on a non-loopback address (a TLS-terminating proxy in front)")
      ->envname("CIVIL_GATEWAY_PLAINTEXT")
      ->group(transport);
  app.add_option("--docs-dir", c.docs_dir, "swagger-ui-dist for /docs (default: the build's)")
      ->envname("CIVIL_GATEWAY_DOCS_DIR")
      ->type_name("DIR")
      ->group(transport);
  app.add_option("--console-dir", c.console_dir,
                 "the web console's built files for /console/ (default: the build's)")
      ->envname("CIVIL_GATEWAY_CONSOLE_DIR")
      ->type_name("DIR")
      ->group(transport);
  app.add_option("--dev-sign-in-key", c.dev_sign_in_key,
                 "DEVELOPMENT ONLY: private key with which /console/dev-sign-in mints tokens for "
                 "any role (make run); never in production")
      ->envname("CIVIL_GATEWAY_DEV_SIGN_IN_KEY")
      ->type_name("PATH")
      ->group(transport);
  app.add_flag("--print-openapi", c.print_openapi,
               "print the OpenAPI document of --descriptor-set and exit");
}

// Whether `flag` (`--name`) is on the command line, as `--name VALUE` or `--name=VALUE`.
bool OnCommandLine(int argc, const char* const* argv, absl::string_view flag) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == flag ||
        (absl::StartsWith(arg, flag) && arg.size() > flag.size() && arg[flag.size()] == '=')) {
      return true;
    }
  }
  return false;
}

// Where the value of `option` came from, for messages: its flag, or its variable.
std::string Source(const CLI::Option& option, int argc, const char* const* argv) {
  std::string flag = option.get_name();
  if (option.get_envname().empty() || OnCommandLine(argc, argv, flag)) return flag;
  return option.get_envname();
}

// CLI11's message for `error`, naming the variable instead of the flag when the bad value came
// from the environment, and saying plainly when a flag lacks its value.
std::string Describe(const CLI::App& app, const CLI::ParseError& error, int argc,
                     const char* const* argv) {
  std::string message = error.what();
  for (const CLI::Option* option : app.get_options()) {
    const std::string flag = option->get_name();
    if (flag.empty() || !absl::StartsWith(message, absl::StrCat(flag, ":"))) continue;
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr &&
        absl::EndsWith(message, " missing")) {
      return absl::StrCat("flag ", flag, " needs a value");
    }
    return absl::StrCat(Source(*option, argc, argv), message.substr(flag.size()));
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    return absl::StrCat(message, " (see --help)");
  }
  return message;
}

// The list items of `values`, blank ones dropped.
std::vector<std::string> Items(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    if (!v.empty()) out.push_back(v);
  }
  return out;
}

struct Department {
  absl::string_view name;
  int port;
};
constexpr Department kDepartments[] = {
    {"assistance", 50051}, {"eldercare", 50052}, {"childwelfare", 50053}, {"governance", 50054},
    {"socialorg", 50055},  {"affairs", 50056},   {"report", 50057},       {"exchange", 50058}};

}  // namespace

std::optional<std::string> ProcessEnv(absl::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

absl::StatusOr<GatewayConfig> ParseConfig(int argc, const char* const* argv) {
  GatewayConfig config;
  RawSettings raw;
  CLI::App app;
  AddOptions(app, config, raw);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    config.help = true;
    return config;
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(Describe(app, e, argc, argv));
  }

  config.proto_field_names = raw.json_names == "proto";
  config.auth_off = raw.auth == "off";
  if (config.redis == "off") config.redis.clear();
  // SERVICE=ADDR pairs: one per flag, or the variable's comma list.
  const CLI::Option& backend = *app.get_option("--backend");
  std::vector<std::string> backends;
  for (const std::string& value : raw.backends) {
    if (OnCommandLine(argc, argv, "--backend")) {
      backends.push_back(value);
    } else {
      for (absl::string_view item : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
        backends.emplace_back(item);
      }
    }
  }
  for (const std::string& item : backends) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    std::string service(absl::StripAsciiWhitespace(kv.first));
    std::string address(absl::StripAsciiWhitespace(kv.second));
    if (service.empty() || address.empty() || absl::StrContains(service, ' ') ||
        absl::StrContains(address, ' ')) {
      return absl::InvalidArgumentError(absl::StrCat(
          Source(backend, argc, argv), ": ", Expected(item, "<full service name>=<host:port>")));
    }
    for (const auto& [s, a] : config.backends) {
      if (s == service) {
        return absl::InvalidArgumentError(
            absl::StrCat(Source(backend, argc, argv), ": backend of ", service, " given twice"));
      }
    }
    config.backends.emplace_back(service, address);
  }
  config.jwt_keys = Items(raw.jwt_keys);
  for (const std::string& item : Items(raw.rate_limits)) ApplyRateLimit(item, &config);
  for (const std::string& item : Items(raw.cors_origins)) {
    config.cors_origins.emplace_back(absl::StripSuffix(item, "/"));
  }
  config.trusted_proxies = Items(raw.trusted_proxies);
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
  GatewayConfig config;
  RawSettings raw;
  CLI::App app(
      "gateway: HTTP/JSON gateway in front of the platform's gRPC services.\n"
      "Routes come from the google.api.http rules in the descriptor set; nothing is per route.\n"
      "Each option can also be set by the environment variable shown (Env:…); flags win.",
      "gateway");
  AddOptions(app, config, raw);
  return app.help();
}

const std::vector<std::string>& DepartmentNames() {
  static const auto* names = [] {
    auto* out = new std::vector<std::string>();
    for (const Department& d : kDepartments) out->emplace_back(d.name);
    return out;
  }();
  return *names;
}

bool IsDepartmentPackage(absl::string_view package) {
  for (const Department& d : kDepartments) {
    if (package == absl::StrCat("civil.", d.name, ".v1")) return true;
  }
  return false;
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
