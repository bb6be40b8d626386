// Configuration from environment variables, parsed once at start-up into typed structs.
//
// Each service reads its settings through EnvReader, which collects every problem (a missing
// required variable, a value of the wrong type or out of range) so that the process can fail fast
// with one message naming all of them, as Online Boutique's mustMapEnv does.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil {

// Reads environment variables and remembers what was wrong with them.
class EnvReader {
 public:
  // The value of `name`; records an error and returns "" when it is unset or empty.
  std::string Required(absl::string_view name);
  // The value of `name`, or `fallback` when it is unset or empty.
  std::string String(absl::string_view name, absl::string_view fallback);
  // An integer in [min, max]; records an error (and returns `fallback`) when it is not one.
  int64_t Int(absl::string_view name, int64_t fallback, int64_t min, int64_t max);
  // `true`/`1`/`yes` or `false`/`0`/`no`; records an error for anything else.
  bool Bool(absl::string_view name, bool fallback);

  // OK when every read succeeded; otherwise INVALID_ARGUMENT listing every problem.
  absl::Status Status() const;

 private:
  std::vector<std::string> errors_;
};

// Settings every service process shares. Variables (defaults in brackets):
//   CIVIL_<SERVICE>_ADDR   gRPC listen address [127.0.0.1:<default_grpc_port>]
//   CIVIL_<SERVICE>_METRICS_ADDR  /metrics listen address [127.0.0.1:<default_metrics_port>]
//   CIVIL_<SERVICE>_PG_DSN PostgreSQL connection string (required)
//   CIVIL_REDIS_ADDR       Redis host:port (required)
//   CIVIL_PII_KEY          64 hex characters, the key protecting ID numbers (required)
//   CIVIL_PG_POOL_SIZE     [8]    connections at most
//   CIVIL_PG_ACQUIRE_TIMEOUT_MS [2000] wait for a free connection before UNAVAILABLE
//   CIVIL_REDIS_POOL_SIZE  [8]
//   CIVIL_REDIS_TIMEOUT_MS [200]  connect and command timeout
//   CIVIL_CACHE_TTL_SECONDS [300]
//   CIVIL_GRPC_THREADS     [16]   synchronous server threads (handlers may block on the pools):
//                          the in-flight limit; a call beyond it is refused at once with
//                          RESOURCE_EXHAUSTED (counted by civil_grpc_server_overload_total)
//   CIVIL_SHUTDOWN_DRAIN_MS [0]   after SIGTERM, health says NOT_SERVING and new calls are still
//                          served this long (load balancers move away), then the server drains
//   CIVIL_SHUTDOWN_GRACE_MS [10000] in-flight calls may finish this long after the drain began
//   CIVIL_PG_ALLOW_UNSAFE_DURABILITY [false] start even when PostgreSQL runs with fsync,
//                          synchronous_commit or full_page_writes off (development/test servers)
//   CIVIL_MIGRATE_ONLY [false] apply the migrations, prepare the database role, exit (a deploy's
//                          migration job; RunDepartment)
//   CIVIL_TLS_CERT, CIVIL_TLS_KEY, CIVIL_TLS_CA, CIVIL_TLS_CLIENT_CA  TLS and mTLS (TlsConfig)
// A verification or signing key as configured: its `kid` and its text (a PEM key, or a JWK Set
// document `{"keys":[...]}` whose entries carry their own kids).
struct KeyText {
  std::string kid;
  std::string text;
};

// TLS on the gRPC ports (the credentials are made in tls.h). Each variable names a PEM file; all
// optional, TLS off when unset:
//   CIVIL_TLS_CERT, CIVIL_TLS_KEY  this process's certificate chain and private key: the
//                        certificate its gRPC server presents, and the client certificate it shows
//                        when it calls another service
//   CIVIL_TLS_CA         the CA that signs the services' certificates: when set, this process
//                        calls other services over TLS and verifies them
//   CIVIL_TLS_CLIENT_CA  when set, the server requires a client certificate signed by this CA and
//                        refuses the connection otherwise (mTLS)
// The PEM texts, read from their files.
struct TlsConfig {
  std::string cert_pem;
  std::string key_pem;
  std::string ca_pem;         // verifies the servers this process calls
  std::string client_ca_pem;  // verifies the clients that call this process's server

  bool serves_tls() const { return !cert_pem.empty(); }
  bool calls_tls() const { return !ca_pem.empty(); }
};

// The files named by the variables above, read. INVALID_ARGUMENT naming the variable when a file
// cannot be read or holds no PEM block, when CIVIL_TLS_CERT and CIVIL_TLS_KEY are not given
// together, or when CIVIL_TLS_CLIENT_CA is given without a server certificate.
absl::StatusOr<TlsConfig> LoadTlsConfig();

// The same from explicit paths ("" = not given); `names` label the errors (the gateway passes its
// flag names). Exposed for the gateway and tests.
struct TlsFiles {
  std::string cert, key, ca, client_ca;
};
struct TlsNames {
  absl::string_view cert = "CIVIL_TLS_CERT", key = "CIVIL_TLS_KEY", ca = "CIVIL_TLS_CA",
                    client_ca = "CIVIL_TLS_CLIENT_CA";
};
absl::StatusOr<TlsConfig> ReadTlsFiles(const TlsFiles& files, const TlsNames& names = {});

// Who may call a department, and how it calls others (identity.h). Variables:
//   CIVIL_JWT_KEYS       the keys of users' tokens (the identity provider's; `make run`'s
//                        development key): comma-separated files, each PEM (kid = file name
//                        without directory and extension) or a JWKS file (required). Two keys at
//                        once, by kid, is how a key is rotated without downtime.
//   CIVIL_JWT_ISSUER     [civil-dev]  users' tokens' `iss`
//   CIVIL_JWT_AUDIENCE   [civil-api]  users' tokens' `aud`
//   CIVIL_SERVICE_KEYS   a directory of the departments' public keys, `<dept>.pub` or
//                        `<dept>.<version>.pub` (kid = file stem); the key of kid `affairs.2`
//                        speaks only for the department `affairs`. Unset: no service token is
//                        accepted.
//   CIVIL_<SERVICE>_SERVICE_KEY  this department's private key (PEM, kid = file stem) for the
//                        tokens it presents to other departments. Unset: it calls no one.
//   CIVIL_SERVICE_TOKEN_TTL_SECONDS [300] lifetime of those tokens (refreshed at half of it).
struct IdentityConfig {
  std::string issuer = "civil-dev";
  std::string audience = "civil-api";
  std::vector<KeyText> user_keys;
  std::vector<KeyText> service_keys;
  KeyText signing_key;  // empty text: none
  std::chrono::seconds service_token_ttl{300};
};

struct ServiceConfig {
  std::string service;  // "assistance", …
  std::string grpc_addr;
  std::string metrics_addr;
  std::string pg_dsn;
  std::string redis_host;
  int redis_port = 6379;
  std::string pii_key_hex;
  int pg_pool_size = 8;
  std::chrono::milliseconds pg_acquire_timeout{2000};
  int redis_pool_size = 8;
  std::chrono::milliseconds redis_timeout{200};
  std::chrono::seconds cache_ttl{300};
  int grpc_threads = 16;
  std::chrono::milliseconds shutdown_drain{0};
  std::chrono::milliseconds shutdown_grace{10000};
  bool pg_allow_unsafe_durability = false;
  // CIVIL_MIGRATE_ONLY=true: apply the migrations, prepare the service's database role and exit
  // (a deployment's migration step before the new version rolls out; deploy/RUNBOOK.md).
  bool migrate_only = false;
  IdentityConfig identity;
  TlsConfig tls;
};

// The keys named by a CIVIL_JWT_KEYS value (comma-separated files) or in a CIVIL_SERVICE_KEYS
// directory (its `*.pub` files), read. INVALID_ARGUMENT naming `variable` and the file.
absl::StatusOr<std::vector<KeyText>> ReadKeyFiles(absl::string_view variable,
                                                  absl::string_view files);
absl::StatusOr<std::vector<KeyText>> ReadKeyDirectory(absl::string_view variable,
                                                      const std::string& directory);

// Reads the ServiceConfig of `service` (lower case, e.g. "assistance"). INVALID_ARGUMENT naming
// every missing or malformed variable.
absl::StatusOr<ServiceConfig> LoadServiceConfig(absl::string_view service, int default_grpc_port,
                                                int default_metrics_port);

// Splits "host:port". INVALID_ARGUMENT when the port is missing or not in 1..65535.
absl::Status SplitHostPort(absl::string_view addr, std::string* host, int* port);

}  // namespace civil
