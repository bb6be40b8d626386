// gateway: wiring only. Flags/environment → Gateway → serve until SIGTERM/SIGINT → drain → exit 0.
#include <signal.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "gateway/config.h"
#include "gateway/gateway.h"
#include "gateway/openapi.h"
#include "services/common/log.h"

using civil::Log;
using civil::LogLevel;

int main(int argc, char** argv) {
  civil::SetLogComponent("gateway");
  absl::StatusOr<civil::gateway::GatewayConfig> config = civil::gateway::ParseConfig(argc, argv);
  if (!config.ok()) {
    Log(LogLevel::kError, absl::StrCat("bad configuration: ", config.status().message()));
    return 2;
  }
  if (config->help) {
    std::cout << civil::gateway::Usage();
    return 0;
  }
  if (config->print_openapi) {
    absl::StatusOr<civil::gateway::LoadedDescriptors> descriptors =
        civil::gateway::LoadDescriptorSet(config->descriptor_set);
    if (!descriptors.ok()) {
      Log(LogLevel::kError, descriptors.status().message());
      return 1;
    }
    absl::StatusOr<civil::gateway::Router> router =
        civil::gateway::Router::Create(descriptors->Services());
    if (!router.ok()) {
      Log(LogLevel::kError, router.status().message());
      return 1;
    }
    std::cout << civil::gateway::BuildOpenApi(*descriptors, *router, !config->auth_off) << "\n";
    return 0;
  }
  if (absl::Status checked = civil::gateway::CheckConfig(*config); !checked.ok()) {
    Log(LogLevel::kError, absl::StrCat("bad configuration: ", checked.message()));
    return 2;
  }

  // gRPC locks absl::Mutex on every call; Debian's Abseil tracks lock graphs (with stack traces)
  // unless told not to, which costs a few percent of the gateway's CPU for nothing.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

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
    Log(LogLevel::kError, absl::StrCat("cannot start: ", gateway.status().message()));
    return 1;
  }
  if (absl::Status started = (*gateway)->Start(); !started.ok()) {
    Log(LogLevel::kError, absl::StrCat("cannot start: ", started.message()));
    return 1;
  }
  Log(LogLevel::kInfo,
      absl::StrCat("serving ", config->tls_cert.empty() ? "HTTP" : "HTTPS", " on ", config->listen,
                   " (port ", (*gateway)->port(), "), ", (*gateway)->router().routes().size(),
                   " routes, backends [", absl::StrJoin((*gateway)->BackendSummary(), ", "),
                   "], metrics ", config->metrics_listen, ", ", config->threads,
                   " io threads, JSON ", config->fast_json ? "fast" : "protobuf only",
                   ", unary calls ",
                   !config->backend_tls_ca.empty() ? "gRPC generic stub over TLS"
                   : config->h2_unary              ? "nghttp2"
                                                   : "gRPC generic stub"));

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Log(LogLevel::kInfo, absl::StrCat("signal ", signal_number, ": draining"));
  (*gateway)->Shutdown();
  gateway->reset();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}
