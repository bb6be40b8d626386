// An HTTP/1.1 keep-alive server on Boost.Beast: a pool of io threads (one io_context each, so a
// connection's handlers never run concurrently), request size limits, and asynchronous
// responses, which a handler may send from any thread (e.g. a gRPC completion callback).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace civil::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// A response as the handler produces it; the server adds Content-Length, Date and Connection.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Further headers (`x-request-id`, `Allow`, ...). Values must not contain CR or LF.
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpConnection;

// Sends the response of one request. Movable; call Send() exactly once, from any thread.
class Responder {
 public:
  explicit Responder(std::shared_ptr<HttpConnection> connection)
      : connection_(std::move(connection)) {}

  // Writes `response` on the connection's io thread (directly when already on it).
  void Send(HttpResponse response);

  // The client's IP address (text), before Send().
  const std::string& peer() const;
  // Index of the io thread the connection lives on (0..threads-1), before Send().
  size_t thread() const;

  // Instead of Send(): a streamed response. StartStream() writes `head` (its body ignored) with
  // `Transfer-Encoding: chunked`; each SendChunk() writes one chunk, the one with `last` ends the
  // response (and consumes the responder, like Send()). Call them one at a time, each after the
  // previous `done`; `done(ok)` runs on the io thread (ok false: the client went away).
  void StartStream(HttpResponse head, std::function<void(bool)> done);
  void SendChunk(std::string data, bool last, std::function<void(bool)> done);

  // Runs `fn` on the connection's io thread, where it may call Send(). Used to move work off
  // other threads (e.g. a gRPC callback) onto the io pool.
  template <typename Fn>
  void Post(Fn&& fn) {
    boost::asio::post(Executor(), std::forward<Fn>(fn));
  }

 private:
  boost::asio::any_io_executor Executor() const;

  std::shared_ptr<HttpConnection> connection_;
};

// What the server calls for each request.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;

  // A complete request arrived. Runs on an io thread and must not block; `request` is valid only
  // during the call. The handler answers through `responder`, now or later.
  virtual void Handle(const HttpRequest& request, Responder responder) = 0;

  // The server refused a request before it was complete: 413 (body over the limit), 431 (headers
  // over the limit) or 400 (not HTTP/1.x). `partial` holds what was parsed (possibly nothing).
  // The connection closes after the response.
  virtual void HandleRejected(const HttpRequest& partial, int http_status, absl::string_view reason,
                              Responder responder) = 0;
};

struct HttpServerOptions {
  // Address to listen on, `host:port` (`0.0.0.0:8080`, `[::1]:8080`; port 0 picks a free one).
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  uint64_t max_body_bytes = 1 << 20;
  uint32_t max_header_bytes = 16 * 1024;
  // A connection with no request for this long (or a request that takes longer to arrive) closes.
  std::chrono::seconds idle_timeout{60};
  // PEM certificate chain and private key: HTTPS when both are set, plain HTTP otherwise.
  std::string tls_cert;
  std::string tls_key;
  // Called once with the io_context of each io thread, before any connection is accepted (e.g.
  // to give each thread objects of its own).
  std::function<void(const std::vector<boost::asio::io_context*>&)> before_serving;
};

class HttpServer {
 public:
  // Binds, listens and starts the io threads. `handler` must outlive the server. Returns
  // INVALID_ARGUMENT for a malformed address, UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           HttpHandler* handler);
  // Shuts down (with no grace period if Shutdown() was not called).
  ~HttpServer();

  // The bound port.
  uint16_t port() const { return port_; }
  // The io_context of each io thread, by index (Responder::thread()).
  std::vector<boost::asio::io_context*> contexts() const;

  // Stops accepting, closes idle keep-alive connections, lets in-flight requests be answered
  // (their connections close afterwards) for up to `grace`, then stops the io threads. Returns
  // the number of connections still open when the grace period ran out (0 on a clean drain).
  int Shutdown(std::chrono::milliseconds grace);

  // Internal, for connections.
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  const HttpServerOptions& options() const { return options_; }
  HttpHandler* handler() const { return handler_; }
  void Register(HttpConnection* connection, std::weak_ptr<HttpConnection> weak);
  void Unregister(HttpConnection* connection);

 private:
  HttpServer(const HttpServerOptions& options, HttpHandler* handler);
  void Accept();

  HttpServerOptions options_;
  HttpHandler* handler_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::thread> threads_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<boost::asio::ssl::context> tls_;  // HTTPS when set
  size_t next_context_ = 0;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;

  std::mutex connections_mu_;
  absl::flat_hash_map<HttpConnection*, std::weak_ptr<HttpConnection>> connections_;
};

// Splits `host:port` (`[v6]:port` for IPv6). Returns INVALID_ARGUMENT naming the address when the
// port is missing, not a number or out of 0..65535, or the host is empty.
absl::StatusOr<std::pair<std::string, uint16_t>> SplitHostPort(absl::string_view address);

}  // namespace civil::gateway
