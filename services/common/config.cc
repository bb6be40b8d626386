#include "services/common/config.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace civil {
namespace {

const char* Get(absl::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  return value != nullptr && *value != '\0' ? value : nullptr;
}

absl::StatusOr<KeyText> ReadKey(absl::string_view variable, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return absl::InvalidArgumentError(absl::StrCat(variable, ": cannot read ", path.string()));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(variable, ": ", path.string(), " is empty"));
  }
  return KeyText{path.stem().string(), text.str()};
}

}  // namespace

absl::StatusOr<std::vector<KeyText>> ReadKeyFiles(absl::string_view variable,
                                                  absl::string_view files) {
  std::vector<KeyText> keys;
  for (absl::string_view file : absl::StrSplit(files, ',', absl::SkipWhitespace())) {
    absl::StatusOr<KeyText> key = ReadKey(variable, std::string(absl::StripAsciiWhitespace(file)));
    if (!key.ok()) return key.status();
    keys.push_back(*std::move(key));
  }
  if (keys.empty()) return absl::InvalidArgumentError(absl::StrCat(variable, " names no file"));
  return keys;
}

absl::StatusOr<std::vector<KeyText>> ReadKeyDirectory(absl::string_view variable,
                                                      const std::string& directory) {
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".pub") files.push_back(entry.path());
  }
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat(variable, ": cannot list ", directory, ": ", error.message()));
  }
  std::sort(files.begin(), files.end());
  std::vector<KeyText> keys;
  for (const auto& file : files) {
    absl::StatusOr<KeyText> key = ReadKey(variable, file);
    if (!key.ok()) return key.status();
    keys.push_back(*std::move(key));
  }
  return keys;
}

std::string EnvReader::Required(absl::string_view name) {
  const char* value = Get(name);
  if (value == nullptr) {
    errors_.push_back(absl::StrCat(name, " is required but not set"));
    return "";
  }
  return value;
}

std::string EnvReader::String(absl::string_view name, absl::string_view fallback) {
  const char* value = Get(name);
  return value == nullptr ? std::string(fallback) : std::string(value);
}

int64_t EnvReader::Int(absl::string_view name, int64_t fallback, int64_t min, int64_t max) {
  const char* value = Get(name);
  if (value == nullptr) return fallback;
  int64_t parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < min || parsed > max) {
    errors_.push_back(absl::StrCat(name, " must be an integer from ", min, " to ", max));
    return fallback;
  }
  return parsed;
}

bool EnvReader::Bool(absl::string_view name, bool fallback) {
  const char* value = Get(name);
  if (value == nullptr) return fallback;
  std::string v = absl::AsciiStrToLower(value);
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  errors_.push_back(absl::StrCat(name, " must be true or false"));
  return fallback;
}

absl::Status EnvReader::Status() const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("configuration: ", absl::StrJoin(errors_, "; ")));
}

absl::Status SplitHostPort(absl::string_view addr, std::string* host, int* port) {
  size_t colon = addr.rfind(':');
  int parsed = 0;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(addr.substr(colon + 1), &parsed) || parsed < 1 || parsed > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("address must be host:port, got \"", addr, "\""));
  }
  *host = std::string(addr.substr(0, colon));
  *port = parsed;
  return absl::OkStatus();
}

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// The PEM text of `path` ("" when not given); INVALID_ARGUMENT naming `name` otherwise.
absl::Status ReadPem(absl::string_view name, const std::string& path, std::string* out) {
  out->clear();
  if (path.empty()) return absl::OkStatus();
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(name, ": cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  if (!absl::StrContains(text.str(), "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": ", path, " holds no PEM block"));
  }
  *out = text.str();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TlsConfig> ReadTlsFiles(const TlsFiles& files, const TlsNames& names) {
  if (files.cert.empty() != files.key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        files.cert.empty() ? names.cert : names.key, ": required with ",
        files.cert.empty() ? names.key : names.cert, " (a certificate and its key go together)"));
  }
  TlsConfig tls;
  for (auto [name, path, out] :
       {std::tuple{names.cert, &files.cert, &tls.cert_pem},
        std::tuple{names.key, &files.key, &tls.key_pem},
        std::tuple{names.ca, &files.ca, &tls.ca_pem},
        std::tuple{names.client_ca, &files.client_ca, &tls.client_ca_pem}}) {
    if (absl::Status s = ReadPem(name, *path, out); !s.ok()) return s;
  }
  return tls;
}

absl::StatusOr<TlsConfig> LoadTlsConfig() {
  TlsFiles files{Env("CIVIL_TLS_CERT"), Env("CIVIL_TLS_KEY"), Env("CIVIL_TLS_CA"),
                 Env("CIVIL_TLS_CLIENT_CA")};
  if (!files.client_ca.empty() && files.cert.empty()) {
    return absl::InvalidArgumentError(
        "CIVIL_TLS_CLIENT_CA: needs CIVIL_TLS_CERT and CIVIL_TLS_KEY (client certificates are "
        "verified by a TLS server)");
  }
  return ReadTlsFiles(files);
}

absl::StatusOr<ServiceConfig> LoadServiceConfig(absl::string_view service, int default_grpc_port,
                                                int default_metrics_port) {
  EnvReader env;
  const std::string prefix = absl::StrCat("CIVIL_", absl::AsciiStrToUpper(service), "_");
  ServiceConfig config;
  config.service = std::string(service);
  config.grpc_addr = env.String(prefix + "ADDR", absl::StrCat("127.0.0.1:", default_grpc_port));
  config.metrics_addr =
      env.String(prefix + "METRICS_ADDR", absl::StrCat("127.0.0.1:", default_metrics_port));
  config.pg_dsn = env.Required(prefix + "PG_DSN");
  std::string redis_addr = env.Required("CIVIL_REDIS_ADDR");
  config.pii_key_hex = env.Required("CIVIL_PII_KEY");
  config.pg_pool_size = static_cast<int>(env.Int("CIVIL_PG_POOL_SIZE", 8, 1, 512));
  config.pg_acquire_timeout =
      std::chrono::milliseconds(env.Int("CIVIL_PG_ACQUIRE_TIMEOUT_MS", 2000, 1, 600000));
  config.redis_pool_size = static_cast<int>(env.Int("CIVIL_REDIS_POOL_SIZE", 8, 1, 512));
  config.redis_timeout =
      std::chrono::milliseconds(env.Int("CIVIL_REDIS_TIMEOUT_MS", 200, 1, 60000));
  config.cache_ttl = std::chrono::seconds(env.Int("CIVIL_CACHE_TTL_SECONDS", 300, 1, 86400));
  config.grpc_threads = static_cast<int>(env.Int("CIVIL_GRPC_THREADS", 16, 1, 1024));
  config.shutdown_grace =
      std::chrono::milliseconds(env.Int("CIVIL_SHUTDOWN_GRACE_MS", 10000, 0, 600000));
  config.shutdown_drain =
      std::chrono::milliseconds(env.Int("CIVIL_SHUTDOWN_DRAIN_MS", 0, 0, 600000));
  config.pg_allow_unsafe_durability = env.Bool("CIVIL_PG_ALLOW_UNSAFE_DURABILITY", false);
  config.migrate_only = env.Bool("CIVIL_MIGRATE_ONLY", false);
  const std::string user_keys = env.Required("CIVIL_JWT_KEYS");
  config.identity.issuer = env.String("CIVIL_JWT_ISSUER", "civil-dev");
  config.identity.audience = env.String("CIVIL_JWT_AUDIENCE", "civil-api");
  const std::string service_keys = env.String("CIVIL_SERVICE_KEYS", "");
  const std::string signing_key = env.String(prefix + "SERVICE_KEY", "");
  config.identity.service_token_ttl =
      std::chrono::seconds(env.Int("CIVIL_SERVICE_TOKEN_TTL_SECONDS", 300, 30, 3600));
  absl::Status status = env.Status();
  auto read_keys = [&status](absl::StatusOr<std::vector<KeyText>> keys) {
    if (keys.ok()) return *std::move(keys);
    status = absl::InvalidArgumentError(
        absl::StrCat(status.ok() ? "configuration: " : std::string(status.message()) + "; ",
                     keys.status().message()));
    return std::vector<KeyText>();
  };
  if (!user_keys.empty()) {
    config.identity.user_keys = read_keys(ReadKeyFiles("CIVIL_JWT_KEYS", user_keys));
  }
  if (!service_keys.empty()) {
    config.identity.service_keys = read_keys(ReadKeyDirectory("CIVIL_SERVICE_KEYS", service_keys));
  }
  if (!signing_key.empty()) {
    std::vector<KeyText> keys = read_keys(ReadKeyFiles(prefix + "SERVICE_KEY", signing_key));
    if (!keys.empty()) config.identity.signing_key = keys.front();
  }
  if (absl::StatusOr<TlsConfig> tls = LoadTlsConfig(); tls.ok()) {
    config.tls = *std::move(tls);
  } else {
    status = absl::InvalidArgumentError(
        absl::StrCat(status.ok() ? "configuration: " : std::string(status.message()) + "; ",
                     tls.status().message()));
  }
  if (!redis_addr.empty()) {
    absl::Status split = SplitHostPort(redis_addr, &config.redis_host, &config.redis_port);
    if (!split.ok()) {
      status = absl::InvalidArgumentError(
          absl::StrCat(status.ok() ? "configuration: " : std::string(status.message()) + "; ",
                       "CIVIL_REDIS_ADDR: ", split.message()));
    }
  }
  if (!status.ok()) return status;
  return config;
}

}  // namespace civil
