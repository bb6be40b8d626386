// TLS on the gRPC ports (services/common/tls.h): certificates made by deploy/local/tls.sh, a real
// gRPC server on a loopback port, and clients that must or must not get through. A channel that
// cannot complete the handshake never becomes READY; one that does gets its call answered.
#include "services/common/tls.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/match.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "tests/support/servers.h"

namespace civil {
namespace {

using civil::testing::TempDir;

// The certificates of one private CA, made once per directory by the script `make run` uses.
std::string MakeCertificates(const std::string& dir) {
  const std::string command =
      std::string("bash ") + CIVIL_TLS_SCRIPT + " " + dir + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return dir;
}

TlsConfig Read(const TlsFiles& files) {
  absl::StatusOr<TlsConfig> tls = ReadTlsFiles(files);
  EXPECT_TRUE(tls.ok()) << tls.status();
  return tls.ok() ? *tls : TlsConfig{};
}

// A gRPC server that answers every method with OK at once, listening with `credentials`.
class Server {
 public:
  explicit Server(std::shared_ptr<grpc::ServerCredentials> credentials) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port_);
    builder.RegisterCallbackGenericService(&ok_);
    server_ = builder.BuildAndStart();
  }
  ~Server() { server_->Shutdown(std::chrono::system_clock::now()); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  class AnswerOk : public grpc::CallbackGenericService {
    grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
      class Reactor : public grpc::ServerGenericBidiReactor {
       public:
        Reactor() { Finish(grpc::Status::OK); }
        void OnDone() override { delete this; }
      };
      return new Reactor;
    }
  };
  AnswerOk ok_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// Whether a channel with `credentials` reaches READY and a call answers OK.
bool GetsThrough(const std::string& address,
                 std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a fresh connection per client
  auto channel = grpc::CreateCustomChannel(address, credentials, args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(3))) {
    return false;
  }
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1), response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   std::lock_guard lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  return status.ok();
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    other_ = new TempDir();
    MakeCertificates(dir_->path());
    MakeCertificates(other_->path());
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete other_;
  }
  static std::string File(const std::string& name) { return dir_->path() + "/" + name; }
  static std::string Other(const std::string& name) { return other_->path() + "/" + name; }

  static TempDir* dir_;
  static TempDir* other_;  // a second CA, trusted by nobody here
};

TempDir* TlsTest::dir_ = nullptr;
TempDir* TlsTest::other_ = nullptr;

TEST_F(TlsTest, PlaintextByDefault) {
  Server server(ServerCredentials(TlsConfig{}));
  EXPECT_TRUE(GetsThrough(server.address(), ChannelCredentials(TlsConfig{})));
}

TEST_F(TlsTest, ServerCertificateVerifiedAgainstTheCa) {
  Server server(ServerCredentials(Read({File("service.pem"), File("service.key"), "", ""})));
  EXPECT_TRUE(
      GetsThrough(server.address(), ChannelCredentials(Read({"", "", File("ca.pem"), ""}))));
  // Plaintext to a TLS port, and TLS trusting another CA, both fail.
  EXPECT_FALSE(GetsThrough(server.address(), ChannelCredentials(TlsConfig{})));
  EXPECT_FALSE(
      GetsThrough(server.address(), ChannelCredentials(Read({"", "", Other("ca.pem"), ""}))));
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateOfTheCa) {
  Server server(
      ServerCredentials(Read({File("service.pem"), File("service.key"), "", File("ca.pem")})));
  // The gateway's and a service's client certificates get through.
  EXPECT_TRUE(GetsThrough(
      server.address(),
      ChannelCredentials(Read({File("gateway.pem"), File("gateway.key"), File("ca.pem"), ""}))));
  EXPECT_TRUE(GetsThrough(
      server.address(),
      ChannelCredentials(Read({File("service.pem"), File("service.key"), File("ca.pem"), ""}))));
  // No client certificate, or one of another CA: refused in the handshake.
  EXPECT_FALSE(
      GetsThrough(server.address(), ChannelCredentials(Read({"", "", File("ca.pem"), ""}))));
  EXPECT_FALSE(GetsThrough(
      server.address(),
      ChannelCredentials(Read({Other("gateway.pem"), Other("gateway.key"), File("ca.pem"), ""}))));
  EXPECT_FALSE(GetsThrough(server.address(), ChannelCredentials(TlsConfig{})));
}

TEST_F(TlsTest, BadFilesNameTheVariable) {
  absl::StatusOr<TlsConfig> lone = ReadTlsFiles({File("service.pem"), "", "", ""});
  ASSERT_FALSE(lone.ok());
  EXPECT_EQ(lone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(lone.status().message(), "CIVIL_TLS_KEY:")) << lone.status();

  absl::StatusOr<TlsConfig> missing = ReadTlsFiles({"", "", File("nope.pem"), ""});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::StartsWith(missing.status().message(), "CIVIL_TLS_CA: cannot read"))
      << missing.status();

  const std::string not_pem = File("not.pem");
  std::ofstream(not_pem) << "hello\n";
  absl::StatusOr<TlsConfig> garbage = ReadTlsFiles({"", "", "", not_pem}, {.client_ca = "--x"});
  ASSERT_FALSE(garbage.ok());
  EXPECT_TRUE(absl::StartsWith(garbage.status().message(), "--x:")) << garbage.status();
  EXPECT_TRUE(absl::StrContains(garbage.status().message(), "no PEM block")) << garbage.status();
}

TEST_F(TlsTest, ServiceConfigRefusesAClientCaWithoutACertificate) {
  setenv("CIVIL_TLS_CLIENT_CA", File("ca.pem").c_str(), 1);
  absl::StatusOr<TlsConfig> tls = LoadTlsConfig();
  unsetenv("CIVIL_TLS_CLIENT_CA");
  ASSERT_FALSE(tls.ok());
  EXPECT_TRUE(absl::StartsWith(tls.status().message(), "CIVIL_TLS_CLIENT_CA:")) << tls.status();
}

}  // namespace
}  // namespace civil
