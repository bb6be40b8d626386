// civilctl: the platform's command-line client for operators and developers.
//
//   civilctl health ADDR [--service NAME]   grpc.health.v1 Check; exit 0 when SERVING
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <future>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"

namespace {

// grpc.health.v1.Health/Check with a hand-encoded HealthCheckRequest{service} (field 1, bytes):
// the health protos are not shipped as C++ by Debian, and the message is one field.
int Health(const std::string& address, const std::string& service, int timeout_ms) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
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
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status s) { done.set_value(std::move(s)); });
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"civilctl: command-line client of the Civil Affairs Platform"};
  app.require_subcommand(1);

  std::string address;
  std::string service;
  int timeout_ms = 2000;
  CLI::App* health = app.add_subcommand("health", "Check a service's gRPC health (exit 0 = SERVING)");
  health->add_option("address", address, "host:port of the service")->required();
  health->add_option("--service", service, "Full service name (default: the whole server)");
  health->add_option("--timeout-ms", timeout_ms, "Deadline of the call")->check(CLI::Range(1, 600000));

  CLI11_PARSE(app, argc, argv);
  if (health->parsed()) return Health(address, service, timeout_ms);
  return 2;
}
