// Test harness: throwaway PostgreSQL and Redis servers from Debian's binaries, on free loopback
// ports in a temporary directory, and child processes for the platform's own binaries. Nothing
// here is a mock: the tests talk to real servers they start and stop themselves.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace civil::testing {

// A free TCP port on 127.0.0.1 below the kernel's ephemeral range, reserved for this process
// against other test processes (servers.cc says how) and never handed out twice.
int FreePort();

// A temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A child process; killed (SIGKILL) on destruction if still running.
class Process {
 public:
  // Starts `argv` with the current environment plus `env`; stdout/stderr go to `log_path` when
  // given. Aborts the test binary if fork/exec fails.
  Process(std::vector<std::string> argv, const std::map<std::string, std::string>& env = {},
          const std::string& log_path = "");
  ~Process();
  pid_t pid() const { return pid_; }
  // Sends `signal` and, with `wait`, reaps the process; returns its exit status (or -1).
  int Stop(int signal, bool wait = true);
  bool running();

 private:
  pid_t pid_ = -1;
};

// A private PostgreSQL 15 cluster. Started as the unprivileged `postgres` user when the tests
// run as root.
class PostgresServer {
 public:
  PostgresServer();   // initdb + start; aborts the test binary on failure
  ~PostgresServer();  // stop (immediate) and remove the data

  void Stop();  // fast shutdown; the data stays
  // A crash: SIGKILL to the postmaster, then to the backends it leaves (they would hold its
  // shared memory and keep a restart from starting). What was committed stays; Start() runs
  // crash recovery.
  void Kill();
  void Start();  // start again on the same port with the same data
  int port() const { return port_; }
  // Creates database `name` and returns its keyword/value DSN.
  std::string CreateDatabase(const std::string& name);
  std::string Dsn(const std::string& database) const;

 private:
  void Run(const std::vector<std::string>& argv);
  TempDir dir_;
  int port_;
  bool running_ = false;
};

// A private Redis 7 server without persistence.
class RedisServer {
 public:
  RedisServer();  // start; aborts the test binary on failure
  ~RedisServer();
  void Stop();
  // kill -9; Start() again comes up empty (no persistence).
  void Kill();
  void Start();
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  TempDir dir_;
  int port_;
  std::unique_ptr<Process> process_;
};

// Waits until a TCP connect to 127.0.0.1:`port` succeeds; false after `timeout_ms`.
bool WaitForPort(int port, int timeout_ms);

// A fixed 64-hex-character PII key for tests.
inline constexpr char kTestPiiKey[] =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

}  // namespace civil::testing
