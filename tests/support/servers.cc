#include "tests/support/servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

namespace civil::testing {
namespace {

constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "test harness: " << what << std::endl;
  std::abort();
}

bool IsRoot() { return geteuid() == 0; }

// Runs argv to completion (as `postgres` when root); aborts on a non-zero exit.
int RunCommand(std::vector<std::string> argv, bool as_postgres, const std::string& log) {
  if (as_postgres && IsRoot()) {
    argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  }
  Process p(argv, {}, log);
  return p.Stop(0, true);
}

}  // namespace

int FreePort() {
  // Not the kernel's ephemeral range (ip_local_port_range, 32768–60999 on Debian): a port picked
  // there by binding port 0 is free only until some process's outgoing connection (a service's to
  // PostgreSQL, say) takes it as its local port, and then the server meant for it cannot bind.
  // Below that range only listeners take ports. Test processes running at once (ctest -j) keep
  // out of each other's way by an flock on /tmp/civil-test-ports/<port>, held until this process
  // exits; a port is also skipped when something already listens on it.
  constexpr int kFirst = 20000, kCount = 12000;
  static std::mutex mu;
  std::lock_guard lock(mu);
  static const std::string dir = [] {
    const std::string d = "/tmp/civil-test-ports";
    mkdir(d.c_str(), 01777);
    chmod(d.c_str(), 01777);
    return d;
  }();
  static unsigned next =
      static_cast<unsigned>(getpid()) * 7919u +
      static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count());
  for (int attempt = 0; attempt < kCount; ++attempt) {
    const int port = kFirst + static_cast<int>(next++ % kCount);
    const std::string lock_path = dir + "/" + std::to_string(port);
    const int lock_fd = open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0666);
    if (lock_fd < 0) continue;
    if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
      close(lock_fd);
      continue;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    const bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (!free) {
      close(lock_fd);
      continue;
    }
    return port;  // lock_fd stays open: the port is this process's until it exits
  }
  Fail("no free port in 20000–31999");
}

bool WaitForPort(int port, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "civil-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp");
  path_ = pattern;
  chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Process::Process(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
                 const std::string& log_path) {
  pid_ = fork();  // cppcheck-suppress useInitializationList
  if (pid_ < 0) Fail("fork");
  if (pid_ == 0) {
    setpgid(0, 0);
    // Undo the parent's signal mask (gRPC test binaries may block signals).
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    if (!log_path.empty()) {
      int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
    }
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

Process::~Process() {
  if (pid_ > 0) Stop(SIGKILL, true);
}

bool Process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int Process::Stop(int signal, bool wait) {
  if (pid_ <= 0) return -1;
  if (signal != 0) kill(pid_, signal);
  if (!wait) return 0;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

PostgresServer::PostgresServer() : port_(FreePort()) {
  const std::string data = dir_.path() + "/data";
  if (IsRoot()) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr) Fail("user postgres missing (install postgresql-15)");
    if (chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) Fail("chown test dir");
  }
  if (RunCommand({std::string(kPgBin) + "/initdb", "-D", data, "-U", "civil", "-A", "trust", "-E",
                  "UTF8", "--locale=C", "--no-sync"},
                 true, dir_.path() + "/initdb.log") != 0) {
    Fail("initdb failed, see " + dir_.path() + "/initdb.log");
  }
  Start();
}

PostgresServer::~PostgresServer() {
  if (running_) {
    RunCommand({std::string(kPgBin) + "/pg_ctl", "-D", dir_.path() + "/data", "-m", "immediate",
                "-w", "stop"},
               true, dir_.path() + "/pg_ctl.log");
  }
}

void PostgresServer::Start() {
  const std::string options = "-p " + std::to_string(port_) + " -k " + dir_.path() +
                              " -c listen_addresses=127.0.0.1 -c fsync=off"
                              " -c synchronous_commit=off -c full_page_writes=off"
                              " -c max_connections=200";
  if (RunCommand({std::string(kPgBin) + "/pg_ctl", "-D", dir_.path() + "/data", "-l",
                  dir_.path() + "/postgres.log", "-o", options, "-w", "-t", "60", "start"},
                 true, dir_.path() + "/pg_ctl.log") != 0) {
    Fail("pg_ctl start failed, see " + dir_.path() + "/postgres.log");
  }
  running_ = true;
}

void PostgresServer::Stop() {
  RunCommand(
      {std::string(kPgBin) + "/pg_ctl", "-D", dir_.path() + "/data", "-m", "fast", "-w", "stop"},
      true, dir_.path() + "/pg_ctl.log");
  running_ = false;
}

void PostgresServer::Kill() {
  std::FILE* file = std::fopen((dir_.path() + "/data/postmaster.pid").c_str(), "r");
  if (file == nullptr) Fail("no postmaster.pid to kill");
  long postmaster = 0;
  const bool read = std::fscanf(file, "%ld", &postmaster) == 1;
  std::fclose(file);
  if (!read || postmaster <= 0) Fail("unreadable postmaster.pid");
  // Its children, found before it dies (afterwards they belong to init).
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::FILE* stat = std::fopen((entry.path() / "stat").c_str(), "r");
    if (stat == nullptr) continue;
    long pid = 0, ppid = 0;
    char state = 0;
    // pid (comm) state ppid: comm of a postgres backend has no spaces or parentheses.
    if (std::fscanf(stat, "%ld %*s %c %ld", &pid, &state, &ppid) == 3 && ppid == postmaster) {
      children.push_back(static_cast<pid_t>(pid));
    }
    std::fclose(stat);
  }
  kill(static_cast<pid_t>(postmaster), SIGKILL);
  for (pid_t child : children) kill(child, SIGKILL);
  children.push_back(static_cast<pid_t>(postmaster));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (pid_t pid : children) {
    // Gone, or a zombie (whoever reaps orphans has not yet): either way its memory is free.
    auto alive = [](pid_t p) {
      std::FILE* stat = std::fopen(("/proc/" + std::to_string(p) + "/stat").c_str(), "r");
      if (stat == nullptr) return false;
      char state = 0;
      const bool read = std::fscanf(stat, "%*d %*s %c", &state) == 1;
      std::fclose(stat);
      return read && state != 'Z' && state != 'X';
    };
    while (alive(pid) && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // Where nobody reaps orphans (a container's init), the dead postmaster stays a zombie whose pid
  // the lock files name, and the next start would take it for a running server.
  std::filesystem::remove(dir_.path() + "/data/postmaster.pid");
  const std::string socket = dir_.path() + "/.s.PGSQL." + std::to_string(port_);
  std::filesystem::remove(socket + ".lock");
  std::filesystem::remove(socket);
  running_ = false;
}

std::string PostgresServer::Dsn(const std::string& database) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=civil dbname=" + database;
}

std::string PostgresServer::CreateDatabase(const std::string& name) {
  pqxx::connection admin(Dsn("postgres"));
  pqxx::nontransaction txn(admin);
  txn.exec("CREATE DATABASE " + txn.quote_name(name));
  return Dsn(name);
}

RedisServer::RedisServer() : port_(FreePort()) { Start(); }

RedisServer::~RedisServer() { Stop(); }

void RedisServer::Start() {
  process_ = std::make_unique<Process>(
      std::vector<std::string>{"redis-server", "--port", std::to_string(port_), "--bind",
                               "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                               dir_.path()},
      std::map<std::string, std::string>{}, dir_.path() + "/redis.log");
  if (!WaitForPort(port_, 10000)) Fail("redis-server did not start, see " + dir_.path());
}

void RedisServer::Kill() {
  if (process_ != nullptr) {
    process_->Stop(SIGKILL, true);
    process_.reset();
  }
}

void RedisServer::Stop() {
  if (process_ != nullptr) {
    process_->Stop(SIGTERM, true);
    process_.reset();
  }
}

}  // namespace civil::testing
