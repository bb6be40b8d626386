// Unary gRPC calls over HTTP/2 (nghttp2), driven by one io thread's own event loop.
//
// Why not grpc::GenericStub for these: gRPC's C++ client completes calls on threads of its own
// (the callback API's "nexting" threads and its executor), so every request crossed threads twice
// and paid gRPC core's per-call machinery (filters, combiners, promise plumbing): about 55k
// instructions and a thread switch per call, more than everything else the gateway does. Here a
// call is HEADERS + DATA written in the io thread's next write (calls of one loop turn share one
// write) and its answer is parsed and completed on the same thread, from the same epoll wakeup as
// the rest of the connection's work.
//
// What it speaks is gRPC's wire protocol (PROTOCOL-HTTP2.md) for unary calls: `grpc-timeout`,
// length-prefixed messages (no compression is offered, so none comes back), status from the
// trailers (or a trailers-only response), `grpc-message` percent-decoded,
// `grpc-status-details-bin`, the HTTP-status and RST_STREAM mappings of gRPC's clients. The
// connection behaves like a gRPC channel: connected on first use, calls fail fast (UNAVAILABLE)
// while a failed connection is backing off (1 s doubling to 30 s), a broken connection is
// reopened by the next call, GOAWAY drains the old connection while new calls open a new one.
// With Options::retry_unsent, a call that certainly never reached a handler (the connection was
// refused or failed before the call was written, the backend refused its stream: REFUSED_STREAM,
// a GOAWAY that excludes it, or CANCELLED / RST_STREAM(CANCEL) after the server's GOAWAY, which is
// how gRPC's sync server drops the calls it took but never ran while it shuts down) is sent again
// after a short pause, as gRPC's transparent retries do; a call that was sent and then lost its
// connection is never repeated (it may have run).
// Server-streaming calls still go through grpc::GenericStub (gateway.cc).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace civil::gateway {

// The outcome of a call, as a gRPC client reports it.
struct GrpcResult {
  int code = 0;          // grpc::StatusCode
  std::string message;   // grpc-message (decoded)
  std::string details;   // grpc-status-details-bin (decoded): a serialized google.rpc.Status
  std::string response;  // the response message, when code is 0
  // The call never reached the backend (no connection, backing off, refused before sending):
  // sending it elsewhere cannot run it twice.
  bool unsent = false;
};

// Metadata sent with a call: lower-case names, printable ASCII values.
using GrpcMetadata = std::vector<std::pair<std::string, std::string>>;

class GrpcH2Channel {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{20000};
    std::chrono::milliseconds initial_backoff{1000};
    std::chrono::milliseconds max_backoff{30000};
    size_t max_receive_bytes = 64 << 20;  // larger responses are RESOURCE_EXHAUSTED
    size_t max_waiting = 20000;           // calls waiting for a connection
    // How long after its first attempt a call that never reached the backend may still be sent
    // again (pauses of 25 ms doubling to 500 ms, never past the call's deadline). 0: never.
    std::chrono::milliseconds retry_unsent{0};
  };
  // gRPC's connectivity states, as /healthz reads them.
  enum class State { kIdle, kConnecting, kReady, kTransientFailure };

  // `target`: `host:port` or `[v6]:port` (optionally `dns:///` before it). Connects on first use.
  GrpcH2Channel(boost::asio::io_context& io, std::string target, Options options);
  GrpcH2Channel(boost::asio::io_context& io, std::string target)
      : GrpcH2Channel(io, std::move(target), Options()) {}
  // Drops the callbacks of unfinished calls without running them: the io thread has stopped.
  ~GrpcH2Channel();
  GrpcH2Channel(const GrpcH2Channel&) = delete;
  GrpcH2Channel& operator=(const GrpcH2Channel&) = delete;

  // Calls `method` (`/pkg.Service/Method`) with the serialized `request`. `done` runs exactly once
  // on the io thread, never from inside Call(). Call only from the io thread.
  void Call(absl::string_view method, absl::string_view request, GrpcMetadata metadata,
            std::chrono::steady_clock::time_point deadline, std::function<void(GrpcResult)> done);

  // Calls sent again because the first attempt never reached the backend. Readable from any
  // thread.
  uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }

  // Readable from any thread.
  State state() const { return state_.load(std::memory_order_relaxed); }

  // Whether `target` is a form Call() can reach (checked at start-up).
  static bool SupportedTarget(absl::string_view target);

  struct CallState;
  class Connection;

 private:
  void Connect();
  void OnConnected(Connection* connection);
  void OnConnectFailed(Connection* connection, const std::string& why);
  void OnClosed(Connection* connection);  // broken, or drained after GOAWAY
  void OnGoaway(Connection* connection);
  void Complete(CallState* call, GrpcResult result);
  // Sends `call` on the current connection, or queues it for the one being opened.
  void Dispatch(CallState* call);
  // `call` never reached the backend: sent again after a pause when Options::retry_unsent and its
  // deadline allow, else completed with `code` and `message`.
  void RetryOrFail(CallState* call, int code, std::string message);
  bool RetryTime(const CallState& call, std::chrono::steady_clock::time_point* at) const;
  void ScheduleRetry(CallState* call, std::chrono::steady_clock::time_point at);
  void ArmTimer();
  void OnTimer();
  void FailAfter(std::function<void(GrpcResult)> done, int code, std::string message,
                 bool unsent = false);

  boost::asio::io_context& io_;
  std::string target_;
  std::string target_authority_;  // :authority, host:port
  std::string host_;
  std::string port_;
  Options options_;
  std::atomic<State> state_{State::kIdle};
  std::shared_ptr<Connection> current_;                // takes new calls
  std::vector<std::shared_ptr<Connection>> draining_;  // after GOAWAY, until their calls end
  std::vector<CallState*> waiting_;                    // for current_ to connect
  std::set<CallState*> retrying_;                      // pausing before they are sent again
  std::atomic<uint64_t> retries_{0};
  std::chrono::steady_clock::time_point retry_at_{};  // no connection attempt before
  std::chrono::milliseconds backoff_;
  std::string last_error_;
  // Deadlines of every unfinished call (waiting or sent), earliest first.
  std::multimap<std::chrono::steady_clock::time_point, CallState*> deadlines_;
  std::unique_ptr<struct ChannelTimer> timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace civil::gateway
