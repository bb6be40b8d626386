// The platform as end-to-end tests run it: a private PostgreSQL and Redis, the department
// services (assistance_server, affairs_server, …) and the HTTP gateway as real child processes on
// free loopback ports, a test key pair the gateway and the services trust (and a service key pair
// per department, for their calls to each other), and each process's log in a temporary
// directory for failure messages. Test-specific setup (extra flags and environment, principals,
// data) stays with the test.
//
//   stack_ = civil::testing::E2eStack::Builder()
//                .Service("assistance", CIVIL_ASSISTANCE_SERVER)
//                .Gateway(CIVIL_GATEWAY, CIVIL_DESCRIPTOR_SET, {.args = {"--rate-limit", "off"}})
//                .Start();
//   ASSERT_TRUE(stack_->Ready());
//   HttpResponse r = stack_->Http("GET", "/v1/assistance/households", "",
//                                 stack_->AuthHeaders("alice", {"assistance.clerk"}, "340722"));
//   EXPECT_EQ(r.status, 200) << r.body << stack_->Logs();
//
// Header-only; a test that includes it links civil_test_support and gateway_token_helper.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "nlohmann/json.hpp"
#include "tests/gateway/token_helper.h"
#include "tests/support/http_client.h"
#include "tests/support/servers.h"

namespace civil::testing {

// How an E2eStack runs the gateway besides what the stack sets itself (--descriptor-set,
// --listen, --metrics-listen, --redis, the JWT flags). The variable CIVIL_E2E_GATEWAY_FLAGS
// (whitespace-separated, e.g. "--fast-json=false --h2-unary=false") adds flags after `args`, so
// that ctest can run a suite again on other gateway settings (tests/e2e/gateway_e2e.cmake).
struct E2eGatewayOptions {
  std::vector<std::string> args;  // extra flags, e.g. {"--rate-limit", "off"}
  bool metrics = false;           // /metrics on a port of its own (gateway_metrics_port())
  bool redis = true;              // --redis <the stack's Redis>; without it limits are in-process
  // --dev-sign-in-key <the stack's private key>: /console/dev-sign-in mints tokens the services
  // trust, as under `make run` (the web console's test, tests/console).
  bool dev_sign_in = false;
};

class E2eStack {
 public:
  // Says what to start; Start() starts it.
  class Builder {
   public:
    // Adds department `name` ("assistance", "affairs", …) run from `binary` with database
    // civil_<name>. Its environment: CIVIL_<NAME>_ADDR, _METRICS_ADDR and _PG_DSN,
    // CIVIL_REDIS_ADDR, CIVIL_PII_KEY (kTestPiiKey), CIVIL_<OTHER>_ADDR of every other service of
    // the stack (as `make run` exports them), then `env`, which may override any of those.
    // Services start in the order added.
    Builder& Service(std::string name, std::string binary,
                     std::map<std::string, std::string> env = {}) {
      services_.push_back({std::move(name), std::move(binary), std::move(env)});
      return *this;
    }

    // Runs the gateway from `binary` over `descriptor_set`, trusting the stack's test keys and
    // reaching every service of the stack through CIVIL_<NAME>_ADDR. Without it, no gateway.
    Builder& Gateway(std::string binary, std::string descriptor_set,
                     E2eGatewayOptions options = {}) {
      gateway_binary_ = std::move(binary);
      descriptor_set_ = std::move(descriptor_set);
      gateway_ = std::move(options);
      return *this;
    }

    // Runs `count` processes of the service `name` (added before): the first as added, the others
    // named "<name>.2", "<name>.3", … on ports of their own with the same database and
    // environment. The gateway reaches them as one backend (CIVIL_<NAME>_ADDR is the
    // comma-separated list of all); the other services reach the first.
    Builder& Replicas(const std::string& name, int count) {
      replicas_[name] = count;
      return *this;
    }

    // TLS on every gRPC port with client certificates required (mTLS): a private CA made by
    // deploy/local/tls.sh in the stack's directory; each service serves and calls with
    // CIVIL_TLS_CERT/_KEY/_CA/_CLIENT_CA, the gateway calls with --backend-tls-ca/-cert/-key.
    // Also on when the variable CIVIL_E2E_TLS is 1, so that ctest can run a suite again with TLS
    // (tests/e2e/gateway_e2e.cmake). tls_dir() holds the certificates.
    Builder& Tls(bool on = true) {
      tls_ = on;
      return *this;
    }

    // Starts PostgreSQL, Redis, the services and the gateway without waiting for them (Ready()
    // waits). Aborts the test binary when PostgreSQL, Redis or a fork fails.
    std::unique_ptr<E2eStack> Start() const {
      return std::unique_ptr<E2eStack>(new E2eStack(*this));
    }

   private:
    friend class E2eStack;
    struct ServiceSpec {
      std::string name;
      std::string binary;
      std::map<std::string, std::string> env;
    };
    std::vector<ServiceSpec> services_;
    std::map<std::string, int> replicas_;
    std::string gateway_binary_;
    std::string descriptor_set_;
    E2eGatewayOptions gateway_;
    bool tls_ = false;
  };

  E2eStack(const E2eStack&) = delete;
  E2eStack& operator=(const E2eStack&) = delete;

  // Kills the gateway, then the services in reverse order; then Redis and PostgreSQL go.
  // Stops the processes, then checks their logs: no ID number and no person's name that any
  // request of the test sent may appear in them (a failure of the test suite otherwise).
  ~E2eStack() {
    gateway_.reset();
    for (auto it = services_.rbegin(); it != services_.rend(); ++it) it->process.reset();
    for (const std::string& found : PersonalDataInLogs()) {
      ADD_FAILURE() << "the logs carry personal data a request sent: " << found;
    }
  }

  // The ID numbers and names sent in request bodies so far (JSON fields named `idNumber`,
  // `…IdNumber`, `name`, `…Name` holding text) that occur in a process's log.
  std::vector<std::string> PersonalDataInLogs() const {
    std::vector<std::string> found;
    std::string all;
    for (const RunningService& s : services_) all += LogSection(s.name, std::string::npos);
    all += LogSection("gateway", std::string::npos);
    std::lock_guard lock(sent_mu_);
    for (const std::string& secret : sent_personal_) {
      if (all.find(secret) != std::string::npos) found.push_back(secret);
    }
    return found;
  }

  // Waits until every service (in start order), then the gateway, accepts connections on its
  // port. A failure names the process that exited or did not listen within `timeout` (each), and
  // carries Logs().
  ::testing::AssertionResult Ready(
      std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    struct Wait {
      std::string name;
      int port;
      Process* process;
    };
    std::vector<Wait> waits;
    for (const RunningService& s : services_) {
      waits.push_back({s.name, s.grpc_port, s.process.get()});
    }
    if (gateway_ != nullptr) waits.push_back({"gateway", http_port_, gateway_.get()});
    for (const auto& [name, port, process] : waits) {
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      while (!WaitForPort(port, 100)) {
        if (!process->running()) {
          return ::testing::AssertionFailure()
                 << name << " exited before listening on 127.0.0.1:" << port << "\n"
                 << Logs();
        }
        if (std::chrono::steady_clock::now() > deadline) {
          return ::testing::AssertionFailure() << name << " did not listen on 127.0.0.1:" << port
                                               << " within " << timeout.count() << " ms\n"
                                               << Logs();
        }
      }
    }
    return ::testing::AssertionSuccess();
  }

  // The last `tail_bytes` of each process's log (services in start order, then the gateway),
  // each under a "--- <name>.log" line: for failure messages (`<< stack.Logs()`).
  std::string Logs(size_t tail_bytes = 16384) const {
    std::string all;
    for (const RunningService& s : services_) all += LogSection(s.name, tail_bytes);
    if (gateway_ != nullptr) all += LogSection("gateway", tail_bytes);
    return all;
  }

  // `method target` to the gateway with `body` (JSON when non-empty) and `headers`.
  HttpResponse Http(const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {}) const {
    RememberPersonalData(body);
    return HttpRequest(http_port_, method, target, body, headers);
  }

  // "Bearer <token>" for `subject` with `roles` in `region` (a region prefix, "*" or ""), signed
  // with the key the gateway trusts; valid for an hour. Aborts on failure.
  std::string Bearer(const std::string& subject, const std::vector<std::string>& roles,
                     const std::string& region) const {
    return civil::testing::Bearer(keys_, subject, roles, region);
  }
  // {{"Authorization", Bearer(subject, roles, region)}}.
  std::map<std::string, std::string> AuthHeaders(const std::string& subject,
                                                 const std::vector<std::string>& roles,
                                                 const std::string& region) const {
    return {{"Authorization", Bearer(subject, roles, region)}};
  }
  // The key pair itself, for tokens Bearer() does not make (expired, other claims).
  const TestKeys& keys() const { return keys_; }

  // The service `name` as added to the Builder; aborts the test binary for a name not added.
  int grpc_port(const std::string& name) const { return Find(name).grpc_port; }
  std::string grpc_address(const std::string& name) const {
    return "127.0.0.1:" + std::to_string(grpc_port(name));
  }
  int metrics_port(const std::string& name) const { return Find(name).metrics_port; }
  // Its process, to signal or stop (Stop(SIGTERM) returns the exit status).
  Process& service(const std::string& name) { return *Find(name).process; }
  // Starts it again on the same ports, database and environment (after a Stop or a kill), its
  // output appended to the same log. Ready() tells when it listens again.
  void RestartService(const std::string& name) {
    RunningService& s = FindMutable(name);
    if (s.process != nullptr && s.process->running()) s.process->Stop(SIGKILL);
    s.process = std::make_unique<Process>(std::vector<std::string>{s.binary}, s.env, LogPath(name));
  }
  // The environment it runs with (its CIVIL_<NAME>_PG_DSN, say).
  const std::map<std::string, std::string>& service_env(const std::string& name) const {
    return Find(name).env;
  }

  // The gateway's HTTP port; its /metrics port (0 without E2eGatewayOptions::metrics); its process.
  // Without Builder::Gateway the ports are 0 and gateway() aborts.
  int http_port() const { return http_port_; }
  int gateway_metrics_port() const { return gateway_metrics_port_; }
  Process& gateway() {
    if (gateway_ == nullptr) Fail("no gateway in this stack");
    return *gateway_;
  }

  // Whether the stack runs TLS (Builder::Tls), and the directory of its CA and certificates
  // (ca.pem, service.pem/.key, gateway.pem/.key).
  bool tls() const { return tls_; }
  std::string tls_dir() const { return dir_.path() + "/tls"; }

  PostgresServer& postgres() { return pg_; }
  RedisServer& redis() { return redis_; }
  // The temporary directory of the logs and the key pair; removed with the stack.
  const TempDir& dir() const { return dir_; }

 private:
  struct RunningService {
    std::string name;
    int grpc_port = 0;
    int metrics_port = 0;
    std::string binary;
    std::map<std::string, std::string> env;
    std::unique_ptr<Process> process;
  };

  explicit E2eStack(const Builder& b) : keys_(WriteTestKeys(dir_.path())) {
    std::map<std::string, std::string> addresses;  // CIVIL_<NAME>_ADDR of every service
    for (const Builder::ServiceSpec& spec : b.services_) {
      RunningService& s = services_.emplace_back();
      s.name = spec.name;
      s.grpc_port = FreePort();
      s.metrics_port = FreePort();
      addresses[EnvPrefix(s.name) + "ADDR"] = Loopback(s.grpc_port);
    }
    const char* tls_variable = std::getenv("CIVIL_E2E_TLS");
    tls_ = b.tls_ || (tls_variable != nullptr && std::string(tls_variable) == "1");
    std::map<std::string, std::string> tls_env;
    if (tls_) {
      const std::string command = std::string("bash ") + CIVIL_TLS_SCRIPT + " " + tls_dir();
      if (std::system(command.c_str()) != 0) Fail("cannot make certificates: " + command);
      tls_env = {{"CIVIL_TLS_CERT", tls_dir() + "/service.pem"},
                 {"CIVIL_TLS_KEY", tls_dir() + "/service.key"},
                 {"CIVIL_TLS_CA", tls_dir() + "/ca.pem"},
                 {"CIVIL_TLS_CLIENT_CA", tls_dir() + "/ca.pem"}};
    }
    std::vector<std::string> names;
    for (const RunningService& s : services_) names.push_back(s.name);
    const std::map<std::string, std::string> identity =
        WriteServiceIdentity(keys_, dir_.path(), names);
    for (size_t i = 0; i < services_.size(); ++i) {
      RunningService& s = services_[i];
      const std::string prefix = EnvPrefix(s.name);
      std::map<std::string, std::string> env = addresses;
      env.insert(identity.begin(), identity.end());
      env.insert(tls_env.begin(), tls_env.end());
      env[prefix + "METRICS_ADDR"] = Loopback(s.metrics_port);
      env[prefix + "PG_DSN"] = pg_.CreateDatabase("civil_" + s.name);
      env["CIVIL_REDIS_ADDR"] = redis_.address();
      env["CIVIL_PII_KEY"] = kTestPiiKey;
      env["CIVIL_PG_ALLOW_UNSAFE_DURABILITY"] = "true";  // the harness's server runs without fsync
      for (const auto& [key, value] : b.services_[i].env) env[key] = value;
      s.binary = b.services_[i].binary;
      s.env = env;
      s.process =
          std::make_unique<Process>(std::vector<std::string>{s.binary}, s.env, LogPath(s.name));
    }
    std::map<std::string, std::string> gateway_env = addresses;
    for (const auto& [name, count] : b.replicas_) {
      const RunningService first = {Find(name).name,         Find(name).grpc_port,
                                    Find(name).metrics_port, Find(name).binary,
                                    Find(name).env,          nullptr};
      const std::string prefix = EnvPrefix(name);
      std::string list = Loopback(first.grpc_port);
      for (int r = 2; r <= count; ++r) {
        RunningService& s = services_.emplace_back();
        s.name = name + "." + std::to_string(r);
        s.grpc_port = FreePort();
        s.metrics_port = FreePort();
        s.binary = first.binary;
        s.env = first.env;
        s.env[prefix + "ADDR"] = Loopback(s.grpc_port);
        s.env[prefix + "METRICS_ADDR"] = Loopback(s.metrics_port);
        s.process =
            std::make_unique<Process>(std::vector<std::string>{s.binary}, s.env, LogPath(s.name));
        list += "," + Loopback(s.grpc_port);
      }
      gateway_env[prefix + "ADDR"] = list;
    }
    if (b.gateway_binary_.empty()) return;
    http_port_ = FreePort();
    if (b.gateway_.metrics) gateway_metrics_port_ = FreePort();
    std::vector<std::string> args = {b.gateway_binary_,
                                     "--descriptor-set",
                                     b.descriptor_set_,
                                     "--listen",
                                     Loopback(http_port_),
                                     "--metrics-listen",
                                     b.gateway_.metrics ? Loopback(gateway_metrics_port_) : "off"};
    if (b.gateway_.redis) {
      args.push_back("--redis");
      args.push_back(redis_.address());
    }
    if (tls_) {
      for (const std::string& a : std::vector<std::string>{
               "--backend-tls-ca", tls_dir() + "/ca.pem", "--backend-tls-cert",
               tls_dir() + "/gateway.pem", "--backend-tls-key", tls_dir() + "/gateway.key"}) {
        args.push_back(a);
      }
    }
    if (b.gateway_.dev_sign_in) {
      args.push_back("--dev-sign-in-key");
      args.push_back(keys_.private_key_path);
    }
    args.insert(args.end(), b.gateway_.args.begin(), b.gateway_.args.end());
    if (const char* extra = std::getenv("CIVIL_E2E_GATEWAY_FLAGS"); extra != nullptr) {
      std::istringstream flags(extra);
      for (std::string flag; flags >> flag;) args.push_back(flag);
    }
    for (const std::string& a : GatewayAuthArgs(keys_)) args.push_back(a);
    gateway_ = std::make_unique<Process>(args, gateway_env, LogPath("gateway"));
  }

  [[noreturn]] static void Fail(const std::string& what) {
    std::cerr << "e2e stack: " << what << std::endl;
    std::abort();
  }
  static std::string EnvPrefix(const std::string& name) {
    return "CIVIL_" + absl::AsciiStrToUpper(name) + "_";
  }
  static std::string Loopback(int port) { return "127.0.0.1:" + std::to_string(port); }
  std::string LogPath(const std::string& name) const { return dir_.path() + "/" + name + ".log"; }

  // Collects the personal data of a JSON request body (see PersonalDataInLogs).
  void RememberPersonalData(const std::string& body) const {
    nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return;
    std::vector<const nlohmann::json*> stack = {&json};
    std::lock_guard lock(sent_mu_);
    while (!stack.empty()) {
      const nlohmann::json* node = stack.back();
      stack.pop_back();
      if (node->is_array()) {
        for (const auto& item : *node) stack.push_back(&item);
      } else if (node->is_object()) {
        for (auto it = node->begin(); it != node->end(); ++it) {
          const std::string& key = it.key();
          const bool personal = key == "idNumber" || key == "name" ||
                                absl::EndsWith(key, "IdNumber") || absl::EndsWith(key, "Name");
          // Short values (a one-character name, an ID fragment) would match by accident.
          if (personal && it->is_string() && it->get<std::string>().size() >= 6) {
            sent_personal_.insert(it->get<std::string>());
          }
          stack.push_back(&*it);
        }
      }
    }
  }

  std::string LogSection(const std::string& name, size_t tail_bytes) const {
    std::ifstream in(LogPath(name));
    std::stringstream text;
    text << in.rdbuf();
    std::string log = text.str();
    if (log.size() > tail_bytes) log = "..." + log.substr(log.size() - tail_bytes);
    return "--- " + name + ".log\n" + log + (log.empty() || log.back() == '\n' ? "" : "\n");
  }

  RunningService& FindMutable(const std::string& name) {
    for (RunningService& s : services_) {
      if (s.name == name) return s;
    }
    Fail("no service " + name + " in this stack");
  }
  const RunningService& Find(const std::string& name) const {
    for (const RunningService& s : services_) {
      if (s.name == name) return s;
    }
    Fail("no service " + name + " in this stack");
  }

  // Declaration order is destruction order in reverse: processes (see ~E2eStack) before Redis,
  // PostgreSQL and the directory.
  TempDir dir_;
  PostgresServer pg_;
  RedisServer redis_;
  TestKeys keys_;
  std::vector<RunningService> services_;
  mutable std::mutex sent_mu_;
  mutable std::set<std::string> sent_personal_;
  std::unique_ptr<Process> gateway_;
  int http_port_ = 0;
  int gateway_metrics_port_ = 0;
  bool tls_ = false;
};

}  // namespace civil::testing
