// civilctl: the platform's command-line client for operators and developers.
//
//   civilctl health ADDR [--service NAME]   grpc.health.v1 Check; exit 0 when SERVING
//   civilctl dev-keys DIR [--force]          a development ES256 key pair: DIR/dev.key, DIR/dev.pub
//   civilctl token --subject S --roles R1,R2 --region P [--ttl S] [--key PATH]
//                                            a development bearer token for the gateway
//   civilctl dead-letters ADDR --token-file F [--replay ID]
//                                            a service's dead-lettered events; replay one
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "civil/events/v1/admin.grpc.pb.h"
#include "services/common/jwt_sign.h"
#include "services/common/tls.h"

namespace {

// grpc.health.v1.Health/Check with a hand-encoded HealthCheckRequest{service} (field 1, bytes):
// the health protos are not shipped as C++ by Debian, and the message is one field.
int Health(const std::string& address, const std::string& service, int timeout_ms) {
  auto channel = grpc::CreateChannel(address, civil::ServiceChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  std::string request_bytes;
  if (!service.empty()) {
    request_bytes.push_back('\x0a');
    request_bytes.push_back(static_cast<char>(service.size()));
    request_bytes += service;
  }
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    std::cout << address << ": " << status.error_message() << "\n";
    return 1;
  }
  std::vector<grpc::Slice> slices;
  response.Dump(&slices);
  std::string bytes;
  for (auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse{status} = field 1 varint: 1 SERVING, 2 NOT_SERVING.
  const bool serving = bytes.size() == 2 && bytes[0] == '\x08' && bytes[1] == '\x01';
  std::cout << address << ": " << (serving ? "SERVING" : "NOT_SERVING") << "\n";
  return serving ? 0 : 1;
}

// EventAdminService of one service (roles operator or admin): lists its dead letters, or replays
// one of them. Exit 0 when listed or applied.
int DeadLetters(const std::string& address, const std::string& token, const std::string& replay,
                int timeout_ms) {
  auto stub = civil::events::v1::EventAdminService::NewStub(
      grpc::CreateChannel(address, civil::ServiceChannelCredentials()));
  auto context = [&](grpc::ClientContext* c) {
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
    c->AddMetadata("authorization", "Bearer " + token);
  };
  if (!replay.empty()) {
    grpc::ClientContext c;
    context(&c);
    civil::events::v1::ReplayDeadLetterRequest request;
    request.set_id(replay);
    civil::events::v1::ReplayDeadLetterResponse response;
    grpc::Status status = stub->ReplayDeadLetter(&c, request, &response);
    if (!status.ok()) {
      std::cerr << address << ": " << status.error_message() << "\n";
      return 1;
    }
    std::cout << replay << ": " << (response.applied() ? "applied" : "failed: " + response.error())
              << "\n";
    return response.applied() ? 0 : 1;
  }
  std::string page;
  int count = 0;
  do {
    grpc::ClientContext c;
    context(&c);
    civil::events::v1::ListDeadLettersRequest request;
    request.set_page_size(100);
    request.set_page_token(page);
    civil::events::v1::ListDeadLettersResponse response;
    grpc::Status status = stub->ListDeadLetters(&c, request, &response);
    if (!status.ok()) {
      std::cerr << address << ": " << status.error_message() << "\n";
      return 1;
    }
    for (const auto& d : response.dead_letters()) {
      std::cout << d.id() << "\t" << d.type() << "\t" << d.source() << "\t" << d.event_id() << "\t"
                << d.error() << "\n";
      ++count;
    }
    page = response.next_page_token();
  } while (!page.empty());
  std::cerr << count << " dead letter(s)\n";
  return 0;
}

bool ReadAll(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

bool WriteFile(const std::string& path, const std::string& data, mode_t mode) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out << data;
  out.close();
  return out.good() && chmod(path.c_str(), mode) == 0;
}

// DIR/dev.key (private, 0600) and DIR/dev.pub (public, 0644); kept when both exist (unless
// --force), so `make run` can call this on every start.
int DevKeys(const std::string& dir, bool force) {
  const std::string key = dir + "/dev.key";
  const std::string pub = dir + "/dev.pub";
  std::error_code ec;
  if (!force && std::filesystem::exists(key, ec) && std::filesystem::exists(pub, ec)) {
    std::cout << "kept " << key << " and " << pub << "\n";
    return 0;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "cannot create " << dir << ": " << ec.message() << "\n";
    return 1;
  }
  auto pair = civil::GenerateEs256KeyPair();
  if (!pair.ok()) {
    std::cerr << pair.status().message() << "\n";
    return 1;
  }
  if (!WriteFile(key, pair->first, 0600) || !WriteFile(pub, pair->second, 0644)) {
    std::cerr << "cannot write " << key << " / " << pub << "\n";
    return 1;
  }
  std::cout << "wrote " << key << " (private, ES256, kid \"dev\") and " << pub << "\n";
  return 0;
}

std::string Stem(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  size_t dot = name.find('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

int Token(civil::TokenSpec spec, const std::string& roles, const std::string& key_path,
          const std::string& hs256_secret_file) {
  for (absl::string_view role : absl::StrSplit(roles, ',', absl::SkipWhitespace())) {
    spec.roles.emplace_back(role);
  }
  absl::StatusOr<std::string> token;
  std::string secret;
  if (!hs256_secret_file.empty()) {
    if (!ReadAll(hs256_secret_file, &secret)) {
      std::cerr << "cannot read " << hs256_secret_file << "\n";
      return 1;
    }
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (spec.kid.empty()) spec.kid = Stem(hs256_secret_file);
    token = civil::SignTokenHs256(spec, secret);
  } else {
    std::string pem;
    if (!ReadAll(key_path, &pem)) {
      std::cerr << "cannot read " << key_path << " (create a dev key pair with: civilctl dev-keys "
                << std::filesystem::path(key_path).parent_path().string() << ")\n";
      return 1;
    }
    if (spec.kid.empty()) spec.kid = Stem(key_path);
    token = civil::SignToken(spec, pem);
  }
  if (!token.ok()) {
    std::cerr << token.status().message() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"civilctl: command-line client of the Civil Affairs Platform"};
  app.require_subcommand(1);

  std::string address;
  std::string service;
  int timeout_ms = 2000;
  CLI::App* health =
      app.add_subcommand("health", "Check a service's gRPC health (exit 0 = SERVING)");
  health->add_option("address", address, "host:port of the service")->required();
  health->add_option("--service", service, "Full service name (default: the whole server)");
  health->add_option("--timeout-ms", timeout_ms, "Deadline of the call")
      ->check(CLI::Range(1, 600000));

  std::string keys_dir;
  bool force = false;
  CLI::App* dev_keys = app.add_subcommand(
      "dev-keys", "Create a development ES256 key pair DIR/dev.key, DIR/dev.pub");
  dev_keys->add_option("dir", keys_dir, "Directory (e.g. var/jwt)")->required();
  dev_keys->add_flag("--force", force, "Replace an existing pair");

  civil::TokenSpec spec;
  spec.issuer = "civil-dev";
  spec.audience = "civil-api";
  std::string roles;
  std::string key_path = "var/jwt/dev.key";
  std::string hs256_secret_file;
  CLI::App* token = app.add_subcommand(
      "token", "Mint a development bearer token (prints it): curl -H \"Authorization: Bearer $T\"");
  token->add_option("--subject", spec.subject, "sub: who the caller is")->required();
  token->add_option("--roles", roles, "Comma-separated roles, e.g. assistance.clerk,auditor");
  token->add_option("--region", spec.region, "Region code prefix the caller may act on, or *");
  token->add_option("--ttl", spec.ttl_s, "Lifetime in seconds")->check(CLI::Range(1, 86400 * 30));
  token->add_option("--key", key_path, "Private key PEM (EC P-256 → ES256, RSA → RS256)")
      ->capture_default_str();
  token->add_option("--kid", spec.kid, "Key id (default: the key file's name without extension)");
  token->add_option("--issuer", spec.issuer, "iss (the gateway's --jwt-issuer)")
      ->capture_default_str();
  token->add_option("--audience", spec.audience, "aud (the gateway's --jwt-audience)")
      ->capture_default_str();
  token->add_option("--hs256-secret-file", hs256_secret_file,
                    "Sign HS256 with this secret instead of --key (development only)");

  std::string token_file;
  std::string replay;
  CLI::App* dead = app.add_subcommand(
      "dead-letters", "List a service's dead-lettered events, or replay one (role operator)");
  dead->add_option("address", address, "host:port of the service's gRPC port")->required();
  dead->add_option("--token-file", token_file, "File holding a bearer token with role operator")
      ->required();
  dead->add_option("--replay", replay, "Entry id to apply again (from the list)");
  dead->add_option("--timeout-ms", timeout_ms, "Deadline of each call")
      ->check(CLI::Range(1, 600000));

  CLI11_PARSE(app, argc, argv);
  if (dead->parsed()) {
    std::string token;
    if (!ReadAll(token_file, &token)) {
      std::cerr << "--token-file: cannot read " << token_file << "\n";
      return 2;
    }
    return DeadLetters(address, std::string(absl::StripAsciiWhitespace(token)), replay, timeout_ms);
  }
  if (health->parsed()) return Health(address, service, timeout_ms);
  if (dev_keys->parsed()) return DevKeys(keys_dir, force);
  if (token->parsed()) return Token(spec, roles, key_path, hs256_secret_file);
  return 2;
}
