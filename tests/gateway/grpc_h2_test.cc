// GrpcH2Channel against a real gRPC C++ server: answers, statuses with messages and details,
// deadlines (sent and waiting for a connection), large answers over flow control, many calls in
// flight beyond the server's stream limit, a refused connection (fail fast while backing off), a
// restarted server (a broken connection is reopened by the next call), GOAWAY, the receive
// limit, and sending again only the calls that never reached the server (Options::retry_unsent).
#include "gateway/grpc_h2.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace civil::gateway {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// grpc-status-details-bin carries bytes (a serialized google.rpc.Status); any bytes will do.
std::string Details() { return std::string("\x08\x05\x12\x0cwith details\xff\x00\x80", 17); }

std::string Text(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string out;
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// Methods of a service that speaks bytes:
//   /t.S/Echo   the request back (and the caller's `x-tag` metadata appended after a '|')
//   /t.S/Big    as many bytes as the request says
//   /t.S/Fail   status code and message "code:message", with details
//   /t.S/Hang   nothing until cancelled
class BytesService : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(ctx);
  }

 private:
  class Reactor : public grpc::ServerGenericBidiReactor {
   public:
    explicit Reactor(grpc::GenericCallbackServerContext* ctx) : ctx_(ctx) { StartRead(&request_); }

    void OnReadDone(bool ok) override {
      if (!ok) return Done(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
      const std::string method = ctx_->method();
      std::string text = Text(request_);
      if (method == "/t.S/Hang") return;
      if (method == "/t.S/Fail") {
        const size_t colon = text.find(':');
        int code = 2;
        (void)absl::SimpleAtoi(text.substr(0, colon), &code);
        return Done(
            grpc::Status(static_cast<grpc::StatusCode>(code), text.substr(colon + 1), Details()));
      }
      if (method != "/t.S/Big" && method != "/t.S/Echo") {
        return Done(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
      }
      std::string answer;
      if (method == "/t.S/Big") {
        size_t n = 0;
        (void)absl::SimpleAtoi(text, &n);
        answer.assign(n, 'b');
      } else {
        answer = text;
        auto tag = ctx_->client_metadata().find("x-tag");
        if (tag != ctx_->client_metadata().end()) {
          answer += "|" + std::string(tag->second.data(), tag->second.size());
        }
      }
      grpc::Slice slice(answer);
      response_ = grpc::ByteBuffer(&slice, 1);
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnCancel() override { Done(grpc::Status::CANCELLED); }
    void OnDone() override { delete this; }

   private:
    void Done(const grpc::Status& status) {
      std::lock_guard<std::mutex> lock(mu_);
      if (done_) return;
      done_ = true;
      Finish(status);
    }
    grpc::GenericCallbackServerContext* ctx_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    std::mutex mu_;
    bool done_ = false;
  };
};

class Server {
 public:
  // On `port` (0: any); `max_streams` > 0 limits concurrent streams per connection.
  explicit Server(int port = 0, int max_streams = 0) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), grpc::InsecureServerCredentials(),
                             &port_);
    if (max_streams > 0) builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, max_streams);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~Server() { Stop(); }
  void Stop(std::chrono::milliseconds grace = 0ms) {
    if (server_ == nullptr) return;
    server_->Shutdown(std::chrono::system_clock::now() + grace);
    server_.reset();
  }
  int port() const { return port_; }

 private:
  BytesService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// A channel on an io thread of its own; Call() blocks the test until the answer.
class H2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    thread_ = std::thread([this] {
      auto guard = boost::asio::make_work_guard(io_);
      io_.run();
    });
  }
  void TearDown() override {
    OnIo([this] { channel_.reset(); });
    io_.stop();
    thread_.join();
  }

  template <typename Fn>
  void OnIo(Fn fn) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  void Open(const std::string& target, GrpcH2Channel::Options options = {}) {
    OnIo([&] {
      channel_.reset();
      channel_ = std::make_unique<GrpcH2Channel>(io_, target, options);
    });
  }

  std::future<GrpcResult> Start(const std::string& method, const std::string& request,
                                std::chrono::milliseconds timeout = 5000ms,
                                GrpcMetadata metadata = {}) {
    auto promise = std::make_shared<std::promise<GrpcResult>>();
    auto future = promise->get_future();
    boost::asio::post(io_, [=, this]() mutable {
      channel_->Call(method, request, std::move(metadata), Clock::now() + timeout,
                     [promise](GrpcResult r) { promise->set_value(std::move(r)); });
    });
    return future;
  }

  GrpcResult Call(const std::string& method, const std::string& request,
                  std::chrono::milliseconds timeout = 5000ms, GrpcMetadata metadata = {}) {
    return Start(method, request, timeout, std::move(metadata)).get();
  }

  GrpcH2Channel::State State() {
    GrpcH2Channel::State s;
    OnIo([&] { s = channel_->state(); });
    return s;
  }

  boost::asio::io_context io_{1};
  std::thread thread_;
  std::unique_ptr<GrpcH2Channel> channel_;
};

TEST_F(H2Test, AnswersStatusesAndMetadata) {
  Server server;
  Open(absl::StrCat("127.0.0.1:", server.port()));
  EXPECT_EQ(State(), GrpcH2Channel::State::kIdle);  // connects on first use
  GrpcResult r = Call("/t.S/Echo", "hello", 5000ms, {{"x-tag", "t1"}});
  EXPECT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(r.response, "hello|t1");
  EXPECT_EQ(State(), GrpcH2Channel::State::kReady);
  r = Call("/t.S/Echo", "");  // an empty message is still one message
  EXPECT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(r.response, "");

  r = Call("/t.S/Fail", "5:no such thing: 张三 100%");
  EXPECT_EQ(r.code, 5);
  EXPECT_EQ(r.message, "no such thing: 张三 100%");  // percent-encoded on the wire
  EXPECT_EQ(r.details, Details());

  r = Call("/t.S/Nope", "");
  EXPECT_EQ(r.code, 12);  // UNIMPLEMENTED from the server
}

TEST_F(H2Test, DeadlineExceededResetsTheStreamAndKeepsTheConnection) {
  Server server;
  Open(absl::StrCat("dns:///127.0.0.1:", server.port()));
  const auto start = Clock::now();
  GrpcResult r = Call("/t.S/Hang", "", 200ms);
  EXPECT_EQ(r.code, 4);
  EXPECT_GE(Clock::now() - start, 190ms);
  EXPECT_LT(Clock::now() - start, 2000ms);
  EXPECT_EQ(Call("/t.S/Echo", "after").response, "after");
}

TEST_F(H2Test, LargeAnswersAndTheReceiveLimit) {
  Server server;
  GrpcH2Channel::Options options;
  options.max_receive_bytes = 3 << 20;
  Open(absl::StrCat("127.0.0.1:", server.port()), options);
  GrpcResult r = Call("/t.S/Big", std::to_string(2 << 20));
  ASSERT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(r.response.size(), 2u << 20);
  r = Call("/t.S/Big", std::to_string(4 << 20));
  EXPECT_EQ(r.code, 8);  // RESOURCE_EXHAUSTED
  EXPECT_EQ(Call("/t.S/Echo", "still fine").response, "still fine");
  // A large request too.
  r = Call("/t.S/Echo", std::string(1 << 20, 'q'));
  ASSERT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(r.response.size(), 1u << 20);
}

TEST_F(H2Test, ManyCallsInFlightBeyondTheServersStreamLimit) {
  Server server(0, /*max_streams=*/8);
  Open(absl::StrCat("127.0.0.1:", server.port()));
  std::vector<std::future<GrpcResult>> calls;
  for (int i = 0; i < 300; ++i) calls.push_back(Start("/t.S/Echo", std::to_string(i)));
  for (int i = 0; i < 300; ++i) {
    GrpcResult r = calls[i].get();
    EXPECT_EQ(r.code, 0) << r.message;
    EXPECT_EQ(r.response, std::to_string(i));
  }
}

TEST_F(H2Test, RefusedConnectionFailsFastWhileBackingOff) {
  int port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  GrpcH2Channel::Options options;
  options.initial_backoff = 300ms;
  Open(absl::StrCat("127.0.0.1:", port), options);
  GrpcResult r = Call("/t.S/Echo", "x");
  EXPECT_EQ(r.code, 14);
  EXPECT_NE(r.message.find("failed to connect"), std::string::npos) << r.message;
  EXPECT_TRUE(r.unsent);  // never reached a server: safe to send to another replica
  EXPECT_EQ(State(), GrpcH2Channel::State::kTransientFailure);
  const auto start = Clock::now();
  GrpcResult fast = Call("/t.S/Echo", "x");  // no new attempt yet
  EXPECT_EQ(fast.code, 14);
  EXPECT_TRUE(fast.unsent);
  EXPECT_LT(Clock::now() - start, 100ms);
  // The server comes up: after the backoff the next call connects.
  Server server(port);
  std::this_thread::sleep_for(350ms);
  r = Call("/t.S/Echo", "up");
  EXPECT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(State(), GrpcH2Channel::State::kReady);
}

TEST_F(H2Test, ABrokenConnectionIsReopenedByTheNextCall) {
  auto server = std::make_unique<Server>();
  const int port = server->port();
  Open(absl::StrCat("127.0.0.1:", port));
  EXPECT_EQ(Call("/t.S/Echo", "one").response, "one");
  // In flight while the server goes away: UNAVAILABLE, not a hang.
  auto hanging = Start("/t.S/Hang", "", 5000ms);
  std::this_thread::sleep_for(50ms);
  server->Stop();
  server.reset();
  GrpcResult r = hanging.get();
  EXPECT_NE(r.code, 0);
  EXPECT_FALSE(r.unsent);  // it was sent: the server may have acted on it
  server = std::make_unique<Server>(port);
  for (int i = 0; i < 50 && State() != GrpcH2Channel::State::kIdle; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  r = Call("/t.S/Echo", "two");
  EXPECT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(r.response, "two");
}

TEST_F(H2Test, GoawayDrainsTheOldConnectionAndNewCallsOpenAnother) {
  auto server = std::make_unique<Server>();
  const int port = server->port();
  Open(absl::StrCat("127.0.0.1:", port));
  EXPECT_EQ(Call("/t.S/Echo", "a").response, "a");
  // A graceful shutdown sends GOAWAY; the server then stops.
  std::thread stop([&] { server->Stop(500ms); });
  std::this_thread::sleep_for(100ms);
  stop.join();
  server = std::make_unique<Server>(port);
  GrpcResult r = Call("/t.S/Echo", "b");
  if (r.code == 14) r = Call("/t.S/Echo", "b");  // the old connection's end raced the call
  EXPECT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(r.response, "b");
}

TEST_F(H2Test, ACallThatNeverReachedTheServerIsSentAgainWhenItComesUp) {
  int port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  GrpcH2Channel::Options options;
  options.initial_backoff = 100ms;
  options.retry_unsent = 10000ms;
  Open(absl::StrCat("127.0.0.1:", port), options);
  // Refused while nothing listens; answered once the server is up, within the call's deadline.
  auto call = Start("/t.S/Echo", "again", 10000ms);
  std::this_thread::sleep_for(300ms);
  Server server(port);
  GrpcResult r = call.get();
  EXPECT_EQ(r.code, 0) << r.message;
  EXPECT_EQ(r.response, "again");
  uint64_t retries = 0;
  OnIo([&] { retries = channel_->retries(); });
  EXPECT_GT(retries, 0u);
}

TEST_F(H2Test, ACallThatReachedTheServerIsNeverSentAgain) {
  auto server = std::make_unique<Server>();
  GrpcH2Channel::Options options;
  options.retry_unsent = 10000ms;
  Open(absl::StrCat("127.0.0.1:", server->port()), options);
  EXPECT_EQ(Call("/t.S/Echo", "one").response, "one");
  auto hanging = Start("/t.S/Hang", "", 5000ms);
  std::this_thread::sleep_for(50ms);
  server->Stop();  // the handler had it: it may have run, so its failure is the answer
  server.reset();
  EXPECT_NE(hanging.get().code, 0);
  uint64_t retries = 0;
  OnIo([&] { retries = channel_->retries(); });
  EXPECT_EQ(retries, 0u);
}

TEST_F(H2Test, WithoutARetryBudgetARefusedCallFailsAtOnce) {
  int port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  Open(absl::StrCat("127.0.0.1:", port));
  EXPECT_EQ(Call("/t.S/Echo", "x", 10000ms).code, 14);
  uint64_t retries = 0;
  OnIo([&] { retries = channel_->retries(); });
  EXPECT_EQ(retries, 0u);
}

TEST_F(H2Test, DeadlineWhileWaitingForAConnection) {
  // A listener that never accepts: the TCP handshake completes (backlog), HTTP/2 never answers.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  Open(absl::StrCat("127.0.0.1:", silent.local_endpoint().port()));
  const auto start = Clock::now();
  GrpcResult r = Call("/t.S/Echo", "x", 200ms);
  EXPECT_EQ(r.code, 4);
  EXPECT_LT(Clock::now() - start, 2000ms);
}

TEST(H2TargetTest, SupportedTargets) {
  EXPECT_TRUE(GrpcH2Channel::SupportedTarget("127.0.0.1:50051"));
  EXPECT_TRUE(GrpcH2Channel::SupportedTarget("assistance.internal:50051"));
  EXPECT_TRUE(GrpcH2Channel::SupportedTarget("dns:///assistance.internal:50051"));
  EXPECT_TRUE(GrpcH2Channel::SupportedTarget("[::1]:50051"));
  EXPECT_FALSE(GrpcH2Channel::SupportedTarget("unix:/run/assistance.sock"));
  EXPECT_FALSE(GrpcH2Channel::SupportedTarget("ipv4:127.0.0.1:1,127.0.0.2:1"));
  EXPECT_FALSE(GrpcH2Channel::SupportedTarget("localhost"));
  EXPECT_FALSE(GrpcH2Channel::SupportedTarget("h:0"));
}

}  // namespace
}  // namespace civil::gateway
