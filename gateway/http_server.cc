#include "gateway/http_server.h"

#include <time.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <type_traits>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gateway/http_errors.h"

namespace civil::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// `Date:` value, formatted at most once a second per thread.
absl::string_view HttpDate() {
  thread_local time_t cached_second = 0;
  thread_local char buffer[64];
  thread_local size_t length = 0;
  time_t now = time(nullptr);
  if (now != cached_second) {
    struct tm tm;
    gmtime_r(&now, &tm);
    length = strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return absl::string_view(buffer, length);
}

}  // namespace

// One client connection: reads a request, hands it to the handler, writes the response, repeats.
// All its handlers run on its io_context's single thread.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  virtual ~HttpConnection() = default;
  virtual void Start() = 0;
  virtual asio::any_io_executor executor() = 0;
  virtual bool OnOwnThread() = 0;
  virtual void CloseIfIdle() = 0;
  virtual void Write(HttpResponse response) = 0;
  // Streaming: the head (Transfer-Encoding: chunked), then chunks; `last` ends the response.
  // `done(ok)` runs on the io thread once the bytes are written (ok false: the client is gone).
  virtual void WriteStreamHead(HttpResponse head, std::function<void(bool)> done) = 0;
  virtual void WriteStreamChunk(std::string data, bool last, std::function<void(bool)> done) = 0;
  virtual const std::string& peer() const = 0;
  // Index of the io thread (and io_context) the connection lives on.
  virtual size_t thread() const = 0;
};

namespace {

// Stream is beast::tcp_stream (plain HTTP) or beast::ssl_stream<beast::tcp_stream> (HTTPS).
template <typename Stream>
class HttpConnectionImpl final : public HttpConnection {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  HttpConnectionImpl(tcp::socket socket, HttpServer* server, size_t thread) requires(!kTls)
      : stream_(std::move(socket)), server_(server), thread_(thread) {}
  HttpConnectionImpl(tcp::socket socket, asio::ssl::context& tls, HttpServer* server,
                     size_t thread) requires(kTls)
      : stream_(std::move(socket), tls), server_(server), thread_(thread) {}

  ~HttpConnectionImpl() override { server_->Unregister(this); }

  void Start() override {
    server_->Register(this, weak_from_this());
    beast::error_code ignored;
    lowest().socket().set_option(tcp::no_delay(true), ignored);
    tcp::endpoint remote = lowest().socket().remote_endpoint(ignored);
    boost::asio::ip::address address = remote.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    }
    peer_ = address.to_string();
    if constexpr (kTls) {
      lowest().expires_after(server_->options().idle_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = self()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->ReadHeader();
                              });
    } else {
      ReadHeader();
    }
  }

  const std::string& peer() const override { return peer_; }
  size_t thread() const override { return thread_; }

  asio::any_io_executor executor() override { return stream_.get_executor(); }

  bool OnOwnThread() override {
    return stream_.get_executor()
        .template target<asio::io_context::executor_type>()
        ->running_in_this_thread();
  }

  // Closes the connection if it is waiting for a request; otherwise it closes after the response
  // in progress (HttpServer::stopping()).
  void CloseIfIdle() override {
    if (!busy_) Close();
  }

  void Write(HttpResponse response) override {
    out_head_.clear();
    absl::StrAppend(&out_head_, "HTTP/1.1 ", response.status, " ", HttpReason(response.status),
                    "\r\nContent-Type: ", response.content_type,
                    "\r\nContent-Length: ", response.body.size(), "\r\nDate: ", HttpDate(), "\r\n");
    for (const auto& [name, value] : response.headers) {
      absl::StrAppend(&out_head_, name, ": ", value, "\r\n");
    }
    const bool keep_alive = keep_alive_ && !server_->stopping();
    if (!keep_alive) {
      out_head_.append("Connection: close\r\n");
    } else if (http_10_) {
      out_head_.append("Connection: keep-alive\r\n");
    }
    out_head_.append("\r\n");
    out_body_ = std::move(response.body);
    if (head_request_) out_body_.clear();
    std::array<asio::const_buffer, 2> buffers = {asio::buffer(out_head_), asio::buffer(out_body_)};
    lowest().expires_after(server_->options().idle_timeout);
    asio::async_write(stream_, buffers, [self = self(), keep_alive](beast::error_code ec, size_t) {
      self->OnWrite(ec, keep_alive);
    });
  }

  void WriteStreamHead(HttpResponse head, std::function<void(bool)> done) override {
    // HTTP/1.0 has no chunked encoding: the body then ends when the connection closes.
    stream_chunked_ = !http_10_;
    stream_keep_alive_ = keep_alive_ && stream_chunked_ && !server_->stopping();
    out_head_.clear();
    absl::StrAppend(&out_head_, "HTTP/1.1 ", head.status, " ", HttpReason(head.status),
                    "\r\nContent-Type: ", head.content_type, "\r\nDate: ", HttpDate(), "\r\n");
    if (stream_chunked_) out_head_.append("Transfer-Encoding: chunked\r\n");
    for (const auto& [name, value] : head.headers) {
      absl::StrAppend(&out_head_, name, ": ", value, "\r\n");
    }
    if (!stream_keep_alive_) out_head_.append("Connection: close\r\n");
    out_head_.append("\r\n");
    if (head_request_) {  // nothing follows the head of a HEAD response
      stream_chunked_ = false;
    }
    lowest().expires_after(server_->options().idle_timeout);
    asio::async_write(stream_, asio::buffer(out_head_),
                      [self = self(), done = std::move(done)](beast::error_code ec, size_t) {
                        done(!ec);
                        if (ec) self->Close();
                      });
  }

  void WriteStreamChunk(std::string data, bool last, std::function<void(bool)> done) override {
    out_body_.clear();
    if (head_request_) {
      data.clear();
    } else if (stream_chunked_) {
      if (!data.empty()) absl::StrAppend(&out_body_, absl::Hex(data.size()), "\r\n", data, "\r\n");
      if (last) out_body_.append("0\r\n\r\n");
    } else {
      out_body_ = std::move(data);
    }
    lowest().expires_after(server_->options().idle_timeout);
    const bool keep_alive = stream_keep_alive_ && !server_->stopping();
    asio::async_write(
        stream_, asio::buffer(out_body_),
        [self = self(), last, keep_alive, done = std::move(done)](beast::error_code ec, size_t) {
          if (done) done(!ec);
          if (ec) return self->Close();
          if (last) self->OnWrite(ec, keep_alive);
        });
  }

 private:
  void ReadHeader() {
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(server_->options().max_header_bytes);
    parser_->body_limit(server_->options().max_body_bytes);
    lowest().expires_after(server_->options().idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = self()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    if (parser_->is_done()) return OnRequest();
    auto expect = parser_->get().find(http::field::expect);
    if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
      static constexpr absl::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = self()](beast::error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_, [self = self()](beast::error_code ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->OnRequest();
    });
  }

  void OnRequest() {
    busy_ = true;
    const HttpRequest& request = parser_->get();
    keep_alive_ = request.keep_alive();
    http_10_ = request.version() == 10;
    head_request_ = request.method() == http::verb::head;
    lowest().expires_never();  // the handler's own deadline bounds the wait
    server_->handler()->Handle(request, Responder(self()));
  }

  void OnReadError(beast::error_code ec) {
    int status = 0;
    std::string reason;
    if (ec == http::error::body_limit) {
      status = 413;
      reason = absl::StrCat("request body exceeds ", server_->options().max_body_bytes, " bytes");
    } else if (ec == http::error::header_limit) {
      status = 431;
      reason =
          absl::StrCat("request headers exceed ", server_->options().max_header_bytes, " bytes");
    } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      status = 400;
      reason = absl::StrCat("malformed HTTP request: ", ec.message());
    }
    if (status == 0) return Close();  // closed, reset, timed out or cancelled: nothing to say
    busy_ = true;
    keep_alive_ = false;
    http_10_ = false;
    head_request_ = false;
    server_->handler()->HandleRejected(parser_->get(), status, reason, Responder(self()));
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    if (ec) return Close();
    if (!keep_alive || server_->stopping()) return LingerClose();
    ReadHeader();
  }

  // Half-closes, then reads and discards what the client still sends (e.g. the rest of a body
  // refused with 413) until it closes too, for at most 2 s. Closing with unread data would make
  // the kernel send a reset, which can destroy the response before the client reads it.
  void LingerClose() {
    if constexpr (kTls) {
      // close_notify, then close; bounded like the plain linger.
      lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = self()](beast::error_code) { self->Close(); });
      return;
    }
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(std::chrono::seconds(2));
    Drain(std::make_shared<std::array<char, 4096>>());
  }

  void Drain(std::shared_ptr<std::array<char, 4096>> scratch) {
    stream_.async_read_some(asio::buffer(*scratch),
                            [self = self(), scratch](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Drain(scratch);
                            });
  }

  void Close() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().socket().close(ignored);
  }

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  std::shared_ptr<HttpConnectionImpl> self() {
    return std::static_pointer_cast<HttpConnectionImpl>(shared_from_this());
  }

  Stream stream_;
  HttpServer* server_;
  size_t thread_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_head_;
  std::string out_body_;
  bool busy_ = false;
  bool keep_alive_ = true;
  bool http_10_ = false;
  bool head_request_ = false;
  bool stream_chunked_ = false;
  bool stream_keep_alive_ = false;
  std::string peer_;
};

}  // namespace

void Responder::Send(HttpResponse response) {
  std::shared_ptr<HttpConnection> connection = std::move(connection_);
  if (connection->OnOwnThread()) {
    connection->Write(std::move(response));
    return;
  }
  HttpConnection* raw = connection.get();
  asio::post(raw->executor(),
             [connection = std::move(connection), response = std::move(response)]() mutable {
               connection->Write(std::move(response));
             });
}

const std::string& Responder::peer() const { return connection_->peer(); }

size_t Responder::thread() const { return connection_->thread(); }

void Responder::StartStream(HttpResponse head, std::function<void(bool)> done) {
  HttpConnection* raw = connection_.get();
  asio::dispatch(raw->executor(), [connection = connection_, head = std::move(head),
                                   done = std::move(done)]() mutable {
    connection->WriteStreamHead(std::move(head), std::move(done));
  });
}

void Responder::SendChunk(std::string data, bool last, std::function<void(bool)> done) {
  std::shared_ptr<HttpConnection> connection = connection_;
  if (last) connection_.reset();
  HttpConnection* raw = connection.get();
  asio::dispatch(raw->executor(), [connection = std::move(connection), data = std::move(data), last,
                                   done = std::move(done)]() mutable {
    connection->WriteStreamChunk(std::move(data), last, std::move(done));
  });
}

asio::any_io_executor Responder::Executor() const { return connection_->executor(); }

absl::StatusOr<std::pair<std::string, uint16_t>> SplitHostPort(absl::string_view address) {
  absl::string_view host;
  absl::string_view port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == absl::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return absl::InvalidArgumentError(
          absl::StrCat("address \"", address, "\": expected [ipv6]:port"));
    }
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("address \"", address, "\": expected host:port"));
    }
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  uint32_t number;
  if (host.empty() || port.empty() || !absl::SimpleAtoi(port, &number) || number > 65535 ||
      !absl::c_all_of(port, absl::ascii_isdigit)) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\": expected host:port with a port in 0..65535"));
  }
  return std::make_pair(std::string(host), static_cast<uint16_t>(number));
}

HttpServer::HttpServer(const HttpServerOptions& options, HttpHandler* handler)
    : options_(options), handler_(handler) {}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              HttpHandler* handler) {
  if (options.threads < 1) return absl::InvalidArgumentError("threads must be at least 1");

  absl::StatusOr<std::pair<std::string, uint16_t>> host_port = SplitHostPort(options.listen);
  if (!host_port.ok()) return host_port.status();
  std::unique_ptr<HttpServer> server(new HttpServer(options, handler));
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    beast::error_code ec;
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                     ec);
    if (!ec) tls->use_certificate_chain_file(options.tls_cert, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-cert ", options.tls_cert, ": ", ec.message()));
    }
    tls->use_private_key_file(options.tls_key, asio::ssl::context::pem, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-key ", options.tls_key, ": ", ec.message()));
    }
    server->tls_ = std::move(tls);
  }
  for (int i = 0; i < options.threads; ++i) {
    server->contexts_.push_back(std::make_unique<asio::io_context>(1));
  }
  asio::io_context& first = *server->contexts_.front();
  beast::error_code ec;
  tcp::resolver resolver(first);
  auto endpoints = resolver.resolve(host_port->first, std::to_string(host_port->second),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address \"", options.listen, "\": ", ec.message()));
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto acceptor = std::make_unique<tcp::acceptor>(first);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) server->port_ = acceptor->local_endpoint(ec).port();
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, ": ", ec.message()));
  }
  server->acceptor_ = std::move(acceptor);
  if (options.before_serving) options.before_serving(server->contexts());
  server->Accept();
  for (auto& context : server->contexts_) {
    asio::io_context* ctx = context.get();
    server->threads_.emplace_back([ctx] {
      auto guard = asio::make_work_guard(*ctx);
      ctx->run();
    });
  }
  return server;
}

void HttpServer::Accept() {
  const size_t thread = next_context_;
  asio::io_context& context = *contexts_[thread];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_->async_accept(context, [this, thread](beast::error_code ec, tcp::socket socket) {
    if (stopping()) return;
    if (!ec) {
      if (tls_) {
        std::make_shared<HttpConnectionImpl<beast::ssl_stream<beast::tcp_stream>>>(
            std::move(socket), *tls_, this, thread)
            ->Start();
      } else {
        std::make_shared<HttpConnectionImpl<beast::tcp_stream>>(std::move(socket), this, thread)
            ->Start();
      }
      return Accept();
    }
    // Out of descriptors or similar: retry shortly instead of spinning.
    auto timer = std::make_shared<asio::steady_timer>(acceptor_->get_executor(),
                                                      std::chrono::milliseconds(50));
    timer->async_wait([this, timer](beast::error_code) {
      if (!stopping()) Accept();
    });
  });
}

std::vector<asio::io_context*> HttpServer::contexts() const {
  std::vector<asio::io_context*> out;
  for (const auto& context : contexts_) out.push_back(context.get());
  return out;
}

void HttpServer::Register(HttpConnection* connection, std::weak_ptr<HttpConnection> weak) {
  std::lock_guard<std::mutex> lock(connections_mu_);
  connections_.emplace(connection, std::move(weak));
}

void HttpServer::Unregister(HttpConnection* connection) {
  std::lock_guard<std::mutex> lock(connections_mu_);
  connections_.erase(connection);
}

int HttpServer::Shutdown(std::chrono::milliseconds grace) {
  if (stopped_) return 0;
  stopped_ = true;
  stopping_.store(true);
  if (threads_.empty()) return 0;  // Start() failed before serving
  asio::post(acceptor_->get_executor(), [this] {
    beast::error_code ignored;
    acceptor_->close(ignored);
  });
  std::vector<std::shared_ptr<HttpConnection>> live;
  {
    std::lock_guard<std::mutex> lock(connections_mu_);
    for (auto& [raw, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) {
    asio::post(connection->executor(), [connection] { connection->CloseIfIdle(); });
  }
  live.clear();
  auto until = std::chrono::steady_clock::now() + grace;
  int remaining = 0;
  while (true) {
    {
      std::lock_guard<std::mutex> lock(connections_mu_);
      remaining = static_cast<int>(connections_.size());
    }
    if (remaining == 0 || std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& context : contexts_) context->stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  return remaining;
}

HttpServer::~HttpServer() {
  Shutdown(std::chrono::milliseconds(0));
  acceptor_.reset();
  // Connections still referenced by queued handlers are destroyed with the io_contexts; they
  // unregister themselves, so the registry must outlive them.
  for (auto& context : contexts_) context.reset();
}

}  // namespace civil::gateway
