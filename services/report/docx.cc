#include "services/report/docx.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace civil::report {
namespace {

// A private directory (0700), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "civil-docx-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

absl::Status NotInstalled() {
  return absl::FailedPreconditionError(
      "format: docx needs pandoc, which is not installed on the report service's host");
}

}  // namespace

absl::StatusOr<std::string> MarkdownToDocx(const std::string& markdown,
                                           std::chrono::milliseconds timeout,
                                           const std::string& pandoc) {
  TempDir dir;
  if (dir.path().empty()) return absl::InternalError("docx: no temporary directory");
  const std::string in = dir.path() + "/summary.md", out = dir.path() + "/summary.docx";
  {
    std::ofstream file(in, std::ios::binary);
    file << markdown;
    if (!file) return absl::InternalError("docx: cannot write the Markdown");
  }
  std::vector<std::string> args = {pandoc, "--from=markdown", "--to=docx", "--output=" + out, in};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // pandoc's own messages go nowhere: they could quote the document.
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, pandoc.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return NotInstalled();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return absl::InternalError("docx: lost the converter");
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return absl::DeadlineExceededError("format: the Word conversion took too long");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // posix_spawnp reports a missing program as the child's exit 127.
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return NotInstalled();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError("docx: the Word conversion failed");
  }
  std::ifstream file(out, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (bytes.size() < 4 || bytes.compare(0, 4, "PK\x03\x04") != 0) {
    return absl::InternalError("docx: the converter wrote no Word file");
  }
  return bytes;
}

}  // namespace civil::report
