// gateway: wiring only. Flags/environment → Gateway → serve until SIGTERM/SIGINT → drain → exit 0.
#include <signal.h>

#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gateway/config.h"
#include "gateway/gateway.h"
#include "gateway/http_errors.h"

namespace {

void Log(absl::string_view level, absl::string_view message) {
  std::string line = absl::StrCat("{\"level\":\"", level, "\",\"component\":\"gateway\",\"msg\":");
  civil::gateway::AppendJsonString(message, &line);
  line.append("}\n");
  std::fputs(line.c_str(), stderr);
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<civil::gateway::GatewayConfig> config =
      civil::gateway::ParseConfig(argc, argv, civil::gateway::ProcessEnv);
  if (!config.ok()) {
    Log("error", absl::StrCat("bad configuration: ", config.status().message()));
    return 2;
  }
  if (config->help) {
    std::cout << civil::gateway::Usage();
    return 0;
  }

  // Every thread (io, gRPC, metrics) inherits the blocked mask; only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<std::unique_ptr<civil::gateway::Gateway>> gateway =
      civil::gateway::Gateway::Create(*config, civil::gateway::ProcessEnv);
  if (!gateway.ok()) {
    Log("error", absl::StrCat("cannot start: ", gateway.status().message()));
    return 1;
  }
  if (absl::Status started = (*gateway)->Start(); !started.ok()) {
    Log("error", absl::StrCat("cannot start: ", started.message()));
    return 1;
  }
  Log("info", absl::StrCat("serving HTTP on ", config->listen, " (port ", (*gateway)->port(), "), ",
                           (*gateway)->router().routes().size(), " routes, backends [",
                           absl::StrJoin((*gateway)->BackendSummary(), ", "), "], metrics ",
                           config->metrics_listen, ", ", config->threads, " io threads"));

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Log("info", absl::StrCat("signal ", signal_number, ": draining"));
  (*gateway)->Shutdown();
  gateway->reset();
  Log("info", "stopped");
  return 0;
}
