// The gateway's settings: command-line flags over environment variables over defaults, parsed
// once at start-up (CLI11) into a typed struct; any bad value fails fast with a message naming it.
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
  // TLS to the backends (services/common/tls.h): the CA that signs the services' certificates
  // (--backend-tls-ca, CIVIL_GATEWAY_BACKEND_TLS_CA), and the gateway's client certificate and
  // key for services that require one (--backend-tls-cert/-key, CIVIL_GATEWAY_BACKEND_TLS_CERT/
  // _KEY). With a CA every backend is called over TLS through gRPC's own client (the nghttp2
  // fast path speaks plaintext HTTP/2 only); without one, plaintext.
  std::string backend_tls_ca;
  std::string backend_tls_cert;
  std::string backend_tls_key;
  // io threads (--threads, CIVIL_GATEWAY_THREADS), 1..256.
  int threads = 2;
  // Deadline of each backend call (--deadline-ms, CIVIL_GATEWAY_DEADLINE_MS), 1..3600000.
  int deadline_ms = 10000;
  // A unary call that never reached its backend (connection refused, stream refused, beyond a
  // GOAWAY: a backend restarting or draining) is sent again for up to this long, within its
  // deadline (--retry-unsent-ms, CIVIL_GATEWAY_RETRY_UNSENT_MS; 0 = never). A call that reached
  // the backend is never repeated.
  int retry_unsent_ms = 3000;
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
  // The two fast paths, each an optimisation of a library path that stays available and tested:
  // JSON ⇄ protobuf straight from the descriptors (fast_json.h) before protobuf's JSON utilities
  // (--fast-json=true|false, CIVIL_GATEWAY_FAST_JSON), and unary backend calls over the io
  // thread's own HTTP/2 connection (grpc_h2.h) instead of gRPC's generic stub
  // (--h2-unary=true|false, CIVIL_GATEWAY_H2_UNARY).
  bool fast_json = true;
  bool h2_unary = true;
  // Set by --help: print the usage and exit.
  bool help = false;
  // Set by --print-openapi: print the OpenAPI document of the descriptor set and exit (the build
  // writes build/openapi.json this way).
  bool print_openapi = false;

  // --- identity and access (README "Identity and access") ---
  // Bearer JWT required on every route but the public ones (--auth=jwt, the default), or no
  // identity at all (--auth=off: benchmarks and local experiments only; services then refuse
  // calls that need a caller). CIVIL_GATEWAY_AUTH.
  bool auth_off = false;
  // Required `iss` and `aud` (--jwt-issuer, --jwt-audience; CIVIL_GATEWAY_JWT_ISSUER/_AUDIENCE).
  std::string jwt_issuer;
  std::string jwt_audience;
  // Verification keys: PEM public keys / certificates (kid = file name without extension, or
  // `kid=PATH`) or JWKS files (--jwt-keys, repeatable or comma-separated; CIVIL_GATEWAY_JWT_KEYS).
  std::vector<std::string> jwt_keys;
  // HS256 secret file, development only (--jwt-hs256-secret-file; kid = file name stem).
  std::string jwt_hs256_secret_file;
  // Allowed clock skew for exp/nbf/iat (--jwt-leeway-s, 0..300).
  int jwt_leeway_s = 60;

  // --- limits and idempotency ---
  // Redis `host:port` for rate limits and Idempotency-Key (--redis, CIVIL_REDIS_ADDR); empty =
  // in-process only.
  std::string redis;
  // Token buckets: requests per second and burst, per subject and per client IP, for the route
  // classes `read` (GET, HEAD) and `write` (everything else). --rate-limit CLASS.SCOPE=RATE/BURST
  // (repeatable; CIVIL_GATEWAY_RATE_LIMITS comma-separated), --rate-limit off disables.
  struct Bucket {
    double rate = 0;
    int burst = 0;
  };
  bool rate_limit = true;
  Bucket read_subject{50, 100};
  Bucket read_ip{200, 400};
  Bucket write_subject{10, 20};
  Bucket write_ip{50, 100};

  // --- transport ---
  // Upper bound of a client's X-Request-Timeout (--max-deadline-ms).
  int max_deadline_ms = 60000;
  // Reverse proxies whose X-Forwarded-For is believed (--trusted-proxies CIDR[,CIDR], repeatable;
  // CIVIL_GATEWAY_TRUSTED_PROXIES comma-separated): networks (`10.0.0.0/8`) or addresses. Empty =
  // none: the client address is always the TCP peer's. See client_ip.h.
  std::vector<std::string> trusted_proxies;
  // Origins allowed by CORS (--cors-origins a,b or *; CIVIL_GATEWAY_CORS_ORIGINS). Empty = none.
  std::vector<std::string> cors_origins;
  // gzip responses of at least this many bytes when the client accepts it; 0 disables
  // (--gzip-min-bytes, CIVIL_GATEWAY_GZIP_MIN_BYTES).
  int gzip_min_bytes = 1024;
  // TLS certificate chain and private key in PEM (--tls-cert, --tls-key); without them the
  // gateway speaks plain HTTP, which needs --plaintext unless it listens on loopback only.
  std::string tls_cert;
  std::string tls_key;
  bool plaintext = false;
  // Directory of swagger-ui-dist, served at /docs (--docs-dir; default: the build's copy).
  std::string docs_dir;
  // Directory of the web console's build (console/ built by Vite), served at /console/
  // (--console-dir; default: the build's copy).
  std::string console_dir;
  // Development only (`make run`): the private key (PEM, kid = file stem) with which
  // POST /console/dev-sign-in mints a token for any role and region (--dev-sign-in-key). Empty =
  // the development sign-in is off, as in production.
  std::string dev_sign_in_key;
};

// Reads an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(absl::string_view)>;

// The process environment.
std::optional<std::string> ProcessEnv(absl::string_view name);

// Parses flags (`--name value` or `--name=value`; argv[0] is skipped) over the process
// environment over defaults, with CLI11: each setting is one option bound to its flag and its
// variable (which CLI11 reads with getenv), so a flag given replaces its variable, lists included.
// Returns INVALID_ARGUMENT naming the flag or variable for an unknown flag, a missing or malformed
// value, or a missing descriptor set (unless --help).
absl::StatusOr<GatewayConfig> ParseConfig(int argc, const char* const* argv);

// Checks what flags cannot check one by one: --auth=jwt needs keys, an issuer and an audience;
// --tls-cert and --tls-key go together; plain HTTP on a non-loopback address needs --plaintext.
absl::Status CheckConfig(const GatewayConfig& config);

// Whether `listen` (host:port) is a loopback address (127.0.0.0/8, ::1, localhost).
bool IsLoopbackListen(absl::string_view listen);

// The --help text: every option with its variable and default (CLI11's formatter).
std::string Usage();

// The platform's departments, as named in their packages (`civil.<name>.v1`) and paths:
// assistance, eldercare, childwelfare, governance, socialorg, affairs, report.
const std::vector<std::string>& DepartmentNames();
// Whether `package` is a department's own (`civil.<department>.v1`).
bool IsDepartmentPackage(absl::string_view package);

// The backend address of `service` (full name, e.g. `civil.assistance.v1.HouseholdService`): an
// override from `config.backends`, else for package `civil.<dept>.v1` the variable
// CIVIL_<DEPT>_ADDR, else the department's default port on 127.0.0.1 (assistance 50051, eldercare
// 50052, childwelfare 50053, governance 50054, socialorg 50055, affairs 50056, report 50057,
// exchange 50058).
// Returns NOT_FOUND when none applies (pass --backend).
absl::StatusOr<std::string> BackendAddress(const GatewayConfig& config, absl::string_view service,
                                           const EnvLookup& env);

}  // namespace civil::gateway
